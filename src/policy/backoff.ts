/**
 * @module Exponential backoff with full jitter.
 */

/** Backoff parameters, in milliseconds. */
export type BackoffOptions = {
  /** The first wait's upper bound. @default 500 */
  readonly baseDelayMs: number;
  /** No wait is longer than this. @default 30_000 */
  readonly maxDelayMs: number;
};

/**
 * The upper bound of the wait before attempt `attempt + 1`: `min(max, base · 2^(attempt-1))`.
 * `attempt` counts from 1 (the first retry).
 */
export const backoffCeiling = (attempt: number, {baseDelayMs, maxDelayMs}: BackoffOptions): number => {
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 52);
  const ceiling = Math.max(0, baseDelayMs) * 2 ** exponent;
  return Math.max(0, Math.min(Math.max(0, maxDelayMs), Number.isFinite(ceiling) ? ceiling : maxDelayMs));
};

/**
 * Full jitter ("Exponential Backoff And Jitter", AWS): a uniform wait in `[0, ceiling)`. Spreads
 * clients out so a throttled vendor is not hit by every client at the same instant.
 *
 * @example
 * ```ts
 * fullJitter(3, {baseDelayMs: 500, maxDelayMs: 30_000}); // somewhere in [0, 2000)
 * ```
 */
export const fullJitter = (
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number => {
  const sample = random();
  const unit = Number.isFinite(sample) ? Math.min(Math.max(sample, 0), 1) : 0;
  return Math.floor(unit * backoffCeiling(attempt, options));
};
