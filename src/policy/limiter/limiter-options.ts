/**
 * @module The options of `createLimiter()` and their defaults in one place.
 */

import {createMemoryStore} from '../store/memory-store.ts';
import type {Store} from '../store/store.ts';
import type {LimiterParams} from './limiter-state.ts';

/**
 * Options of `createLimiter()`. Every field is optional.
 *
 * @example
 * ```ts
 * const limiter = createLimiter({initialRatePerSecond: 50, maxConcurrency: 16});
 * ```
 */
export type LimiterOptions = {
  /**
   * The rate a new key starts at. It doubles every 100 ms while requests queue, until the first
   * throttle; start near the vendor's known limit to skip that search.
   * @default 10
   */
  readonly initialRatePerSecond?: number;
  /**
   * The rate never drops below this, so a key always recovers (a rate the vendor states in its
   * throttle message may still go lower).
   * @default 0.1
   */
  readonly minRatePerSecond?: number;
  /**
   * The rate never grows past this.
   * @default Infinity
   */
  readonly maxRatePerSecond?: number;
  /**
   * The most requests of one key in flight at once in this process, from send until the response
   * headers arrive.
   * @default Infinity
   */
  readonly maxConcurrency?: number;
  /**
   * The deepest single cut on a throttle, as a factor of the rate (`0.5` halves it).
   * @default 0.5
   */
  readonly decreaseFactor?: number;
  /**
   * After the first throttle, how fast the rate grows while requests queue: each accepted request
   * adds this many requests per second, which grows the rate by this fraction each second.
   * @default 0.2
   */
  readonly growthPerSecond?: number;
  /**
   * Leave a key unpaced until its first throttle: no queue, timer or await before the vendor says
   * the pace is too high. `false` paces every key from its first request (slow start from
   * `initialRatePerSecond`), for a vendor whose limit you know.
   * @default true
   */
  readonly openUntilThrottled?: boolean;
  /**
   * Where the per-key state lives. Pass a shared store to let several processes pace together.
   * @default createMemoryStore()
   */
  readonly store?: Store;
  /**
   * The key of a request: requests with the same key share a rate and a concurrency cap. Used
   * when the limiter wraps `fetch`.
   * @default the vendor's name and the request's host, `upyun:v0.api.upyun.com`
   * @example
   * ```ts
   * // One rate per UPYUN bucket (the first path segment).
   * createLimiter({key: (request) => `upyun:${new URL(request.url).pathname.split('/')[1]}`});
   * ```
   */
  readonly key?: (request: Request) => string;
};

/** `LimiterOptions` with every default applied. */
export type NormalizedLimiterOptions = LimiterParams & {
  readonly maxConcurrency: number;
  readonly store: Store;
  readonly openUntilThrottled: boolean;
  readonly key: ((request: Request) => string) | undefined;
};

/** The defaults, in one place. */
export const DEFAULT_LIMITER_OPTIONS = {
  initialRatePerSecond: 10,
  minRatePerSecond: 0.1,
  maxRatePerSecond: Infinity,
  maxConcurrency: Infinity,
  decreaseFactor: 0.5,
  growthPerSecond: 0.2,
} as const;

const positive = (name: string, value: number | undefined, allowInfinity = false): void => {
  if (value !== undefined && !(value > 0 && (allowInfinity || Number.isFinite(value)))) {
    throw new TypeError(`\`${name}\` must be a positive number, got ${value}`);
  }
};

/**
 * Applies the defaults and checks the ranges.
 *
 * @throws {TypeError} for a non-positive rate, a `decreaseFactor` outside `(0, 1)`, or a
 * `maxConcurrency` that is not a positive integer.
 */
export const normalizeLimiterOptions = (options: LimiterOptions = {}): NormalizedLimiterOptions => {
  positive('initialRatePerSecond', options.initialRatePerSecond);
  positive('minRatePerSecond', options.minRatePerSecond);
  positive('maxRatePerSecond', options.maxRatePerSecond, true);
  positive('growthPerSecond', options.growthPerSecond);
  positive('maxConcurrency', options.maxConcurrency, true);
  const {maxConcurrency, decreaseFactor} = options;
  if (maxConcurrency !== undefined && Number.isFinite(maxConcurrency) && !Number.isInteger(maxConcurrency)) {
    throw new TypeError(`\`maxConcurrency\` must be a positive integer, got ${maxConcurrency}`);
  }
  if (decreaseFactor !== undefined && !(decreaseFactor > 0 && decreaseFactor < 1)) {
    throw new TypeError(`\`decreaseFactor\` must be between 0 and 1, got ${decreaseFactor}`);
  }
  const minRatePerSecond = options.minRatePerSecond ?? DEFAULT_LIMITER_OPTIONS.minRatePerSecond;
  const maxRatePerSecond = Math.max(
    minRatePerSecond,
    options.maxRatePerSecond ?? DEFAULT_LIMITER_OPTIONS.maxRatePerSecond,
  );
  const initial = options.initialRatePerSecond ?? DEFAULT_LIMITER_OPTIONS.initialRatePerSecond;
  return {
    initialRatePerSecond: Math.min(maxRatePerSecond, Math.max(minRatePerSecond, initial)),
    minRatePerSecond,
    maxRatePerSecond,
    decreaseFactor: decreaseFactor ?? DEFAULT_LIMITER_OPTIONS.decreaseFactor,
    growthPerSecond: options.growthPerSecond ?? DEFAULT_LIMITER_OPTIONS.growthPerSecond,
    maxConcurrency: maxConcurrency ?? DEFAULT_LIMITER_OPTIONS.maxConcurrency,
    store: options.store ?? createMemoryStore(),
    openUntilThrottled: options.openUntilThrottled ?? true,
    key: options.key,
  };
};
