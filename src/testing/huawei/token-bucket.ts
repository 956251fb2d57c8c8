/**
 * @module `createTokenBucket()`: the rate limiter behind the simulated gateway's `APIGW.0308`.
 */
import {type TokenBucket, tokenBucket} from '../shared/token-bucket.ts';

/**
 * A rate limit: at most `limit` requests per `windowMs`.
 *
 * @example
 * ```ts
 * const limit: RateLimit = {limit: 5, windowMs: 1000};
 * ```
 */
export type RateLimit = {
  readonly limit: number;
  readonly windowMs: number;
};

/**
 * A token bucket: `take()` spends one token if there is one.
 *
 * @example
 * ```ts
 * if (!bucket.take()) return throttled();
 * ```
 */
export type {TokenBucket} from '../shared/token-bucket.ts';

/**
 * A bucket of `limit` tokens that refills at `limit` per `windowMs`, read against `now()`.
 * A full burst of `limit` requests passes; after that one request passes per `windowMs / limit`.
 *
 * @example
 * ```ts
 * const bucket = createTokenBucket({limit: 5, windowMs: 1000}, () => Date.now());
 * bucket.take(); // true, five times in a row
 * ```
 */
export const createTokenBucket = ({limit, windowMs}: RateLimit, now: () => number): TokenBucket =>
  tokenBucket({ratePerSecond: (limit * 1000) / Math.max(1, windowMs), burst: limit, now});

/**
 * A window as the gateway writes it in its throttling message: `1 second`, `5 second`, `1 minute`.
 *
 * @example
 * ```ts
 * describeWindow(60_000); // '1 minute'
 * ```
 */
export const describeWindow = (windowMs: number): string => {
  if (windowMs >= 3_600_000 && windowMs % 3_600_000 === 0) {
    return `${windowMs / 3_600_000} hour`;
  }
  if (windowMs >= 60_000 && windowMs % 60_000 === 0) {
    return `${windowMs / 60_000} minute`;
  }
  return `${Math.max(1, Math.round(windowMs / 1000))} second`;
};
