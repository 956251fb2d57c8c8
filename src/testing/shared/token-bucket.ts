/**
 * @module `tokenBucket()`: the rate limit of the simulated vendor (R per second, with a burst).
 */

/** A token bucket read against an injected clock. */
export type TokenBucket = {
  /** Takes one token if there is one; `false` means the request is over the limit. */
  readonly take: () => boolean;
  /** Fills the bucket to its burst again (a simulator's `reset()`). */
  readonly refill: () => void;
  /** Whole tokens left now, without taking one (what a gateway reports as `remain`). */
  readonly remaining: () => number;
};

/**
 * A bucket holding at most `burst` tokens, refilled at `ratePerSecond`. An infinite rate never
 * refuses.
 *
 * @example
 * ```ts
 * const bucket = tokenBucket({ratePerSecond: 150, burst: 15, now: Date.now});
 * if (!bucket.take()) return tooManyRequests();
 * ```
 */
export const tokenBucket = ({
  ratePerSecond,
  burst,
  now,
}: {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly now: () => number;
}): TokenBucket => {
  let tokens = burst;
  let last = now();
  const refill = (): void => {
    const current = now();
    tokens = Math.min(burst, tokens + (Math.max(0, current - last) * ratePerSecond) / 1000);
    last = current;
  };
  return {
    take: () => {
      if (ratePerSecond === Number.POSITIVE_INFINITY) return true;
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    refill: () => {
      tokens = burst;
      last = now();
    },
    remaining: () => {
      if (ratePerSecond === Number.POSITIVE_INFINITY) return burst;
      refill();
      return Math.floor(tokens);
    },
  };
};
