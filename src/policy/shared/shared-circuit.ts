/**
 * @module `SharedCircuit`: one key's circuit as a store keeps it for a fleet, and the pure
 * transitions the shared breaker applies to it (in the store's clock).
 */
import type {CircuitPermit, CircuitState} from '../circuit-breaker.ts';

/** One key's circuit in the store; times are the store's clock in ms. Absent: closed, no failures. */
export type SharedCircuit = {
  /** Transient failures recorded since the last success the fleet wrote. */
  readonly failures: number;
  /** Until when nothing is sent; half-open after it. */
  readonly openUntil?: number;
  /**
   * The half-open probe's claim: who holds it and until when. A prober that crashed frees the
   * slot when the claim runs out.
   */
  readonly prober?: string;
  readonly probeUntil?: number;
};

/** What the transitions need to know of the breaker. */
export type CircuitRules = {
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly probeTtlMs: number;
};

const ALLOWED: CircuitPermit = {allowed: true};

/** The state a circuit is in at `now`. */
export const circuitState = (circuit: SharedCircuit | undefined, now: number): CircuitState =>
  circuit?.openUntil === undefined ? 'closed' : now < circuit.openUntil ? 'open' : 'half-open';

/**
 * Whether a request may go at `now`, and the circuit after asking: a closed circuit lets it
 * through, an open one refuses until `openUntil`, a half-open one lets one probe through (`id`
 * claims it for `probeTtlMs`) and refuses the others while the claim holds. A refusal's `retryAt`
 * is always after `now`. Returns the very same circuit when nothing changes.
 *
 * @example
 * ```ts
 * permitCircuit({failures: 5, openUntil: 1000}, 1000, 'p1', rules);
 * // [{failures: 5, openUntil: 1000, prober: 'p1', probeUntil: 31_000}, {allowed: true}]
 * ```
 */
export const permitCircuit = (
  circuit: SharedCircuit | undefined,
  now: number,
  id: string,
  rules: CircuitRules,
): readonly [SharedCircuit | undefined, CircuitPermit] => {
  const state = circuitState(circuit, now);
  if (circuit === undefined || state === 'closed') {
    return [circuit, ALLOWED];
  }
  if (state === 'open') {
    return [circuit, {allowed: false, retryAt: Math.max(now + 1, circuit.openUntil ?? now)}];
  }
  if (circuit.probeUntil !== undefined && circuit.probeUntil > now) {
    // The probe's answer decides: look again shortly, never later than its claim runs out.
    return [
      circuit,
      {
        allowed: false,
        retryAt: Math.max(now + 1, Math.min(circuit.probeUntil, now + Math.min(rules.openMs, 1000))),
      },
    ];
  }
  return [{...circuit, prober: id, probeUntil: now + rules.probeTtlMs}, ALLOWED];
};

/**
 * The circuit after an outcome at `now`: a transient failure counts, and opens it for `openMs`
 * at the threshold or when it was already open (a failed probe); anything else closes it.
 *
 * @example
 * ```ts
 * recordCircuit({failures: 4}, 'transient-failure', 1000, rules); // {failures: 5, openUntil: 31_000}
 * recordCircuit({failures: 4}, 'success', 1000, rules); // undefined (closed)
 * ```
 */
export const recordCircuit = (
  circuit: SharedCircuit | undefined,
  outcome: 'success' | 'transient-failure' | 'other',
  now: number,
  rules: CircuitRules,
): SharedCircuit | undefined => {
  if (outcome !== 'transient-failure') {
    return undefined;
  }
  const failures = (circuit?.failures ?? 0) + 1;
  return failures >= rules.failureThreshold || circuit?.openUntil !== undefined
    ? {failures, openUntil: now + rules.openMs}
    : {failures};
};

/**
 * The circuit once `id`'s probe ended without an outcome (aborted): its claim is freed, a claim of
 * another process is left alone. The very same circuit when `id` holds none.
 */
export const releaseCircuit = (circuit: SharedCircuit | undefined, id: string): SharedCircuit | undefined => {
  if (circuit?.prober !== id) {
    return circuit;
  }
  const {prober: _prober, probeUntil: _probeUntil, ...rest} = circuit;
  return rest;
};

/** Whether a stored value is a circuit (anything else is treated as absent, and overwritten). */
export const isSharedCircuit = (value: unknown): value is SharedCircuit =>
  typeof (value as SharedCircuit | undefined)?.failures === 'number';
