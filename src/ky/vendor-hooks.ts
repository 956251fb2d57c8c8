/**
 * @module `vendorHooks()`: the ky hooks that classify every attempt and act on the verdict.
 */
import ky, {type Hooks, isForceRetryError, type KyRequest, NetworkError, TimeoutError} from 'ky';
import {classify} from '../classify/classify.ts';
import type {Vendor} from '../core/define-vendor.ts';
import type {FailureVerdict} from '../core/types.ts';
import {CircuitOpenError} from '../errors/CircuitOpenError.ts';
import {createVendorError} from '../errors/create-vendor-error.ts';
import {VendorError} from '../errors/VendorError.ts';
import {IDEMPOTENT_METHODS, mayResend} from '../policy/idempotency.ts';
import {type FetchFunction, type LimitedAttempt, limitFetch} from '../policy/limiter/limit-fetch.ts';
import {throttleFeedback} from '../policy/limiter/throttle-feedback.ts';
import {planRetry} from '../policy/plan-retry.ts';
import {callState, isIdempotentOptIn, remainingMs, startCall} from './call-state.ts';
import {guardFetch, guardsEachAttempt, recordVerdict} from './guards.ts';
import {type IncompleteReason, readBody} from './read-body.ts';
import {
  type GiveUpReason,
  type NormalizedVendorOptions,
  normalizeVendorOptions,
  type VendorOptions,
} from './vendor-options.ts';

const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'query', 'trace', 'post', 'patch'];

/** Where a call keeps its latest attempt through the limiter (the context is per call). */
const attemptKey = Symbol.for('ky-vendors.limited-attempt');

type AttemptSlot = {current: LimitedAttempt | undefined};

const attemptOf = (context: unknown): LimitedAttempt | undefined =>
  (context as Record<symbol, AttemptSlot | undefined> | undefined)?.[attemptKey]?.current;

const globalFetch: FetchFunction = (input, init) => globalThis.fetch(input, init);

