/**
 * @module Where the limiter keeps its per-key state: an interface, and an in-memory store.
 */
import type {LimiterState} from './limiter-state.ts';

/**
 * Keeps limiter state per key. Methods may return promises, so a store shared by several
 * processes (Redis, a database) fits the same shape. The limiter never runs two updates of one key
 * at once within a process; across processes a shared store sees last-writer-wins updates, which
 * the adaptation tolerates (a lost update costs at most a few extra throttles).
 *
 * @example
 * ```ts
 * const store: LimiterStore = {
 *   get: async (key) => JSON.parse((await redis.get(`limiter:${key}`)) ?? 'null') ?? undefined,
 *   set: async (key, state) => void (await redis.set(`limiter:${key}`, JSON.stringify(state), {EX: 3600})),
 * };
 * ```
 */
export type LimiterStore = {
  /** The state of a key, or `undefined` when the key is new. */
  readonly get: (key: string) => LimiterState | undefined | Promise<LimiterState | undefined>;
  /** Saves the state of a key. */
  readonly set: (key: string, state: LimiterState) => void | Promise<void>;
};

/** Options of `createMemoryStore()`. */
export type MemoryStoreOptions = {
  /**
   * The most keys kept; the least recently written key is dropped first, so a client that talks
   * to many hosts does not grow without bound.
   * @default 1000
   */
  readonly maxKeys?: number;
};

/**
 * A store in this process's memory.
 *
 * @example
 * ```ts
 * const limiter = createLimiter({store: createMemoryStore({maxKeys: 100})});
 * ```
 */
export const createMemoryStore = ({maxKeys = 1000}: MemoryStoreOptions = {}): LimiterStore => {
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError(`\`maxKeys\` must be a positive integer, got ${maxKeys}`);
  }
  const states = new Map<string, LimiterState>();
  return {
    get: (key) => states.get(key),
    set: (key, state) => {
      // Re-inserting moves the key to the end, so the first key is the least recently written.
      states.delete(key);
      states.set(key, state);
      if (states.size > maxKeys) {
        const oldest = states.keys().next();
        if (oldest.done !== true) {
          states.delete(oldest.value);
        }
      }
    },
  };
};
