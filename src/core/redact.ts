/**
 * @module Removes credentials from any text this library shows: messages, URLs, JSON of errors.
 */

const REDACTED = '[REDACTED]';
const MAX_SECRETS = 256;

/** Secrets the auth helpers have seen, newest last; bounded so rotating tokens cannot grow it. */
const secrets = new Set<string>();

/**
 * Registers a credential value so it is cut out of every message this library produces. The
 * vendors' auth helpers call it; call it yourself for credentials you put in headers by hand.
 *
 * @example
 * ```ts
 * registerSecret(process.env.BRIGHTDATA_API_KEY ?? '');
 * ```
 */
export const registerSecret = (value: string): void => {
  if (typeof value !== 'string' || value.length < 6) {
    return;
  }
  secrets.delete(value);
  secrets.add(value);
  if (secrets.size > MAX_SECRETS) {
    const oldest = secrets.values().next().value;
    if (oldest !== undefined) {
      secrets.delete(oldest);
    }
  }
};

/**
 * Whether a word after an auth scheme is a credential rather than prose ("token expires"): long
 * enough, and with a digit, base64 punctuation, or mixed case.
 */
const credentialShaped = (word: string): boolean =>
  word.length >= 8 && (/\d/.test(word) || /[=+/]/.test(word) || (/[a-z]/.test(word) && /[A-Z]/.test(word)));

const schemes = /\b(Bearer|Basic|Token)(\s+)([\w.~+/=-]+)/gi;

const patterns: readonly [RegExp, string][] = [
  [/\bUPYUN\s+[^\s:]+:[\w+/=-]+/gi, `UPYUN ${REDACTED}`],
  [/\bUpYun\s+[^\s:]+:[^\s:]+:[\w+/=-]+/g, `UpYun ${REDACTED}`],
  [/\bSDK-HMAC-SHA256\s+[^\n]*/gi, `SDK-HMAC-SHA256 ${REDACTED}`],
  [
    /\b(authorization|access[-_]?key|x-auth-token|x-subject-token|x-security-token|api[-_]?key|auth_header|password|passwd|secret|signature|sign|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/** Long opaque runs are tokens (IAM tokens are kilobytes of base64), never ids or messages. */
const opaqueRun = /[\w+/=-]{80,}/g;

/** How `redact` treats text that is opaque by design. */
export type RedactOptions = {
  /**
   * Keep runs of 80+ token characters that are not registered secrets: for fields that are
   * encoded blobs by design (Huawei `encoded_authorization_message`), not credentials.
   * @default false
   */
  readonly keepOpaqueRuns?: boolean;
};

/**
 * Returns `text` with credentials replaced by `[REDACTED]`: registered secrets, auth schemes
 * (`Bearer`, `Basic`, `UPYUN op:sig`), `key=value` pairs whose key names a credential, and long
 * opaque tokens.
 *
 * @example
 * ```ts
 * redact('Authorization: Bearer abc.def'); // 'Authorization: [REDACTED]'
 * ```
 */
export const redact = (text: string, options: RedactOptions = {}): string => {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) {
      result = result.split(secret).join(REDACTED);
    }
  }
  result = result.replace(schemes, (match, scheme: string, space: string, word: string) =>
    credentialShaped(word) ? `${scheme}${space}${REDACTED}` : match,
  );
  for (const [pattern, replacement] of patterns) {
    result = result.replace(pattern, replacement);
  }
  if (options.keepOpaqueRuns !== true) {
    result = result.replace(opaqueRun, REDACTED);
  }
  return result;
};

/** Redacts a URL's credentials: userinfo and query values whose names say they are secret. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return redact(parsed.toString());
  } catch {
    return redact(url);
  }
};
