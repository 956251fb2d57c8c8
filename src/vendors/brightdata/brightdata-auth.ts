/**
 * @module `brightdataAuth()`: BrightData's Bearer API key, set on every attempt and kept out of errors.
 */
import type {BeforeRequestHook, Hooks} from 'ky';
import {registerSecret} from '../../core/redact.ts';

/** BrightData credentials: the API key from the account settings. */
export type BrightdataCredentials = {
  /** The API key, sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
};

/**
 * ky hooks that authenticate every request with `Authorization: Bearer <apiKey>`. The header is
 * set before the first attempt; ky resends clones of that request, so retries carry it too. The
 * key is registered with `registerSecret()`, so no error message of this library shows it.
 *
 * @throws {TypeError} when `apiKey` is empty or has whitespace (a pasted newline would make every request fail).
 * @example
 * ```ts
 * const api = ky.create({
 *   prefix: 'https://api.brightdata.com',
 *   ...withVendor(brightdata, {auth: brightdataAuth({apiKey: process.env.BRIGHTDATA_API_KEY ?? ''})}),
 * });
 * ```
 */
export const brightdataAuth = ({apiKey}: BrightdataCredentials): Hooks => {
  if (typeof apiKey !== 'string' || apiKey === '' || /\s/.test(apiKey)) {
    throw new TypeError('`apiKey` must be a non-empty string without whitespace');
  }
  const authorization = `Bearer ${apiKey}`;
  const authorize: BeforeRequestHook = ({request}) => {
    request.headers.set('authorization', authorization);
  };
  // Redacted for as long as a ky instance can send it (the hook is alive).
  registerSecret(apiKey, {owner: authorize});
  return {beforeRequest: [authorize]};
};
