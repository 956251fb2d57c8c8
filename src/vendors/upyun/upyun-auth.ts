/**
 * @module `upyunAuth()`: signs every UPYUN attempt (first send and each retry) with a fresh date.
 */
import type {Hooks} from 'ky';
import {registerSecret} from '../../core/redact.ts';
import {md5Hex} from './md5.ts';
import {authorization, httpDate, importSigningKey, signature, signedUri} from './sign.ts';

/**
 * An UPYUN operator's credentials and signing options.
 *
 * @example
 * ```ts
 * upyunAuth({operator: 'uploader', password: process.env.UPYUN_PASSWORD ?? ''});
 * ```
 */
export type UpyunAuthOptions = {
  /** The operator name (not secret; it appears in the `Authorization` header). */
  readonly operator: string;
  /** The operator password. Only its MD5 is used, as the HMAC key; both are redacted from errors. */
  readonly password: string;
  /**
   * Whether to send the signed date in `Date` too. `X-Date` always carries it (the official SDK
   * sends only `X-Date`, in Node and in browsers); browsers forbid setting `Date`.
   * @default true, or false where a `document` exists (browsers)
   * @example
   * ```ts
   * upyunAuth({operator, password, sendDateHeader: false}); // X-Date only, as the official SDK
   * ```
   */
  readonly sendDateHeader?: boolean;
  /**
   * The clock, in milliseconds since the epoch (a test seam; UPYUN rejects dates more than a few
   * minutes off with 40100002).
   * @default Date.now
   */
  readonly now?: () => number;
};

/**
 * ky hooks that sign UPYUN requests: `Authorization: UPYUN operator:signature` over
 * `METHOD&URI&DATE[&Content-MD5]`, keyed with the MD5 of the password, where URI is the path as
 * sent plus its `?query` (as the official SDKs sign it) and DATE travels in `X-Date` (and `Date`). ky runs `beforeRequest`
 * once per call, so each retry is signed again in `beforeRetry`: a throttled upload that waits
 * is resent with a new date and a signature that matches it.
 *
 * Uses Web Crypto only, so it runs in Node, Deno, Bun and browsers.
 *
 * @throws {TypeError} when the operator or password is empty.
 * @example
 * ```ts
 * const api = ky.create({
 *   prefix: 'https://v0.api.upyun.com',
 *   ...withVendor(upyun, {auth: upyunAuth({operator: 'uploader', password})}),
 * });
 * ```
 */
export const upyunAuth = (options: UpyunAuthOptions): Hooks => {
  const {operator, password} = options;
  if (typeof operator !== 'string' || operator === '' || typeof password !== 'string' || password === '') {
    throw new TypeError('upyunAuth needs a non-empty `operator` and `password`');
  }
  const passwordMd5 = md5Hex(password);
  const sendDateHeader = options.sendDateHeader ?? !('document' in globalThis);
  const now = options.now ?? Date.now;
  let key: Promise<CryptoKey> | undefined;

  const sign = async (request: Request): Promise<void> => {
    key ??= importSigningKey(passwordMd5);
    const date = httpDate(new Date(now()));
    const sig = await signature(await key, {
      method: request.method,
      uri: signedUri(request.url),
      date,
      contentMd5: request.headers.get('content-md5') ?? undefined,
    });
    request.headers.set('X-Date', date);
    if (sendDateHeader) request.headers.set('Date', date);
    request.headers.set('Authorization', authorization(operator, sig));
  };
  // Redacted for as long as a ky instance can sign with them (both hooks hold `sign`).
  registerSecret(password, {owner: sign});
  registerSecret(passwordMd5, {owner: sign});

  return {
    beforeRequest: [
      async ({request}) => {
        await sign(request);
      },
    ],
    // The request ky is about to resend is its own clone: setting its headers is enough.
    beforeRetry: [
      async ({request}) => {
        await sign(request);
      },
    ],
  };
};
