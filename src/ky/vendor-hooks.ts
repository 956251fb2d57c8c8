/**
 * @module `vendorHooks()`: the ky hooks that classify every attempt and act on the verdict.
 */
import ky, {type Hooks, isForceRetryError, isNetworkError, isTimeoutError, type KyRequest} from 'ky';
import {classify} from '../classify/classify.ts';
import type {Vendor} from '../core/define-vendor.ts';
import type {FailureVerdict} from '../core/types.ts';
import {createVendorError} from '../errors/create-vendor-error.ts';
import {VendorError} from '../errors/VendorError.ts';
import {IDEMPOTENT_METHODS, mayResend} from '../policy/idempotency.ts';
import {planRetry} from '../policy/plan-retry.ts';
import {callState, isIdempotentOptIn, startCall} from './call-state.ts';
import {readBody} from './read-body.ts';
import {
  type GiveUpReason,
  type NormalizedVendorOptions,
  normalizeVendorOptions,
  type VendorOptions,
} from './vendor-options.ts';

const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'query', 'trace', 'post', 'patch'];

/** The synthetic verdict reported for network errors and timeouts. */
const networkVerdict = (vendor: string, message: string): FailureVerdict => ({
  vendor,
  action: 'retry',
  category: 'transient',
  status: 0,
  message,
});

/**
 * The hooks `withVendor()` installs, for users who assemble their own options. Use them with a
 * `retry` that has `statusCodes: []` (as `withVendor()` sets), or ky's status retry and this
 * package's policy will both act on the same response.
 *
 * @example
 * ```ts
 * const api = ky.create({hooks: vendorHooks(upyun), retry: {limit: 4, statusCodes: []}});
 * ```
 */
export const vendorHooks = (vendor: Vendor, options: VendorOptions = {}): Hooks =>
  hooksFor(vendor, normalizeVendorOptions(vendor, options));

/** Builds the hooks from normalized options (shared with `withVendor()`). */
export const hooksFor = (vendor: Vendor, options: NormalizedVendorOptions): Hooks => {
  const giveUp = (
    verdict: FailureVerdict,
    attempt: number,
    reason: GiveUpReason,
    delayMs: number | undefined,
    error: VendorError,
  ): VendorError => {
    options.onGiveUp?.({vendor: vendor.name, verdict, attempt, reason, delayMs, error});
    return error;
  };

  return {
    init: [
      (kyOptions) => {
        const context = {...kyOptions.context};
        const totalTimeout = typeof kyOptions.totalTimeout === 'number' ? kyOptions.totalTimeout : undefined;
        startCall(context, totalTimeout);
        kyOptions.context = context;
        if (isIdempotentOptIn(context)) {
          const retry = typeof kyOptions.retry === 'number' ? {limit: kyOptions.retry} : {...kyOptions.retry};
          kyOptions.retry = {...retry, methods: ALL_METHODS};
        }
      },
    ],
    afterResponse: [
      async ({request, options: kyOptions, response, retryCount}) => {
        const head = {
          status: response.status,
          headers: response.headers,
          url: request.url,
          method: request.method,
        };
        if (response.ok && !(vendor.inspect?.(head) ?? false)) {
          return undefined;
        }
        const {body} = await readBody(response, {
          maxBytes: options.maxBodyBytes,
          timeoutMs: options.bodyTimeoutMs,
          signal: request.signal,
        });
        const verdict = classify(vendor, {status: response.status, headers: response.headers, body});
        if (verdict.action === 'ok') {
          return undefined;
        }
        const attempt = retryCount + 1;
        const error = createVendorError(verdict, {
          attempts: attempt,
          envelope: body,
          method: request.method,
          url: request.url,
          request,
          response,
        });
        if (verdict.action === 'fail' || verdict.action === 'poll') {
          throw giveUp(
            verdict,
            attempt,
            verdict.action === 'poll' ? 'not-ready' : 'fail',
            verdict.delayMs,
            error,
          );
        }
        if (!mayResend(request.method, verdict, isIdempotentOptIn(kyOptions.context))) {
          throw giveUp(verdict, attempt, 'not-idempotent', undefined, error);
        }
        const state = callState(kyOptions.context);
        const remainingMs =
          state.totalTimeoutMs === undefined
            ? undefined
            : state.totalTimeoutMs - (Date.now() - state.startedAt);
        const plan = planRetry(verdict, {
          attempt,
          baseDelayMs: options.baseDelayMs,
          maxDelayMs: options.maxDelayMs,
          maxWaitMs: options.maxWaitMs,
          remainingMs,
          random: options.random,
        });
        if (retryCount >= kyOptions.retry.limit) {
          throw giveUp(verdict, attempt, 'exhausted', plan.delayMs, error);
        }
        if (!plan.retry) {
          const late = createVendorError(
            {...verdict, delayMs: plan.delayMs},
            {...errorFields(error), attempts: attempt},
          );
          throw giveUp(verdict, attempt, 'deadline', plan.delayMs, late);
        }
        options.onRetry?.({
          vendor: vendor.name,
          verdict,
          attempt,
          delayMs: plan.delayMs,
          method: request.method,
          url: request.url,
        });
        return ky.retry({delay: plan.delayMs, code: String(verdict.code ?? verdict.category), cause: error});
      },
    ],
    beforeError: [
      ({error, retryCount}) => {
        // Exhausted forced retries surface as ky's ForceRetryError: give back the vendor's error.
        if (isForceRetryError(error) && error.cause instanceof VendorError) {
          const cause = error.cause;
          const verdict = verdictOf(cause);
          return giveUp(verdict, retryCount + 1, 'exhausted', cause.delayMs, cause);
        }
        if (isNetworkError(error) || isTimeoutError(error)) {
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

/** Whether ky may resend after a network error or a timeout (its method check already ran). */
export const shouldRetryNetwork =
  (vendor: Vendor, options: NormalizedVendorOptions) =>
  ({error, retryCount}: {error: Error; retryCount: number}): boolean => {
    if (!isNetworkError(error) && !isTimeoutError(error)) {
      // Every HTTP status is decided once, in afterResponse.
      return false;
    }
    const request: KyRequest = error.request;
    options.onRetry?.({
      vendor: vendor.name,
      verdict: networkVerdict(vendor.name, error.message),
      attempt: retryCount,
      delayMs: undefined,
      method: request.method,
      url: request.url,
    });
    return true;
  };

/** The methods ky may retry on its own (network errors); opt-ins widen it per request. */
export const RETRY_METHODS = [...IDEMPOTENT_METHODS].map((method) => method.toLowerCase());

const errorFields = (error: VendorError) => ({
  envelope: error.envelope,
  method: error.method,
  url: error.url,
  request: error.request,
  response: error.response,
});

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
