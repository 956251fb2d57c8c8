/**
 * @module `createSharedCircuitBreaker()`: a circuit breaker whose state lives in a `Store`, so a
 * fleet of processes sharing one Redis sees one circuit per key and sends one probe at a time.
 *
 * Why it is built this way: a closed circuit is answered from what this process last saw, so a
 * request that goes through costs no round trip; that view is read again in the background once
 * it is `syncMs` old. The store is written only when the circuit changes: a failure, the first
 * success after failures, a probe's claim and its release. A store that fails is never a
 * request's failure: the breaker then decides from its own view, as a breaker of this process.
 */
import {
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitState,
  DEFAULT_CIRCUIT_BREAKER,
} from '../circuit-breaker.ts';
import type {Store} from '../store/store.ts';
import {
  type CircuitRules,
  circuitState,
  isSharedCircuit,
  permitCircuit,
  recordCircuit,
  releaseCircuit,
  type SharedCircuit,
} from './shared-circuit.ts';

/**
 * Options of `createSharedCircuitBreaker()`: those of `createCircuitBreaker()` (its clock is the
 * store's), the store, and how often this process looks at the fleet's circuit.
 *
 * @example
 * ```ts
 * createSharedCircuitBreaker({store, failureThreshold: 10, openMs: 60_000});
 * ```
 */
export type SharedCircuitBreakerOptions = Omit<CircuitBreakerOptions, 'now'> & {
  /** Where the circuits live: `createRedisStore()` from `ky-vendors/redis` for a fleet. */
  readonly store: Store;
  /**
   * How long this process trusts what it last saw of a key's circuit. A closed circuit is
   * answered from it at once and read again in the background after this; an open one that is
   * this old is read before answering.
   * @default 1000
   * @example
   * ```ts
   * createSharedCircuitBreaker({store, syncMs: 250});
   * ```
   */
  readonly syncMs?: number;
  /**
   * How long a half-open probe holds the fleet's only probe slot: a process that crashed while
   * probing frees it after this.
   * @default openMs
   * @example
   * ```ts
   * createSharedCircuitBreaker({store, openMs: 30_000, probeTtlMs: 10_000});
   * ```
   */
  readonly probeTtlMs?: number;
};

/**
 * A breaker over a store. `permit` answers at once (no round trip) while the circuit is closed or
 * open as last seen, and asks the store when it is half-open (one probe per fleet) or unknown.
 * `record` and `release` write only when the circuit changes, and never reject; the promise they
 * return (when they write) settles once the store has it.
 */
export type SharedCircuitBreaker = {
  readonly permit: (key: string) => CircuitPermit | Promise<CircuitPermit>;
  readonly record: (
    key: string,
    outcome: 'success' | 'transient-failure' | 'other',
  ) => Promise<void> | undefined;
  readonly release: (key: string) => Promise<void> | undefined;
  /** The state as this process last saw it. */
  readonly state: (key: string) => CircuitState;
  /** Reads the key's circuit from the store now, and returns its state. */
  readonly sync: (key: string) => Promise<CircuitState>;
};

/** What this process last saw of a key's circuit. */
type Seen = {
  circuit: SharedCircuit | undefined;
  /** The store's clock minus ours, at the last answer. */
  offsetMs: number;
  /** When (our clock) the store last answered; `-Infinity`: never. */
  seenAt: number;
  /** Whether this process holds the key's probe. */
  probing: boolean;
  refreshing: Promise<void> | undefined;
};

/** Keys whose view this process keeps; the least recently seen is dropped first. */
const MAX_KEYS = 10_000;
/** How long a circuit stays in the store without a write, at least. */
const MIN_TTL_MS = 600_000;

