/**
 * @module A circuit breaker per vendor key: after consecutive transient failures it stops
 * sending for a while, then lets one probe through.
 */

/**
 * Options of `createCircuitBreaker()`. Every field is optional.
 *
 * @example
 * ```ts
 * withVendor(huaweiCloud, {circuitBreaker: {failureThreshold: 10, openMs: 60_000}});
 * ```
 */
export type CircuitBreakerOptions = {
  /**
   * Consecutive transient failures (5xx, network errors) that open the circuit.
   * @default 5
   */
  readonly failureThreshold?: number;
  /**
   * How long the circuit stays open before one probe is let through.
   * @default 30_000
   */
  readonly openMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
};

/** The state of one key's circuit. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** The answer to "may this request go out?". */
export type CircuitPermit = {readonly allowed: true} | {readonly allowed: false; readonly retryAt: number};

/** Per-key circuits. */
export type CircuitBreaker = {
  /** Whether a request may go out now; in half-open state only one probe at a time. */
  readonly permit: (key: string) => CircuitPermit;
  /** Records the outcome of a request that was let through. */
  readonly record: (key: string, outcome: 'success' | 'transient-failure' | 'other') => void;
  /** A request that was let through ended without an outcome (aborted): free the probe slot. */
  readonly release: (key: string) => void;
  readonly state: (key: string) => CircuitState;
};

type Circuit = {failures: number; openedAt: number | undefined; probing: boolean};

/** The defaults, in one place. */
export const DEFAULT_CIRCUIT_BREAKER = {failureThreshold: 5, openMs: 30_000} as const;

/**
 * Creates a circuit breaker. A vendor answer that is not a transient failure (a 404, a
 * validation error) proves the vendor is up and closes the circuit like a success.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({failureThreshold: 3});
 * const permit = breaker.permit(key);
 * if (!permit.allowed) throw new Error(`open until ${new Date(permit.retryAt)}`);
 * ```
 */
export const createCircuitBreaker = (options: CircuitBreakerOptions = {}): CircuitBreaker => {
  const threshold = options.failureThreshold ?? DEFAULT_CIRCUIT_BREAKER.failureThreshold;
  const openMs = options.openMs ?? DEFAULT_CIRCUIT_BREAKER.openMs;
  const now = options.now ?? Date.now;
  const circuits = new Map<string, Circuit>();
  const circuit = (key: string): Circuit => {
    let found = circuits.get(key);
    if (found === undefined) {
      found = {failures: 0, openedAt: undefined, probing: false};
      circuits.set(key, found);
    }
    return found;
  };
  const state = (key: string): CircuitState => {
    const found = circuits.get(key);
    if (found?.openedAt === undefined) {
      return 'closed';
    }
    return now() - found.openedAt >= openMs ? 'half-open' : 'open';
  };
  return {
    permit: (key) => {
      const current = state(key);
      const found = circuit(key);
      if (current === 'closed') {
        return {allowed: true};
      }
      if (current === 'half-open' && !found.probing) {
        found.probing = true;
        return {allowed: true};
      }
      // Half open with its probe in flight: the probe's answer decides, so look again shortly;
      // never a retryAt in the past, nor now (`openMs: 0` probes at once).
      return {
        allowed: false,
        retryAt: Math.max((found.openedAt ?? now()) + openMs, now() + Math.max(1, Math.min(openMs, 1000))),
      };
    },
    record: (key, outcome) => {
      const found = circuit(key);
      found.probing = false;
      if (outcome === 'transient-failure') {
        found.failures++;
        if (found.failures >= threshold || found.openedAt !== undefined) {
          found.openedAt = now();
        }
        return;
      }
      circuits.delete(key);
    },
    release: (key) => {
      const found = circuits.get(key);
      if (found !== undefined) {
        found.probing = false;
      }
    },
    state,
  };
};