/** Feedback must never break a request: a failing shared store only costs pacing. */
const quietly = async (report: Promise<void>): Promise<void> => {
  await report.catch(() => {});
};

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
  const {guards, limiter} = options;
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
        const context: Record<string | symbol, unknown> = {...kyOptions.context};
        startCall(
          context,
          typeof kyOptions.totalTimeout === 'number' ? kyOptions.totalTimeout : undefined,
          typeof kyOptions.timeout === 'number'
            ? kyOptions.timeout
            : kyOptions.timeout === false
              ? undefined
              : 10_000,
        );
        let fetch: FetchFunction | undefined;
        if (limiter !== undefined) {
          // Wrapped per call, so the response hook knows which attempt (key, send time) it reads.
          const slot: AttemptSlot = {current: undefined};
          context[attemptKey] = slot;
          fetch = limitFetch(limiter, kyOptions.fetch ?? options.fetch ?? globalFetch, {
            key: guards.key,
            onSend: (attempt) => {
              slot.current = attempt;
            },
          });
        }
        if (guardsEachAttempt(guards)) {
          // Outside the limiter: a refused request must not wait for a turn first.
          fetch = guardFetch(vendor, guards, fetch ?? kyOptions.fetch ?? options.fetch ?? globalFetch);
        }
        if (fetch !== undefined) {
          kyOptions.fetch = fetch;
        }
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
        const key = guards.key(request);
        const sent = limiter === undefined ? undefined : attemptOf(kyOptions.context);
        const state = callState(kyOptions.context);
        if (response.ok && !(vendor.inspect?.(head) ?? false)) {
          await reportSuccess(options, key, sent, retryCount);
          return undefined;
        }
        const read = await readBody(response, {
          maxBytes: options.maxBodyBytes,
          timeoutMs: Math.max(
            0,
            Math.min(
              options.bodyTimeoutMs,
              state.attemptTimeoutMs ?? Infinity,
              remainingMs(state) ?? Infinity,
            ),
          ),
          signal: request.signal,
        });
        const verdict =
          response.ok && !read.complete
            ? unreadable(vendor.name, response.status, read.reason)
            : classify(vendor, {status: response.status, headers: response.headers, body: read.body});
        if (verdict === undefined) {
          // A successful body too large to be an error envelope: it is data.
          await reportSuccess(options, key, sent, retryCount);
          return undefined;
        }
        recordVerdict(guards, key, verdict);
        const feedback =
          verdict.action === 'throttle'
            ? throttleFeedback(vendor, verdict, {headers: response.headers, body: read.body}, sent?.sentAt)
            : undefined;
        if (verdict.action === 'ok') {
          await reportSuccess(options, key, sent, retryCount);
          return undefined;
        }
        if (limiter !== undefined && sent !== undefined) {
          await quietly(
            feedback === undefined
              ? limiter.onSuccess(sent.key, {sentAt: sent.sentAt})
              : limiter.onThrottle(sent.key, feedback),
          );
        }
        const attempt = retryCount + 1;
        const error = createVendorError(verdict, {
          attempts: attempt,
          envelope: read.body,
          method: request.method,
          url: request.url,
          request,
          response,
        });
        if (verdict.action === 'fail' || verdict.action === 'poll') {
          const reason = verdict.action === 'poll' ? 'not-ready' : 'fail';
          throw giveUp(verdict, attempt, reason, verdict.delayMs, error);
        }
        if (!mayResend(request.method, verdict, isIdempotentOptIn(kyOptions.context))) {
          throw giveUp(verdict, attempt, 'not-idempotent', undefined, error);
        }
        // A throttle the limiter heard needs no backoff of its own: the limiter slowed the whole
        // key and queues the resend; only a wait the server stated still applies.
        const paced = feedback !== undefined && limiter !== undefined;
        const plan = planRetry(paced ? {delayMs: feedback.delayMs} : verdict, {
          attempt,
          baseDelayMs: paced ? 0 : options.baseDelayMs,
          maxDelayMs: paced ? 0 : options.maxDelayMs,
          maxWaitMs: options.maxWaitMs,
          remainingMs: remainingMs(state),
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
        // Throttles are the vendor pacing us, bounded by the retry limit and the limiter; the
        // budget is for outages, where retries would multiply the traffic of a failing vendor.
        if (verdict.action === 'retry' && guards.budget !== undefined && !guards.budget.tryRetry(key)) {
          throw giveUp(verdict, attempt, 'budget', plan.delayMs, error);
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
          return giveUp(verdictOf(cause), retryCount + 1, 'exhausted', cause.delayMs, cause);
        }
        if (error instanceof CircuitOpenError) {
          return giveUp(verdictOf(error), retryCount, 'circuit-open', error.delayMs, error);
        }
        if (error instanceof NetworkError || error instanceof TimeoutError) {
          // ky keeps the request enumerable on its errors, and util.inspect would print its
          // headers (Authorization, Access-Key, X-Auth-Token).
          Object.defineProperty(error, 'request', {
            value: error.request,
            enumerable: false,
            configurable: true,
          });
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

/** Tells the limiter and the budget about a success. */
const reportSuccess = async (
  options: NormalizedVendorOptions,
  key: string,
  sent: LimitedAttempt | undefined,
  retryCount: number,
): Promise<void> => {
  const {budget, breaker} = options.guards;
  budget?.onSuccess(key, retryCount * budget.cost('response'));
  breaker?.record(key, 'success');
  if (options.limiter !== undefined && sent !== undefined) {
    await quietly(options.limiter.onSuccess(sent.key, {sentAt: sent.sentAt}));
  }
};

/**
 * The verdict for a successful response whose body must be read but could not be: cut off or
 * too slow is a passing failure (never success); too large to be an error envelope is data.
 */
const unreadable = (vendor: string, status: number, reason: IncompleteReason): FailureVerdict | undefined =>
  reason === 'too-large'
    ? undefined
    : {
        vendor,
        action: 'retry',
        category: 'transient',
        status,
        message: reason === 'timeout' ? 'the body did not arrive in time' : 'the body was cut off',
      };

/** Whether ky may resend after a network error or a timeout (its method check already ran). */
export const shouldRetryNetwork =
  (vendor: Vendor, options: NormalizedVendorOptions) =>
  ({error, retryCount}: {error: Error; retryCount: number}): boolean => {
    // instanceof, not ky's name-based guards: an abort reason named TimeoutError (a DOMException
    // from AbortSignal.timeout) is the caller's decision, not a failed attempt.
    if (!(error instanceof NetworkError) && !(error instanceof TimeoutError)) {
      // Every HTTP status is decided once, in afterResponse.
      return false;
    }
    const request: KyRequest = error.request;
    const {budget} = options.guards;
    if (budget !== undefined && !budget.tryRetry(options.guards.key(request), 'network')) {
      return false;
    }
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
