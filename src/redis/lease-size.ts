/**
 * @module `leaseSize()`: how many tokens one `admit` round trip takes for this process.
 */

/** What the lease size depends on. */
export type LeaseInput = {
  /** The key's pace, in requests per second. */
  readonly ratePerSecond: number;
  /** The key's burst, in requests. */
  readonly burst: number;
  /** Processes that asked for this key in the last seconds (this one included). */
  readonly fleetSize: number;
  /** The most tokens one round trip may take (`createRedisStore`'s `leaseSize`). */
  readonly maxLease: number;
  /** How long a lease may be spent, in milliseconds. */
  readonly leaseMs: number;
};

/**
 * Tokens to ask for in one round trip. A lease is a burst this process may send at once, so it
 * stays within its share of the key's burst (half of `burst / fleetSize`), within what the rate
 * refills while the lease lives (a lease is for high rates), and within `maxLease`. Always ≥ 1.
 *
 * @example
 * ```ts
 * leaseSize({ratePerSecond: 2000, burst: 100, fleetSize: 4, maxLease: 8, leaseMs: 50}); // 8
 * ```
 */
export const leaseSize = ({ratePerSecond, burst, fleetSize, maxLease, leaseMs}: LeaseInput): number =>
  Math.max(
    1,
    Math.min(
      maxLease,
      Math.floor(burst / (2 * Math.max(1, fleetSize))),
      Math.floor((ratePerSecond * leaseMs) / 1000),
    ),
  );
