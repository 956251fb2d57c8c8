/**
 * @module The wait before the next attempt, or why there is none.
 */
import {type BackoffOptions, fullJitter} from './backoff.ts';

/** Inputs of a retry decision. */
export type PlanRetryInput = BackoffOptions & {
  /** The retry about to be made, counting from 1. */
  readonly attempt: number;
  /** The longest single wait the caller accepts; longer hints are clamped to it. */
  readonly maxWaitMs: number;
  /** Milliseconds left before the caller's deadline, if it has one. */
  readonly remainingMs?: number | undefined;
  readonly random?: () => number;
};

/** A retry decision. */
export type RetryPlan =
  | {readonly retry: true; readonly delayMs: number}
  | {readonly retry: false; readonly reason: 'deadline'; readonly delayMs: number};

/**
 * Full-jitter backoff, never below the vendor's hint, clamped by `maxWaitMs`; a wait that cannot
 * end before the deadline gives up at once instead of sleeping into a timeout.
 *
 * @example
 * ```ts
 * planRetry(verdict, {attempt: 1, baseDelayMs: 500, maxDelayMs: 30_000, maxWaitMs: 60_000, remainingMs: 5_000});
 * ```
 */
export const planRetry = (
  verdict: {readonly delayMs?: number | undefined},
  input: PlanRetryInput,
): RetryPlan => {
  const jittered = fullJitter(input.attempt, input, input.random);
  const delayMs = Math.min(Math.max(jittered, verdict.delayMs ?? 0), Math.max(0, input.maxWaitMs));
  if (input.remainingMs !== undefined && delayMs >= input.remainingMs) {
    return {retry: false, reason: 'deadline', delayMs};
  }
  return {retry: true, delayMs};
};
