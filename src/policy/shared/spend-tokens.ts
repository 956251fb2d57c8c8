/**
 * @module `spendTokens()`: the pure transition of a retry budget's tokens in a store.
 */

/** What one change of a key's tokens does. */
export type TokenChange = {
  /** Tokens given back first (successes batched since the last write). */
  readonly refill: number;
  /** Tokens one retry costs; `0` only refills. */
  readonly cost: number;
  readonly capacity: number;
};

/** The answer of `spendTokens()`. */
export type TokenAnswer = {
  /** Whether the retry was granted (always when `cost` is 0). */
  readonly granted: boolean;
  /** Tokens left after the change. */
  readonly tokens: number;
};

/**
 * Applies a refill and then, when the tokens cover it, a retry's cost. A store keeps a key's
 * tokens only while it is below capacity: a full key is absent (`undefined`), so a fleet that
 * talks to many hosts leaves nothing behind. Returns `current` itself when nothing changes, so a
 * store can skip the write.
 *
 * @example
 * ```ts
 * spendTokens(3, {refill: 1, cost: 5, capacity: 500}); // [4, {granted: false, tokens: 4}]
 * spendTokens(undefined, {refill: 0, cost: 5, capacity: 500}); // [495, {granted: true, tokens: 495}]
 * ```
 */
export const spendTokens = (
  current: number | undefined,
  {refill, cost, capacity}: TokenChange,
): readonly [number | undefined, TokenAnswer] => {
  const before = Math.min(capacity, (current ?? capacity) + refill);
  const granted = before >= cost;
  const tokens = granted ? before - cost : before;
  const next = tokens >= capacity ? undefined : tokens;
  return [next === current ? current : next, {granted, tokens}];
};
