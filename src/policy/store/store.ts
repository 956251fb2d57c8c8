/**
 * @module `Store`: where the shared state of pacing and guards lives (this process, or a fleet).
 */

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
   * Optional fast path for pacing: takes one token of `key`'s bucket (GCRA) at `ratePerSecond`
   * with room for `burst`, unless the key is paused. Resolves `0` when the request may go now,
   * else how many milliseconds until it may ask again. A store without it is paced through
   * `update`.
   */
  readonly admit?: (
    key: string,
    rate: {readonly ratePerSecond: number; readonly burst: number},
  ) => Promise<number>;
};
