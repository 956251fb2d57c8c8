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
   * The rate a key paced from its first request (`openUntilThrottled: false`) starts at, and the
   * least a key engages at. It doubles every 50 ms while requests queue, until the first cut;
   * start near the vendor's known limit to skip that search.
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
   * headers arrive, open keys included. (A new key's own window is smaller at first: 10, one more
   * per answer.)
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
   * Leave a key unpaced until its first throttle: no timer or await before the vendor says the
   * pace is too high, only a window on a new key's requests in flight (10 at once, one more per
   * answer, none past 256). A key whose throttles turn out to be noise opens again. `false` paces
   * every key from its first request (slow start from `initialRatePerSecond`), for a vendor whose
   * limit you know.
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

/** Whether a rate is positive and finite (`NaN` is neither). */
const finitePositive = (value: number): boolean => value > 0 && value < Infinity;

/**
 * Applies the defaults and checks the ranges.
 *
 * @throws {TypeError} for a non-positive rate, a `decreaseFactor` outside `(0, 1)`, or a
 * `maxConcurrency` that is not a positive integer.
 */
export const normalizeLimiterOptions = (options: LimiterOptions = {}): NormalizedLimiterOptions => {
  /** The option `name`, checked (one message shape for all), or its default. */
  const option = (
    name: keyof typeof DEFAULT_LIMITER_OPTIONS,
    valid: (value: number) => boolean,
    must = 'a positive number',
  ): number => {
    const value = options[name];
    if (value !== undefined && !valid(value)) {
      throw new TypeError(`\`${name}\` must be ${must}, got ${value}`);
    }
    return value ?? DEFAULT_LIMITER_OPTIONS[name];
  };
  // Checked in this order: the first bad option is the one reported.
  const initial = option('initialRatePerSecond', finitePositive);
  const minRatePerSecond = option('minRatePerSecond', finitePositive);
  const maxRatePerSecond = Math.max(
    minRatePerSecond,
    option('maxRatePerSecond', (value) => value > 0),
  );
  const growthPerSecond = option('growthPerSecond', finitePositive);
  // Two checks, two messages: a positive number first, then a whole one.
  option('maxConcurrency', (value) => value > 0);
  const maxConcurrency = option(
    'maxConcurrency',
    (value) => value === Infinity || Number.isInteger(value),
    'a positive integer',
  );
  const decreaseFactor = option('decreaseFactor', (value) => value > 0 && value < 1, 'between 0 and 1');
  return {
    initialRatePerSecond: Math.min(maxRatePerSecond, Math.max(minRatePerSecond, initial)),
    minRatePerSecond,
    maxRatePerSecond,
    decreaseFactor,
    growthPerSecond,
    maxConcurrency,
    store: options.store ?? createMemoryStore(),
    openUntilThrottled: options.openUntilThrottled ?? true,
    key: options.key,
  };
};
