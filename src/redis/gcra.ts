/**
 * @module `gcraAdmit()`: one GCRA decision (leases and reservations included) in integer
 * microseconds. The Redis store's Lua script makes the same decision on the server; this copy
 * paces a process while Redis is away, and the table tests pin the arithmetic down.
 */

/** What one decision depends on. Times are integer microseconds on one clock. */
export type GcraInput = {
  /** Now. */
  readonly nowUs: number;
  /** The theoretical arrival time stored for the key (`0` when none). */
  readonly tatUs: number;
  /** Microseconds per token, an integer ≥ 1 (`1e6 / rate`, rounded). */
  readonly intervalUs: number;
  /** Tokens that may go at once, ≥ 1. */
  readonly burst: number;
  /** Tokens wanted now (a lease), ≥ 1. */
  readonly want: number;
  /** A wait up to this many milliseconds reserves one token instead of refusing. */
  readonly reserveMs: number;
  /** No token goes before this time (a stated pause; `0` when none). */
  readonly pauseUntilUs: number;
};

/** The decision: `granted` tokens, to be spent after `waitMs`; `tatUs` is the next stored value. */
export type GcraDecision = {
  /** Tokens taken: `0` when refused (ask again after `waitMs`). */
  readonly granted: number;
  /** `0`: spend them now; else a reservation of one token that goes after this wait, or a refusal. */
  readonly waitMs: number;
  /** The theoretical arrival time to store (unchanged when refused). */
  readonly tatUs: number;
};

/**
 * Decides one admission. Integer arithmetic on purpose: with fractional intervals,
 * `(now + interval - tat) / interval` at `now ≈ 1.8e15` µs can floor to 0 when exactly one
 * token is due, so a key with a burst of 1 would be refused forever with a 1 ms wait.
 *
 * @example
 * ```ts
 * gcraAdmit({nowUs: 0, tatUs: 0, intervalUs: 1000, burst: 1, want: 1, reserveMs: 0, pauseUntilUs: 0});
 * // {granted: 1, waitMs: 0, tatUs: 1000}
 * ```
 */
export const gcraAdmit = (input: GcraInput): GcraDecision => {
  const {nowUs, intervalUs, want, reserveMs, pauseUntilUs} = input;
  const span = Math.floor(Math.max(1, input.burst) * intervalUs);
  const tat = Math.max(input.tatUs, nowUs);
  const at = Math.max(nowUs, tat + intervalUs - span, pauseUntilUs);
  const waitMs = Math.ceil((at - nowUs) / 1000);
  if (waitMs > 0) {
    return waitMs > reserveMs
      ? {granted: 0, waitMs, tatUs: tat}
      : {granted: 1, waitMs, tatUs: Math.max(tat, at) + intervalUs};
  }
  const granted = Math.max(1, Math.min(want, Math.floor((nowUs + span - tat) / intervalUs)));
  return {granted, waitMs: 0, tatUs: tat + granted * intervalUs};
};
