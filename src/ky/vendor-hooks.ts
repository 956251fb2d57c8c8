/**
 * @module `vendorHooks()`: the ky hooks that give each call its `VendorCall`.
 */
import type {Hooks} from 'ky';
import {NetworkError, TimeoutError} from 'ky';
import type {Vendor} from '../core/define-vendor.ts';
import {VENDOR_HOOK} from '../core/vendor-of.ts';
import type {CircuitOpenError} from '../errors/CircuitOpenError.ts';
import {sealKyError} from '../errors/seal-ky-error.ts';
import {VENDOR_LIMITER} from './limiter-of.ts';
import {RetrySignal} from './retry-signal.ts';
import type {ParseJson} from './reuse-parsed-json.ts';
import {networkVerdict, VendorCall} from './vendor-call.ts';
import {type NormalizedVendorOptions, normalizeVendorOptions, type VendorOptions} from './vendor-options.ts';

/** Where a call keeps its `VendorCall` in ky's `context` (a symbol: users never see it). */
const CALL: unique symbol = Symbol('ky-vendors.call');

/**
 * The hooks `withVendor()` installs, for users who assemble their own options. The `init` hook
 * gives each call a `VendorCall`, which becomes the call's `fetch` (guards, limiter, the bounded
 * read and the decision) and its `retry` policy. There is no `afterResponse` hook, which would
 * make ky clone every response.
 *
 * @example
 * ```ts
 * const api = ky.create({hooks: vendorHooks(upyun), retry: {limit: 4}});
 * ```
 */
export const vendorHooks = (vendor: Vendor, options: VendorOptions = {}): Hooks =>
  hooksFor(vendor, normalizeVendorOptions(vendor, options));

/**
 * What the `init` hook fills in for a call whose options leave it out: `withVendor()`'s retry
 * limit and `parseJson`, set per call rather than as instance options, which ky would merge
 * again on every call.
 */
export type CallDefaults = {
  /** The retry limit when the call's options have none. */
  readonly retryLimit?: number;
  /** ky's `parseJson` when the call's options have none. */
  readonly parseJson?: ParseJson;
};

/** Builds the hooks from normalized options (shared with `withVendor()`). */
export const hooksFor = (
  vendor: Vendor,
  options: NormalizedVendorOptions,
  defaults: CallDefaults = {},
): Hooks => {
  const {parseJson, retryLimit} = defaults;
  const init: NonNullable<Hooks['init']>[number] = (kyOptions) => {
    if (parseJson !== undefined && kyOptions.parseJson === undefined) {
      kyOptions.parseJson = parseJson;
    }
    const call = new VendorCall(vendor, options, kyOptions, retryLimit);
    kyOptions.fetch = call.fetch;
    kyOptions.retry = call.retryOptions();
    kyOptions.context = {...kyOptions.context, [CALL]: call};
  };
  Object.defineProperty(init, VENDOR_HOOK, {value: vendor});
  if (options.limiter !== undefined) {
    Object.defineProperty(init, VENDOR_LIMITER, {value: options.limiter});
  }
  return {
    init: [init],
    beforeError: [
      ({error, options: kyOptions}) => {
        const call = (kyOptions.context as {[CALL]?: VendorCall} | undefined)?.[CALL];
        if (error instanceof RetrySignal) {
          // ky stopped before a planned attempt (its own limit): give back the vendor's error.
          const cause = error.error;
          call?.reportGiveUp(cause, verdictOf(cause), 'exhausted', cause.delayMs);
          return cause;
        }
        if (error instanceof NetworkError || error instanceof TimeoutError) {
          // ky's errors carry the raw URL in their message and the request (headers and all) as
          // an enumerable field: sealed before anyone can print them.
          sealKyError(error);
          call?.reportGiveUp(error, networkVerdict(vendor.name, error.message), 'network', undefined);
        }
        return sealKyError(error);
      },
    ],
  };
};

const verdictOf = (error: CircuitOpenError | RetrySignal['error']) => ({
  vendor: error.vendor,
  action: error.action,
  category: error.category,
  status: error.status,
  ...(error.code === undefined ? {} : {code: error.code}),
  // An error's message is always a string.
  message: error.message,
});
