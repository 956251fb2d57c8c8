/**
 * @module `withVendor()`: ky options that make an instance speak one vendor's dialect.
 */
import type {Hooks, Options} from 'ky';
import type {Vendor} from '../core/define-vendor.ts';
import {reuseParsedJson} from './reuse-parsed-json.ts';
import {hooksFor} from './vendor-hooks.ts';
import {normalizeVendorOptions, type VendorOptions} from './vendor-options.ts';

/**
 * ky options (hooks, retry, timeout and `fetch`) for one vendor: every attempt is decided as its
 * response arrives, retries and throttles follow the vendor's table, and failures throw typed
 * errors. A 2xx the vendor does not `inspect()` is passed through unread. With
 * `limiter`, every attempt is paced per vendor key first. Spread into `ky.create()` or `.extend()`.
 *
 * ky's own status-based retry is switched off (`statusCodes: []`) so one policy decides;
 * network errors and timeouts are retried for idempotent requests only (or with `context: {idempotent: true}`).
 *
 * Your own hooks go in the `hooks` option (merged with the policy's) or in a later `.extend()`;
 * a `hooks` key written beside the spread would replace the policy's hooks, and one written before
 * it would be replaced by them.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import {upyun, withVendor} from 'ky-vendors';
 *
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun)});
 * const unpaced = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun, {limiter: false})});
 * const logged = ky.create({prefix, ...withVendor(upyun, {hooks: {beforeRequest: [({request}) => log(request.url)]}})});
 * ```
 */
export const withVendor = (vendor: Vendor, options: VendorOptions = {}): Options => {
  const normalized = normalizeVendorOptions(vendor, options);
  return {
    hooks: mergeHooks(mergeHooks(normalized.auth, normalized.hooks ?? {}), hooksFor(vendor, normalized)),
    // The rest of the retry policy (methods, delays, which errors are retried) is set per call
    // by the `init` hook, which knows the call's planned waits. Few keys: ky merges them per call.
    retry: {limit: normalized.retryLimit, statusCodes: []},
    // A successful body the policy read for hidden errors is parsed once: `.json()` reuses it.
    parseJson: reuseParsedJson(),
    ...(normalized.totalTimeoutMs === undefined ? {} : {totalTimeout: normalized.totalTimeoutMs}),
    ...(normalized.fetch === undefined ? {} : {fetch: normalized.fetch}),
  };
};

/** Concatenates hook lists kind by kind, `first` before `second`. */
export const mergeHooks = (first: Hooks | undefined, second: Hooks): Hooks => {
  if (first === undefined) {
    return second;
  }
  const merged: Record<string, unknown[]> = {};
  for (const source of [first, second]) {
    for (const [kind, list] of Object.entries(source)) {
      merged[kind] = [...(merged[kind] ?? []), ...((list as unknown[] | undefined) ?? [])];
    }
  }
  return merged as Hooks;
};
