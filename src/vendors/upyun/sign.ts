/**
 * @module UPYUN request signatures: `Base64(HMAC-SHA1(md5(password), METHOD&URI&DATE[&Content-MD5]))`.
 */

const encoder = new TextEncoder();

/** What one UPYUN signature covers. */
export type SignInput = {
  /** The HTTP method, upper case (`PUT`). */
  readonly method: string;
  /**
   * The request target as sent: `/<bucket>/<path>` percent-encoded, with its `?query` when there
   * is one (`/bucket/dir/?usage`, `/bucket/a.txt?metadata=merge`): UPYUN signs the query too.
   */
  readonly uri: string;
  /** The `Date` (or `X-Date`) header value, RFC 1123 in GMT. */
  readonly date: string;
  /** The request's `Content-MD5` header, when it has one. */
  readonly contentMd5?: string | undefined;
};

/**
 * The text UPYUN signs: `METHOD&URI&DATE`, plus `&Content-MD5` when there is one.
 *
 * @example
 * ```ts
 * stringToSign({method: 'PUT', uri: '/upyun-temp/demo.jpg', date: 'Wed, 09 Nov 2016 14:26:58 GMT'});
 * // 'PUT&/upyun-temp/demo.jpg&Wed, 09 Nov 2016 14:26:58 GMT'
 * ```
 */
export const stringToSign = ({method, uri, date, contentMd5}: SignInput): string =>
  [method.toUpperCase(), uri, date, ...(contentMd5 ? [contentMd5] : [])].join('&');

/**
 * The part of a URL UPYUN signs: the path exactly as sent plus `?query` (without a fragment),
 * as the official SDKs sign it. Signing the path alone gets 401 40100005 for every request that
 * has a query (`?usage`, `?metadata=merge`).
 *
 * @example
 * ```ts
 * signedUri('https://v0.api.upyun.com/bucket/dir/?usage'); // '/bucket/dir/?usage'
 * signedUri('https://v0.api.upyun.com/bucket/a+b.txt'); // '/bucket/a+b.txt'
 * ```
 */
export const signedUri = (url: string | URL): string => {
  const parsed = new URL(url);
  parsed.hash = '';
  // A bare trailing `?` is sent on the wire, but `search` reads it as empty.
  return parsed.pathname + (parsed.search || (parsed.href.endsWith('?') ? '?' : ''));
};

/**
 * Imports the HMAC-SHA1 key UPYUN signs with: the UTF-8 bytes of the password's MD5 hex.
 *
 * @example
 * ```ts
 * const key = await importSigningKey(md5Hex(password));
 * ```
 */
export const importSigningKey = (passwordMd5: string): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', encoder.encode(passwordMd5), {name: 'HMAC', hash: 'SHA-1'}, false, ['sign']);

/**
 * The signature (Base64 of the raw HMAC-SHA1) for one request.
 *
 * @example
 * ```ts
 * await signature(key, {method: 'PUT', uri: '/upyun-temp/demo.jpg', date, contentMd5}); // 'YUaAZX+WNAcJdNGHS5SBlITME5A='
 * ```
 */
export const signature = async (key: CryptoKey, input: SignInput): Promise<string> => {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(stringToSign(input)));
  return toBase64(new Uint8Array(mac));
};

/**
 * The `Authorization` value: `UPYUN <operator>:<signature>`.
 *
 * @example
 * ```ts
 * authorization('operator123', 'YUaAZX+WNAcJdNGHS5SBlITME5A='); // 'UPYUN operator123:YUaAZX+WNAcJdNGHS5SBlITME5A='
 * ```
 */
export const authorization = (operator: string, sig: string): string => `UPYUN ${operator}:${sig}`;

/**
 * A date in the RFC 1123 GMT form UPYUN expects (`Wed, 09 Nov 2016 14:26:58 GMT`).
 *
 * @example
 * ```ts
 * httpDate(new Date(0)); // 'Thu, 01 Jan 1970 00:00:00 GMT'
 * ```
 */
export const httpDate = (date: Date): string => date.toUTCString();

const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
};
