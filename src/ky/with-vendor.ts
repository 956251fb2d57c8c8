/**
 * @module `withVendor()`: ky options that make an instance speak one vendor's dialect.
 */
import type {Hooks, Options} from 'ky';
import type {Vendor} from '../core/define-vendor.ts';
import {reuseParsedJson} from './reuse-parsed-json.ts';
import {hooksFor} from './vendor-hooks.ts';
import {normalizeVendorOptions, type VendorOptions} from './vendor-options.ts';

/**
 * ky options (hooks, and `totalTimeout` and `fetch` when given) for one vendor: every attempt is decided as its
 * response arrives, retries and throttles follow the vendor's table, and failures throw typed
 * errors. A 2xx the vendor does not `inspect()` is passed through unread. With
 * `limiter`, every attempt is paced per vendor key first. Spread into `ky.create()` or `.extend()`.
 *
 * Each call's `retry` is the policy's (its `init` hook sets it), so ky's own status-based retry
 * never decides; a `retry` limit of yours (`retry: 2` or `{limit: 2}`) replaces `retryLimit`.
 * Network errors and timeouts are retried for idempotent requests only (or with
 * `context: {idempotent: true}`). A `.json()` reuses the value the policy parsed for an inspected
 * body unless you set your own `parseJson`.
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
    hooks: mergeHooks(
      mergeHooks(normalized.auth, normalized.hooks ?? {}),
      hooksFor(vendor, normalized, {retryLimit: normalized.retryLimit, parseJson: REUSE_PARSED_JSON}),
    ),
    // Nothing else unless asked for: ky merges these options again on every call, at a price per
    // key, so the retry limit and `parseJson` are filled in by the `init` hook instead.
    ...(normalized.totalTimeoutMs === undefined ? {} : {totalTimeout: normalized.totalTimeoutMs}),
    ...(normalized.fetch === undefined ? {} : {fetch: normalized.fetch}),
  };
};

/** A successful body the policy read for hidden errors is parsed once: `.json()` reuses it. */
const REUSE_PARSED_JSON = reuseParsedJson();

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
