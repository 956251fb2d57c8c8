/**
 * @module `withVendor()`: ky options that make an instance speak one vendor's dialect.
 */
import type {Hooks, Options} from 'ky';
import type {Vendor} from '../core/define-vendor.ts';
import {backoffCeiling} from '../policy/backoff.ts';
import {hooksFor, RETRY_METHODS, shouldRetryNetwork} from './vendor-hooks.ts';
import {normalizeVendorOptions, type VendorOptions} from './vendor-options.ts';

/**
 * ky options (hooks, retry, timeout and `fetch`) for one vendor: every response is classified,
 * retries and throttles follow the vendor's table, and failures throw typed errors. With
 * `limiter`, every attempt is paced per vendor key first. Spread into `ky.create()` or `.extend()`.
 *
 * ky's own status-based retry is switched off (`statusCodes: []`) so one policy decides;
 * network errors and timeouts are retried by ky for idempotent requests only.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import {upyun, withVendor} from 'ky-vendors';
 *
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun)});
 * const uploads = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun, {limiter: true})});
 * ```
 */
export const withVendor = (vendor: Vendor, options: VendorOptions = {}): Options => {
  const normalized = normalizeVendorOptions(vendor, options);
  const backoff = {baseDelayMs: normalized.baseDelayMs, maxDelayMs: normalized.maxDelayMs};
  return {
    hooks: mergeHooks(normalized.auth, hooksFor(vendor, normalized)),
    retry: {
      limit: normalized.retryLimit,
      methods: RETRY_METHODS,
      statusCodes: [],
      afterStatusCodes: [],
      retryOnTimeout: true,
      delay: (attempt) => backoffCeiling(attempt, backoff),
      jitter: (delay) => Math.floor(normalized.random() * delay),
      backoffLimit: normalized.maxDelayMs,
      shouldRetry: shouldRetryNetwork(vendor, normalized),
    },
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
