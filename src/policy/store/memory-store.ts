/**
 * @module `createMemoryStore()`: the `Store` in this process's memory (the default).
 */
import type {Store} from './store.ts';

/** Options of `createMemoryStore()`. */
export type MemoryStoreOptions = {
  /**
   * The most keys kept; the least recently written key is dropped first, so a client that talks
   * to many hosts does not grow without bound.
   * @default 10_000
   */
  readonly maxKeys?: number;
};

type Entry = {readonly value: unknown; readonly expiresAt: number};

/**
 * A store in this process's memory. Updates are synchronous inside, so they are atomic.
 *
 * @example
 * ```ts
 * const store = createMemoryStore({maxKeys: 100});
 * const api = ky.create({prefix, ...withVendor(upyun, {store})});
 * ```
 */
export const createMemoryStore = ({maxKeys = 10_000}: MemoryStoreOptions = {}): Store => {
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError(`\`maxKeys\` must be a positive integer, got ${maxKeys}`);
  }
  const entries = new Map<string, Entry>();
  return {
    update: async (key, change, options = {}) => {
      const now = Date.now();
      const found = entries.get(key);
      const current = found === undefined || found.expiresAt <= now ? undefined : found.value;
      const [next, result] = change(current as never, now);
      // Re-inserting moves the key to the end, so the first key is the least recently written.
      entries.delete(key);
      if (next !== undefined) {
        entries.set(key, {value: next, expiresAt: now + (options.ttlMs ?? Infinity)});
        if (entries.size > maxKeys) {
          const oldest = entries.keys().next();
          if (oldest.done !== true) {
            entries.delete(oldest.value);
          }
        }
      }
      return result;
    },
  };
};
