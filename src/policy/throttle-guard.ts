/**
 * @module Stops sending to a vendor that punishes repeated throttling (BrightData blocks an IP
 * after 25 429s in 5 minutes) well before its threshold.
 */

/**
 * A vendor's throttle threshold and where this package stops.
 *
 * @example
 * ```ts
 * const guard = createThrottleGuard({maxThrottles: 10, windowMs: 5 * 60_000});
 * ```
 */
export type ThrottleGuardOptions = {
  /** Throttles within the window after which no request is sent until the oldest leaves it. */
  readonly maxThrottles: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
  /** Why the vendor must not be pushed further (shown in the error). */
  readonly reason?: string;
  /** The clock. @default Date.now */
  readonly now?: () => number;
};

/** Per-key sliding windows of throttle responses. */
export type ThrottleGuard = {
  /** `undefined` when requests may go out, else when they may again. */
  readonly blockedUntil: (key: string) => number | undefined;
  readonly recordThrottle: (key: string) => void;
  readonly options: ThrottleGuardOptions;
};

/**
 * Creates a throttle guard over a sliding window.
 *
 * @example
 * ```ts
 * guard.recordThrottle(key);
 * const until = guard.blockedUntil(key); // a time in ms, or undefined
 * ```
 */
export const createThrottleGuard = (options: ThrottleGuardOptions): ThrottleGuard => {
  const now = options.now ?? Date.now;
  const windows = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const cutoff = now() - options.windowMs;
    const times = (windows.get(key) ?? []).filter((time) => time > cutoff);
    if (times.length === 0) {
      windows.delete(key);
    } else {
      windows.set(key, times);
    }
    return times;
  };
  return {
    blockedUntil: (key) => {
      const times = recent(key);
      const oldestThatCounts = times[times.length - options.maxThrottles];
      return times.length >= options.maxThrottles && oldestThatCounts !== undefined
        ? oldestThatCounts + options.windowMs
        : undefined;
    },
    recordThrottle: (key) => {
      windows.set(key, [...recent(key), now()]);
    },
    options,
  };
};
