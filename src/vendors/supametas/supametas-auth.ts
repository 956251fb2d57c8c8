/**
 * @module `supametasAuth()`: the `Access-Key` header on every request.
 */
import type {BeforeRequestHook, Hooks} from 'ky';
import {registerSecret} from '../../core/redact.ts';

/**
 * The credentials of `supametasAuth()`.
 *
 * @example
 * ```ts
 * const options: SupametasAuthOptions = {accessKey: process.env.SUPAMETAS_ACCESS_KEY ?? ''};
 * ```
 */
export type SupametasAuthOptions = {
  /** The dataset's API key (Supametas console → API Configuration), sent as `Access-Key`. */
  readonly accessKey: string;
};

/**
 * ky hooks that send Supametas's `Access-Key` header with every request. The key is registered
 * as a secret, so no error message or JSON of this library shows it. Pass the hooks as
 * `withVendor()`'s `auth` option.
 *
 * @throws {TypeError} when `accessKey` is empty.
 * @example
 * ```ts
 * const api = ky.create({
 *   prefix: 'https://api.supametas.ai/openapi/open/v1',
 *   ...withVendor(supametas, {auth: supametasAuth({accessKey: process.env.SUPAMETAS_ACCESS_KEY ?? ''})}),
 * });
 * ```
 */
export const supametasAuth = ({accessKey}: SupametasAuthOptions): Hooks => {
  if (typeof accessKey !== 'string' || accessKey.length === 0) {
    throw new TypeError('`accessKey` must be a non-empty string');
  }
  const authorize: BeforeRequestHook = ({request}) => {
    request.headers.set('Access-Key', accessKey);
  };
  // Redacted for as long as a ky instance can send it (the hook is alive).
  registerSecret(accessKey, {owner: authorize});
  return {beforeRequest: [authorize]};
};
