/**
 * @module `decideAttempt()`: the one decision made for each attempt of a call. Pure: no ky, no
 * timers, no clock; everything it needs is in the verdict and the call's context.
 */
import type {FailureVerdict} from '../core/types.ts';
import {mayResend} from './idempotency.ts';

/**
 * Why no further attempt is made.
 * - `fail`: the verdict is final (validation, auth, not found…).
 * - `not-ready`: the resource is being prepared; waiting is the caller's (or `poll()`'s) business.
 * - `not-idempotent`: a POST/PATCH whose outcome is unknown is never resent unasked.
 * - `exhausted`: the retry limit is spent.
 * - `deadline`: the wait would not end before the call's deadline.
 * - `wait-too-long`: the server stated (or a hard rule needs) a wait longer than `maxWaitMs`.
 * - `budget`: the retry budget of the key is empty (an outage is not multiplied).
 * - `circuit-open`: a guard refused to send (breaker open, or the throttle guard's ceiling).
 * - `network`: a network error or timeout that could not be retried.
 */
export type GiveUpReason =
  | 'fail'
  | 'not-ready'
  | 'not-idempotent'
  | 'exhausted'
  | 'deadline'
  | 'wait-too-long'
  | 'budget'
  | 'circuit-open'
  | 'network';

/** What the call knows when an attempt's verdict arrives. */
export type AttemptContext = {
  /** The request method (any case). */
  readonly method: string;
  /** The caller said this request is safe to send twice (`context: {idempotent: true}`). */
  readonly idempotentOptIn: boolean;
  /** Attempts made, this one included (from 1). */
  readonly attempt: number;
  /** How many times the request may be resent. */
  readonly retryLimit: number;
  /** Milliseconds left before the call's deadline; `undefined` without one. */
  readonly remainingMs: number | undefined;
  /** The longest single wait the caller accepts. */
  readonly maxWaitMs: number;
  /** This attempt's backoff (already jittered), used when the response states no wait. */
  readonly backoffMs: number;
  /**
   * The limiter heard this throttle and slows the whole key: no backoff of the call's own, only a
   * wait the server stated (or a hard rule).
   */
  readonly paced: boolean;
  /** An auth helper can fetch a fresh credential for this verdict, and has not yet in this call. */
  readonly canRefresh: boolean;
  /**
   * Asked last, and only for outage retries (`retry` verdicts): whether the retry budget grants
   * one more. Throttles are the vendor pacing us and never spend it.
   */
  readonly budgetAllows: () => boolean;
};

/** What to do with an attempt. */
export type Decision =
  | {readonly kind: 'retry'; readonly delayMs: number; readonly refresh: boolean}
  | {readonly kind: 'giveUp'; readonly reason: GiveUpReason; readonly delayMs: number | undefined};

/**
 * The wait a retry of `verdict` needs, by evidence: the wait this response stated, shorter or
 * longer than anything documented; else (unless the limiter paces the key) the backoff, never
 * below the vendor's documented wait (BrightData documents 2 s, then backs off 4, 8, 16…); never
 * below a hard rule's `minDelayMs`.
 */
export const waitFor = (
  verdict: Pick<FailureVerdict, 'statedDelayMs' | 'defaultDelayMs' | 'minDelayMs'>,
  backoffMs: number,
  paced = false,
): number => {
  const chosen = verdict.statedDelayMs ?? (paced ? 0 : Math.max(verdict.defaultDelayMs ?? 0, backoffMs));
  return Math.max(chosen, verdict.minDelayMs ?? 0);
};

/**
 * Decides one attempt: retry after a wait, or give up with a reason. In order: a fresh credential
 * when an auth helper can get one; final verdicts (`fail`, `poll`); whether the request may be
 * resent; the retry limit; whether the wait fits `maxWaitMs` (a stated wait or hard rule that does
 * not fit fails at once, a default or backoff is clamped to it) and the call's deadline; last the
 * retry budget, so a refused retry never spends it.
 *
 * @example
 * ```ts
 * decideAttempt(verdict, {method: 'PUT', idempotentOptIn: false, attempt: 1, retryLimit: 4,
 *   remainingMs: undefined, maxWaitMs: 120_000, backoffMs: 300, paced: false, canRefresh: false,
 *   budgetAllows: () => true});
 * // {kind: 'retry', delayMs: 1000, refresh: false} for UPYUN 42900001 without Retry-After
 * ```
 */
export const decideAttempt = (verdict: FailureVerdict, context: AttemptContext): Decision => {
  const exhausted = context.attempt - 1 >= context.retryLimit;
  if (verdict.category === 'auth' && context.canRefresh && !exhausted) {
    // The credential expired before the vendor acted on the request: resend at once with a new one.
    return {kind: 'retry', delayMs: 0, refresh: true};
  }
  const told = verdict.statedDelayMs ?? verdict.defaultDelayMs;
  if (verdict.action === 'fail') {
    return giveUp('fail', told);
  }
  if (verdict.action === 'poll') {
    return giveUp('not-ready', told);
  }
  if (!mayResend(context.method, verdict, context.idempotentOptIn)) {
    return giveUp('not-idempotent', undefined);
  }
  const wanted = waitFor(verdict, context.backoffMs, context.paced);
  if (exhausted) {
    return giveUp('exhausted', wanted);
  }
  const binding = Math.max(verdict.statedDelayMs ?? 0, verdict.minDelayMs ?? 0);
  if (binding > context.maxWaitMs) {
    // The server's word (or a hard rule) says no sooner: waiting less would only be refused again.
    return giveUp('wait-too-long', binding);
  }
  const delayMs = Math.min(wanted, Math.max(0, context.maxWaitMs));
  if (context.remainingMs !== undefined && delayMs >= context.remainingMs) {
    return giveUp('deadline', delayMs);
  }
  if (verdict.action === 'retry' && !context.budgetAllows()) {
    return giveUp('budget', delayMs);
  }
  return {kind: 'retry', delayMs, refresh: false};
};

/** A decision to give up. */
export const giveUp = (reason: GiveUpReason, delayMs: number | undefined): Decision => ({
  kind: 'giveUp',
  reason,
  delayMs,
});
