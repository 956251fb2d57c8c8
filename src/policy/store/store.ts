/**
 * @module `Store`: where the shared state of pacing and guards lives (this process, or a fleet).
 */

import type {CircuitBreakerOptions} from '../circuit-breaker.ts';
import type {LimiterPacing} from '../limiter/pacing.ts';
import type {RetryBudgetOptions} from '../retry-budget.ts';
import type {SharedCircuitBreaker} from '../shared/create-shared-circuit-breaker.ts';
import type {SharedRetryBudget} from '../shared/create-shared-retry-budget.ts';

/** Options of one `Store.update`. */
export type StoreUpdateOptions = {
  /**
   * How long the value may live without another update; a store drops it after that (a crashed
   * process cannot leave a reservation behind forever).
   * @default no expiry (memory: the store's key limit bounds it)
   */
  readonly ttlMs?: number;
  /**
   * What the change is for: a shared store counts its round trips per label (Redis:
   * `stats().tripsByLabel`), so a fleet can see where they go. It does not touch the value.
   * @default 'update'
   * @example
   * ```ts
   * await store.update('guard:brightdata', settle, {ttlMs: 300_000, label: 'guard:settle'});
   * ```
   */
  readonly label?: string;
};

/**
 * Shared state behind one small interface: the limiter's learned rate, tokens and pause, the
 * throttle guard's counts and requests in flight, and (for fleets) the retry budget and breaker.
 * `createMemoryStore()` keeps it in this process; `ky-vendors/redis` keeps it in Redis so many
 * processes share one vendor quota.
 *
 * @example
 * ```ts
 * const next = await store.update<number, number>('hits:upyun', (count = 0) => [count + 1, count + 1]);
 * ```
 */
export type Store = {
  /**
   * Reads a key's value, applies `change`, writes the result and returns `change`'s answer, atomic
   * among every user of the store (other processes included). `change` gets the current value (or
   * `undefined`) and the store's clock in `Date.now()` milliseconds (Redis: the server's `TIME`,
   * so workers' clock skew cannot double-spend). It must be pure: a shared store may run it again
   * when another writer got in first. Returning `undefined` as the next value deletes the key.
   */
  readonly update: <S, R>(
    key: string,
    change: (current: S | undefined, nowMs: number) => readonly [S | undefined, R],
    options?: StoreUpdateOptions,
  ) => Promise<R>;
  /**
   * Optional fast path for pacing, offered by a store other processes share (the memory store has
   * none): takes a token of `key`'s bucket (GCRA) at `ratePerSecond` with room for `burst`,
   * unless the key is paused (the `pausedUntil` of its value). When the key's value holds a
   * `ratePerSecond` (the rate last written, by any process), the store paces at that one and
   * `burst` keeps its length in time. Resolves how many milliseconds until the request may go:
   * `0` now. A wait of at most `reserveMs` is a reservation: the token
   * is taken, and the request goes when the wait ends without asking again. A longer wait takes
   * nothing: ask again when it ends. A limiter admits through it when the store's `pacing` says
   * so (the Redis store's does); otherwise every admission is an `update`.
   *
   * @example
   * ```ts
   * const waitMs = await store.admit('limiter:upyun', {ratePerSecond: 150, burst: 3, reserveMs: 1000});
   * ```
   */
  readonly admit?: (key: string, rate: StoreRate) => Promise<number>;
  /**
   * How a limiter over this store paces, for a store other processes share: the Redis store gives
   * `fleetPacing` (from `ky-vendors/redis`: admissions through `admit` with reservations, answers
   * written in batches, so `onSuccess` never waits for the store). A store of your own with `admit`
   * can give it too.
   * @default one `update` per admission and per answer
   * @example
   * ```ts
   * const store: Store = {update, admit, pacing: fleetPacing};
   * ```
   */
  readonly pacing?: LimiterPacing;
  /**
   * Optional, offered by a store other processes share (the memory store has none): a retry
   * budget whose tokens live in this store. `withVendor(vendor, {store})` builds its budget with
   * it, so the fleet spends and refills one budget per key; without it the budget is the
   * instance's own. `createSharedRetryBudget({store})` (from `ky-vendors/redis`) builds one over any
   * store.
   *
   * @example
   * ```ts
   * const budget = store.retryBudget?.({capacity: 200}) ?? createRetryBudget({capacity: 200});
   * ```
   */
  readonly retryBudget?: (options: RetryBudgetOptions) => SharedRetryBudget;
  /**
   * Optional, offered by a store other processes share (the memory store has none): a circuit
   * breaker whose circuits live in this store, one per key for the fleet, one probe at a time.
   * `withVendor(vendor, {store, circuitBreaker: true})` builds its breaker with it; its clock is
   * the store's (`now` is not used).
   * `createSharedCircuitBreaker({store})` (from `ky-vendors/redis`) builds one over any store.
   *
   * @example
   * ```ts
   * const breaker = store.circuitBreaker?.({openMs: 60_000});
   * ```
   */
  readonly circuitBreaker?: (options: CircuitBreakerOptions) => SharedCircuitBreaker;
};

/** The pace of one `Store.admit`. */
export type StoreRate = {
  /** Tokens per second. */
  readonly ratePerSecond: number;
  /** Tokens that may go at once (at least 1 counts). */
  readonly burst: number;
  /**
   * The longest wait that reserves a token rather than refusing.
   * @default 0 (never reserve)
   */
  readonly reserveMs?: number;
};
