/**
 * @module `decideFetch()`: the `fetch` wrapper that classifies each attempt and acts on the verdict.
 */

import {classify} from '../classify/classify.ts';
import type {Vendor} from '../core/define-vendor.ts';
import {redactUrl} from '../core/redact.ts';
import {toRequest} from '../core/to-request.ts';
import type {FailureVerdict} from '../core/types.ts';
import {createVendorError} from '../errors/create-vendor-error.ts';
import type {VendorError} from '../errors/VendorError.ts';
import {mayResend} from '../policy/idempotency.ts';
import type {FetchFunction, LimitedAttempt} from '../policy/limiter/limit-fetch.ts';
import {throttleFeedback} from '../policy/limiter/throttle-feedback.ts';
import {planRetry} from '../policy/plan-retry.ts';
import {type CallState, remainingMs} from './call-state.ts';
import {recordVerdict} from './guards.ts';
import {type IncompleteReason, readBody} from './read-body.ts';
import {RetrySignal} from './retry-signal.ts';
import type {GiveUpReason, NormalizedVendorOptions} from './vendor-options.ts';

/** What one ky call shares between its attempts and its retry options. */
export type CallSlot = {
  /** Attempts started so far (the current one included). */
  attempts: number;
  /** When the current attempt started (`Date.now()`): ky's per-attempt timeout runs from then. */
  attemptStartedAt: number;
  /** The wait ky applies before the next attempt. */
  plannedDelayMs: number;
  /** The latest attempt that went out through the limiter. */
  sent: LimitedAttempt | undefined;
  /** ky's retry limit for this call. */
  readonly retryLimit: number;
  readonly state: CallState;
  /** Whether the caller opted this request in to resending. */
  readonly idempotentOptIn: boolean;
};

/** Reports why no further attempt is made, and returns the error to throw. */
export type GiveUp = (
  verdict: FailureVerdict,
  attempt: number,
  reason: GiveUpReason,
  delayMs: number | undefined,
  error: VendorError,
) => VendorError;

/** Builds the `giveUp` of one vendor instance. */
export const giveUpWith =
  (vendor: Vendor, options: NormalizedVendorOptions): GiveUp =>
  (verdict, attempt, reason, delayMs, error) => {
    options.onGiveUp?.({vendor: vendor.name, verdict, attempt, reason, delayMs, error});
    return error;
  };

/** Feedback must never break a request: a failing shared store only costs pacing. */
export const quietly = async (report: Promise<void>): Promise<void> => {
  await report.catch(() => {});
};

/** Cancels a body nobody will read, so its connection is freed. */
const discard = (response: Response): void => {
  response.body?.cancel().catch(() => {});
};

/**
 * Wraps `fetch` so every attempt is decided as its response arrives. A 2xx the vendor's
 * `inspect()` does not select is reported and returned untouched: no clone, no read. Any other
 * response is classified from a bounded read of a clone; an `ok` verdict returns the original,
 * `fail` and `poll` throw the typed error, and `retry`/`throttle` either plan the next attempt
 * (throwing `RetrySignal`, which ky's `shouldRetry` accepts) or throw the typed error.
 */
export const decideFetch = (
  vendor: Vendor,
  options: NormalizedVendorOptions,
  slot: CallSlot,
  fetch: FetchFunction,
  giveUp: GiveUp,
): FetchFunction => {
  const {guards, limiter} = options;
  const inspect = vendor.inspect;
  return async (input, init) => {
    const response = await fetch(input, init);
    const request = toRequest(input, init);
    const attempt = slot.attempts;
    const retryCount = attempt - 1;
    if (
      response.ok &&
      (inspect === undefined ||
        !inspect({
          status: response.status,
          headers: response.headers,
          url: request.url,
          method: request.method,
        }))
    ) {
      const reported = reportSuccess(options, guards.key(request), slot.sent, retryCount);
      if (reported !== undefined) {
        await reported;
      }
      return response;
    }
    const key = guards.key(request);
    const sent = limiter === undefined ? undefined : slot.sent;
    const {state} = slot;
    const read = await readBody(response.clone(), {
      maxBytes: options.maxBodyBytes,
      timeoutMs: readTimeoutMs(options.bodyTimeoutMs, slot),
      signal: request.signal,
    });
    const verdict =
      response.ok && !read.complete
        ? unreadable(vendor.name, response.status, read.reason)
        : classify(vendor, {status: response.status, headers: response.headers, body: read.body});
    if (verdict === undefined) {
      // A successful body too large to be an error envelope: it is data.
      await reportSuccess(options, key, sent, retryCount);
      return response;
    }
    recordVerdict(guards, key, verdict);
    if (verdict.action === 'ok') {
      await reportSuccess(options, key, sent, retryCount);
      return response;
    }
    discard(response);
    const feedback =
      verdict.action === 'throttle'
        ? throttleFeedback(vendor, verdict, {headers: response.headers, body: read.body}, sent?.sentAt)
        : undefined;
    if (limiter !== undefined && sent !== undefined) {
      await quietly(
        feedback === undefined
          ? limiter.onSuccess(sent.key, {sentAt: sent.sentAt})
          : limiter.onThrottle(sent.key, feedback),
      );
    }
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
    if (!mayResend(request.method, verdict, slot.idempotentOptIn)) {
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
    if (retryCount >= slot.retryLimit) {
      throw giveUp(verdict, attempt, 'exhausted', plan.delayMs, error);
    }
    if (!plan.retry) {
      const late = createVendorError(
        {...verdict, delayMs: plan.delayMs},
        {envelope: read.body, method: request.method, url: request.url, request, response, attempts: attempt},
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
      url: redactUrl(request.url),
    });
    slot.plannedDelayMs = plan.delayMs;
    throw new RetrySignal(error);
  };
};

/**
 * Time ky's timers leave for the classifying read, less a margin: the read runs inside ky's
 * per-attempt timeout now, and must end first so the attempt is decided by its verdict.
 */
const TIMER_MARGIN_MS = 10;

const readTimeoutMs = (bodyTimeoutMs: number, slot: CallSlot): number => {
  const {state} = slot;
  const attemptLeft =
    state.attemptTimeoutMs === undefined
      ? Infinity
      : state.attemptTimeoutMs - (Date.now() - slot.attemptStartedAt) - TIMER_MARGIN_MS;
  const callLeft = (remainingMs(state) ?? Infinity) - TIMER_MARGIN_MS;
  return Math.max(0, Math.min(bodyTimeoutMs, attemptLeft, callLeft));
};

/**
 * Tells the limiter and the budget about a success. Synchronous unless a limiter must hear of
 * it: the pass-through path should cost no extra turn of the event loop.
 */
const reportSuccess = (
  options: NormalizedVendorOptions,
  key: string,
  sent: LimitedAttempt | undefined,
  retryCount: number,
): Promise<void> | undefined => {
  const {budget, breaker} = options.guards;
  budget?.onSuccess(key, retryCount * budget.cost('response'));
  breaker?.record(key, 'success');
  return options.limiter !== undefined && sent !== undefined
    ? quietly(options.limiter.onSuccess(sent.key, {sentAt: sent.sentAt}))
    : undefined;
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
