/**
 * @module `vendorHooks()`: the ky hooks that install the per-attempt decision and its retry policy.
 */
import type {Hooks, Options} from 'ky';
import {NetworkError, TimeoutError} from 'ky';
import type {Vendor} from '../core/define-vendor.ts';
import {redactUrl} from '../core/redact.ts';
import type {FailureVerdict} from '../core/types.ts';
import {CircuitOpenError} from '../errors/CircuitOpenError.ts';
import {sealKyError} from '../errors/seal-ky-error.ts';
import type {VendorError} from '../errors/VendorError.ts';
import {fullJitter} from '../policy/backoff.ts';
import {mayResend} from '../policy/idempotency.ts';
import {type FetchFunction, limitFetch} from '../policy/limiter/limit-fetch.ts';
import {isIdempotentOptIn, startCall} from './call-state.ts';
import {type CallSlot, decideFetch, type GiveUp, giveUpWith} from './decide-fetch.ts';
import {guardFetch, guardsEachAttempt} from './guards.ts';
import {RetrySignal} from './retry-signal.ts';
import {type NormalizedVendorOptions, normalizeVendorOptions, type VendorOptions} from './vendor-options.ts';

/** Every method: whether a request may be resent is decided per attempt, not by ky's method list. */
const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'query', 'trace', 'post', 'patch'];

/** ky's default retry limit, for a call whose options leave it out. */
const KY_DEFAULT_RETRY_LIMIT = 2;

const globalFetch: FetchFunction = (input, init) => globalThis.fetch(input, init);

/** The synthetic verdict reported for network errors and timeouts. */
const networkVerdict = (vendor: string, message: string): FailureVerdict => ({
  vendor,
  action: 'retry',
  category: 'transient',
  status: 0,
  message,
});

type RetryOptions = Exclude<NonNullable<Options['retry']>, number>;

/** ky's `retry` option of one call as an object (ky also takes a bare limit). */
const retryObject = (retry: Options['retry']): RetryOptions =>
  typeof retry === 'number' ? {limit: retry} : {...retry};

/**
 * The hooks `withVendor()` installs, for users who assemble their own options. The `init` hook
 * gives each call its own `fetch` (guards, limiter, and the decision that classifies each
 * attempt) and its own `retry` policy, so a response that needs no reading costs no more than
 * with bare ky: there is no `afterResponse` hook, which would make ky clone every response.
 *
 * @example
 * ```ts
 * const api = ky.create({hooks: vendorHooks(upyun), retry: {limit: 4}});
 * ```
 */
export const vendorHooks = (vendor: Vendor, options: VendorOptions = {}): Hooks =>
  hooksFor(vendor, normalizeVendorOptions(vendor, options));

/** Builds the hooks from normalized options (shared with `withVendor()`). */
export const hooksFor = (vendor: Vendor, options: NormalizedVendorOptions): Hooks => {
  const {guards, limiter} = options;
  const giveUp = giveUpWith(vendor, options);
  const backoff = {baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs};

  return {
    init: [
      (kyOptions) => {
        const retry = retryObject(kyOptions.retry);
        const slot: CallSlot = {
          attempts: 0,
          attemptStartedAt: 0,
          plannedDelayMs: 0,
          sent: undefined,
          retryLimit: retry.limit ?? KY_DEFAULT_RETRY_LIMIT,
          state: startCall(kyOptions),
          idempotentOptIn: isIdempotentOptIn(kyOptions.context),
        };
        // Innermost first: the decision reads what the network (and auth) answered.
        let fetch = decideFetch(
          vendor,
          options,
          slot,
          kyOptions.fetch ?? options.fetch ?? globalFetch,
          giveUp,
        );
        if (limiter !== undefined) {
          fetch = limitFetch(limiter, fetch, {
            key: guards.key,
            onSend: (attempt) => {
              slot.sent = attempt;
            },
          });
        }
        if (guardsEachAttempt(guards)) {
          // Outside the limiter: a refused request must not wait for a turn first.
          fetch = guardFetch(vendor, guards, fetch);
        }
        const decided = fetch;
        kyOptions.fetch = (input, init) => {
          slot.attempts++;
          slot.attemptStartedAt = Date.now();
          return decided(input, init);
        };
        // Only what differs from ky's defaults (ky normalizes this object on every attempt):
        // shouldRetry answers every error with a boolean, so status lists and retryOnTimeout
        // never apply, and the planned wait must reach ky unjittered and unclamped.
        const perCall: RetryOptions = {
          ...retry,
          methods: ALL_METHODS,
          // The wait was planned when the attempt was decided (or in shouldRetry below).
          delay: () => slot.plannedDelayMs,
          shouldRetry: ({error, retryCount}) => {
            if (error instanceof RetrySignal) {
              return true;
            }
            // instanceof, not ky's name-based guards: an abort reason named TimeoutError (a
            // DOMException from AbortSignal.timeout) is the caller's decision, not a failed attempt.
            if (!(error instanceof NetworkError) && !(error instanceof TimeoutError)) {
              // Every HTTP status was decided with its attempt.
              return false;
            }
            const {request} = error;
            if (!mayResend(request.method, undefined, slot.idempotentOptIn)) {
              return false;
            }
            const {budget} = guards;
            if (budget !== undefined && !budget.tryRetry(guards.key(request), 'network')) {
              return false;
            }
            slot.plannedDelayMs = fullJitter(retryCount, backoff, options.random);
            sealKyError(error);
            options.onRetry?.({
              vendor: vendor.name,
              verdict: networkVerdict(vendor.name, error.message),
              attempt: retryCount,
              delayMs: slot.plannedDelayMs,
              method: request.method,
              url: redactUrl(request.url),
            });
            return true;
          },
        };
        if (retry.jitter !== undefined) {
          perCall.jitter = undefined;
        }
        if (retry.backoffLimit !== undefined) {
          perCall.backoffLimit = Number.POSITIVE_INFINITY;
        }
        kyOptions.retry = perCall;
      },
    ],
    beforeError: [
      ({error, retryCount}) => {
        // ky stopped before a planned attempt (its own limit): give back the vendor's error.
        if (error instanceof RetrySignal) {
          const cause = error.error;
          return exhausted(giveUp, cause, retryCount + 1);
        }
        if (error instanceof CircuitOpenError) {
          return giveUp(verdictOf(error), retryCount, 'circuit-open', error.delayMs, error);
        }
        if (error instanceof NetworkError || error instanceof TimeoutError) {
          // ky keeps the request enumerable and the raw URL in the message.
          sealKyError(error);
          options.onGiveUp?.({
            vendor: vendor.name,
            verdict: networkVerdict(vendor.name, error.message),
            attempt: retryCount + 1,
            reason: 'network',
            delayMs: undefined,
            error,
          });
        }
        return error;
      },
    ],
  };
};

const exhausted = (giveUp: GiveUp, cause: VendorError, attempt: number): VendorError =>
  giveUp(verdictOf(cause), attempt, 'exhausted', cause.delayMs, cause);

const verdictOf = (error: VendorError): FailureVerdict => {
  const verdict: {-readonly [K in keyof FailureVerdict]: FailureVerdict[K]} = {
    vendor: error.vendor,
    action: error.action,
    category: error.category,
    status: error.status,
  };
  if (error.code !== undefined) verdict.code = error.code;
  if (error.message !== undefined) verdict.message = error.message;
  if (error.delayMs !== undefined) verdict.delayMs = error.delayMs;
  if (error.processed !== undefined) verdict.processed = error.processed;
  return verdict;
};
