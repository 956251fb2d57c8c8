/**
 * @module Removes credentials from any text or value this library shows: messages, stacks, URLs,
 * envelopes, event payloads.
 */
import {defineData} from './data-property.ts';
import {isSecretName} from './secret-names.ts';
import {registeredSecrets} from './secret-registry.ts';

export type {RegisterSecretOptions} from './secret-registry.ts';
export {registerSecret} from './secret-registry.ts';

/** What every credential is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Whether a word after an auth scheme is a credential rather than prose ("token expires"): long
 * enough, and with a digit, base64 punctuation, or mixed case.
 */
const credentialShaped = (word: string): boolean =>
  word.length >= 8 && (/\d/.test(word) || /[=+/]/.test(word) || (/[a-z]/.test(word) && /[A-Z]/.test(word)));

const schemes = /\b(Bearer|Basic|Token|Digest|Negotiate)(\s+)([\w.~+/=-]+)/gi;

/**
 * A name (query parameter, JSON field, header) as it appears in text: a whole run of name
 * characters, never part of one, so matching stays linear on long runs (hostile bodies).
 */
const NAME = String.raw`(?<![\w.\-\[\]])[\w.\-\[\]]+`;
/** `=`, `:`, or `":"` between a name and its value, JSON-escaped (`\"`) or not. */
const SEPARATOR = String.raw`\\*["']?\s*[:=]\s*\\*["']?`;
/** A value, with the auth scheme that may precede it (`Authorization: Bearer x`). */
const VALUE = String.raw`(?!\d+\/)(?:(?:Bearer|Basic|Digest|Token|Negotiate|UPYUN|UpYun|SDK-HMAC-SHA256|AWS4-HMAC-SHA256)\s+)?[^\s"'\\&,;}<>]+`;

const patterns: readonly [RegExp, string][] = [
  [/\bUPYUN\s+[^\s:]+:[\w+/=-]+/gi, `UPYUN ${REDACTED}`],
  [/\bUpYun\s+[^\s:]+:[^\s:]+:[\w+/=-]+/g, `UpYun ${REDACTED}`],
  [/\bSDK-HMAC-SHA256\s+[^\n]*/gi, `SDK-HMAC-SHA256 ${REDACTED}`],
  [/\bAWS4-HMAC-SHA256\s+[^\n]*/gi, `AWS4-HMAC-SHA256 ${REDACTED}`],
  // A cookie header's value runs to the end of its line: every pair in it may be a session.
  [/\b((?:set-)?cookie\\*["']?\s*:\s*\\*["']?)[^\r\n"\\]+/gi, `$1${REDACTED}`],
  // Userinfo in a URL: `https://user:password@host`.
  [/(\/\/)[^\s/?#@"'<>]+@/g, `$1${REDACTED}@`],
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

/** A name and its separator: `name=`, `name: `, `"name":"` and `\"name\":\"`. */
const namedKey = new RegExp(`(${NAME})(${SEPARATOR})`, 'gi');
/** The value right after a secret name's separator (sticky: only there). */
const valueAt = new RegExp(VALUE, 'iy');

/**
 * Replaces the values after secret names. Only a secret name's value is scanned and consumed, so
 * every character is looked at a bounded number of times: `a:a:a:…` stays linear.
 */
const redactNamedValues = (text: string): string => {
  let result = '';
  let copied = 0;
  namedKey.lastIndex = 0;
  for (let match = namedKey.exec(text); match !== null; match = namedKey.exec(text)) {
    if (!isSecretName(match[1] ?? '')) continue;
    const start = match.index + match[0].length;
    valueAt.lastIndex = start;
    if (valueAt.exec(text) === null) continue;
    result += `${text.slice(copied, start)}${REDACTED}`;
    copied = valueAt.lastIndex;
    namedKey.lastIndex = copied;
  }
  return copied === 0 ? text : result + text.slice(copied);
};

/** The forms a registered value takes in text: as is, URL-encoded, JSON-escaped. */
const encodings = (secret: string): string[] => {
  const forms = [secret];
  const uri = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  if (uri !== secret) forms.push(uri);
  if (json !== secret) forms.push(json, JSON.stringify(json).slice(1, -1));
  return forms;
};

/**
 * Returns `text` with credentials replaced by `[REDACTED]`: registered secrets (also URL-encoded
 * or JSON-escaped), auth schemes (`Bearer`, `Basic`, `UPYUN op:sig`, `SDK-HMAC-SHA256`),
 * `Cookie`/`Set-Cookie` values, values after any secret name (see `isSecretName`) in
 * `name=value`, `name: value` and (escaped) JSON form, URL userinfo, and opaque runs of 80 or
 * more token characters.
 *
 * @example
 * ```ts
 * redact('Authorization: Bearer abc.def'); // 'Authorization: [REDACTED]'
 * redact('GET /x?access_token=abc&page=2'); // 'GET /x?access_token=[REDACTED]&page=2'
 * ```
 */
export const redact = (text: string, options: RedactOptions = {}): string => {
  let result = String(text);
  for (const secret of registeredSecrets()) {
    for (const form of encodings(secret)) {
      if (result.includes(form)) {
        result = result.split(form).join(REDACTED);
      }
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
  return redactNamedValues(result);
};

const redactQuery = (query: string): string =>
  query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      let name = pair.slice(0, equals);
      try {
        name = decodeURIComponent(name.replaceAll('+', ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return isSecretName(name) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join('&');

/**
 * Redacts a URL: userinfo goes, the values of query (and fragment) parameters whose names are
 * secret (see `isSecretName`) become `[REDACTED]`, and the rest goes through `redact()`. A string
 * that is not a URL is redacted as text.
 *
 * @example
 * ```ts
 * redactUrl('https://a.test/x?sig=abc&page=2'); // 'https://a.test/x?sig=[REDACTED]&page=2'
 * ```
 */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    const search = parsed.search === '' ? '' : `?${redactQuery(parsed.search.slice(1))}`;
    const hash = parsed.hash === '' ? '' : `#${redactQuery(parsed.hash.slice(1))}`;
    return redact(
      `${parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin}${parsed.pathname}${search}${hash}`,
    );
  } catch {
    return redact(String(url));
  }
};

/** How deep `redactValue` copies; deeper parts are replaced whole. */
const MAX_DEPTH = 32;

const redactAll = (value: unknown, depth: number): unknown => {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return REDACTED;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactAll(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redact(key), redactAll(item, depth + 1)]),
  );
};

/**
 * A deep copy of a parsed body (JSON value or text) with credentials removed: strings go through
 * `redact()` (so JSON held in a string is covered too), and every value under a secret field name
 * (`password`, `apiKey`, `X-Auth-Token`, …) becomes `[REDACTED]`. Structure and other values are
 * kept, so code can still read `status` or `message`.
 *
 * @example
 * ```ts
 * redactValue({status: 'failed', input: {password: 'hunter22'}}); // {status: 'failed', input: {password: '[REDACTED]'}}
 * ```
 */
export const redactValue = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const safeKey = redact(key);
    const safe = isSecretName(key) ? redactAll(item, depth + 1) : redactValue(item, depth + 1);
    // defineProperty: a "__proto__" field stays a field.
    defineData(copy, safeKey, safe, true);
  }
  return copy;
};