const positive = (name: string, value: number, integer: boolean): void => {
  if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
    throw new TypeError(`\`${name}\` must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
};

/**
 * Creates a breaker whose circuits live in `store`. Give every process the same Redis store (or
 * just `withVendor(vendor, {store, circuitBreaker: true})`, which builds one through it) and a
 * circuit opened by one refuses in all.
 *
 * @example
 * ```ts
 * import {createRedisStore} from 'ky-vendors/redis';
 *
 * const store = createRedisStore({client: new Redis(process.env.REDIS_URL)});
 * const breaker = createSharedCircuitBreaker({store, failureThreshold: 5, openMs: 30_000});
 * const api = ky.create({prefix, ...withVendor(huaweiCloud, {circuitBreaker: breaker})});
 * ```
 */
export const createSharedCircuitBreaker = (options: SharedCircuitBreakerOptions): SharedCircuitBreaker => {
  const {store} = options;
  const failureThreshold = options.failureThreshold ?? DEFAULT_CIRCUIT_BREAKER.failureThreshold;
  const openMs = options.openMs ?? DEFAULT_CIRCUIT_BREAKER.openMs;
  const syncMs = options.syncMs ?? 1000;
  const probeTtlMs = options.probeTtlMs ?? openMs;
  positive('failureThreshold', failureThreshold, true);
  positive('openMs', openMs, false);
  positive('syncMs', syncMs, false);
  positive('probeTtlMs', probeTtlMs, false);
  const rules: CircuitRules = {failureThreshold, openMs, probeTtlMs};
  const ttlMs = Math.max(MIN_TTL_MS, 2 * (openMs + probeTtlMs));
  const id = Math.random().toString(36).slice(2, 12);
  const views = new Map<string, Seen>();

  const viewOf = (key: string): Seen => {
    let seen = views.get(key);
    if (seen === undefined) {
      seen = {
        circuit: undefined,
        offsetMs: 0,
        seenAt: Number.NEGATIVE_INFINITY,
        probing: false,
        refreshing: undefined,
      };
      views.set(key, seen);
      if (views.size > MAX_KEYS) {
        const oldest = views.keys().next();
        if (oldest.done !== true) views.delete(oldest.value);
      }
    }
    return seen;
  };

  /**
   * Applies `apply` to the key's circuit in the store and keeps what it answered; when the store
   * fails, applies it to this process's view instead (the breaker goes on alone), unless
   * `alreadyLocal` says the view has it already.
   */
  const change = async <R>(
    key: string,
    apply: (circuit: SharedCircuit | undefined, now: number) => readonly [SharedCircuit | undefined, R],
    label: string,
    alreadyLocal = false,
  ): Promise<R> => {
    const seen = viewOf(key);
    try {
      const [circuit, result, now] = await store.update<
        unknown,
        readonly [SharedCircuit | undefined, R, number]
      >(
        `breaker:${key}`,
        (current, nowMs) => {
          const valid = isSharedCircuit(current) ? current : undefined;
          const [next, answer] = apply(valid, nowMs);
          // Unchanged, the value is handed back as it was: a store need not write it.
          return [next === valid ? current : next, [next, answer, nowMs]];
        },
        {ttlMs, label},
      );
      seen.circuit = circuit;
      seen.offsetMs = now - Date.now();
      seen.seenAt = Date.now();
      seen.probing = circuit?.prober === id;
      return result;
    } catch {
      if (alreadyLocal) {
        return undefined as R;
      }
      const [circuit, result] = apply(seen.circuit, Date.now() + seen.offsetMs);
      seen.circuit = circuit;
      seen.probing = circuit?.prober === id;
      return result;
    }
  };

  /** A refusal in the store's clock, as this process's: always in the future. */
  const local = (permit: CircuitPermit, seen: Seen): CircuitPermit =>
    permit.allowed
      ? permit
      : {allowed: false, retryAt: Math.max(Date.now() + 1, permit.retryAt - seen.offsetMs)};

  const ask = async (key: string): Promise<CircuitPermit> => {
    const permit = await change(
      key,
      (circuit, now) => permitCircuit(circuit, now, id, rules),
      'breaker:permit',
    );
    return local(permit, viewOf(key));
  };

  const refresh = (key: string): Promise<void> => {
    const seen = viewOf(key);
    seen.refreshing ??= change(key, (circuit) => [circuit, undefined], 'breaker:sync').finally(() => {
      seen.refreshing = undefined;
    });
    return seen.refreshing;
  };

  return {
    permit: (key) => {
      const seen = views.get(key);
      if (seen === undefined) {
        return ask(key);
      }
      const fresh = Date.now() - seen.seenAt < syncMs;
      const state = circuitState(seen.circuit, Date.now() + seen.offsetMs);
      if (state === 'closed') {
        if (!fresh) {
          void refresh(key);
        }
        return {allowed: true};
      }
      if (state === 'open' && fresh) {
        return local(permitCircuit(seen.circuit, Date.now() + seen.offsetMs, id, rules)[1], seen);
      }
      // Half-open (one probe per fleet: the store decides who), or open as seen too long ago.
      return ask(key);
    },
    record: (key, outcome) => {
      const seen = views.get(key);
      if (outcome !== 'transient-failure' && seen?.circuit === undefined) {
        // Closed as far as this process knows: a success changes nothing, and writes nothing.
        return undefined;
      }
      const view = viewOf(key);
      // This process acts on the outcome at once; the store's answer replaces it.
      view.circuit = recordCircuit(view.circuit, outcome, Date.now() + view.offsetMs, rules);
      view.probing = false;
      return change(
        key,
        (circuit, now) => [recordCircuit(circuit, outcome, now, rules), undefined],
        'breaker:record',
        true,
      );
    },
    release: (key) => {
      const seen = views.get(key);
      if (seen?.probing !== true) {
        return undefined;
      }
      seen.probing = false;
      return change(key, (circuit) => [releaseCircuit(circuit, id), undefined], 'breaker:release');
    },
    state: (key) => {
      const seen = views.get(key);
      return seen === undefined ? 'closed' : circuitState(seen.circuit, Date.now() + seen.offsetMs);
    },
    sync: async (key) => {
      await refresh(key);
      return circuitState(viewOf(key).circuit, Date.now() + viewOf(key).offsetMs);
    },
  };
};
