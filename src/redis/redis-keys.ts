/**
 * @module `redisKeys()`: the Redis keys of one store key, all under one hash tag.
 */

/** The Redis keys that hold one store key's data. */
export type RedisKeys = {
  /** A hash: `val` (JSON), `ver` (a counter for compare-and-set) and `pause` (ms, for `admit`). */
  readonly value: string;
  /** The GCRA's theoretical arrival time, in microseconds of the server's clock. */
  readonly gcra: string;
  /** A sorted set of the processes that asked `admit` recently (their share when Redis is away). */
  readonly fleet: string;
};

/**
 * The keys of `key` under `prefix`. They all start with the hash tag `{prefix:key}`, so a Redis
 * Cluster puts them in one slot and a script may touch them together. Braces inside `key` cannot
 * split them: Redis takes the tag from the first `{` to the first `}` after it, and that span lies
 * inside the common start.
 *
 * @example
 * ```ts
 * redisKeys('ky-vendors', 'limiter:upyun:photos').gcra; // '{ky-vendors:limiter:upyun:photos}:gcra'
 * ```
 */
export const redisKeys = (prefix: string, key: string): RedisKeys => {
  const tag = `{${prefix}:${key}}`;
  return {value: `${tag}:v`, gcra: `${tag}:gcra`, fleet: `${tag}:fleet`};
};
