/**
 * @module `zeroCounters()`: puts a simulator's live counters back to zero, in place.
 */

/**
 * Sets every number of `counters` to 0 and empties every nested record (`byRoute`, `byCode`),
 * keeping the same objects so references held by tests stay live.
 *
 * @example
 * ```ts
 * reset: () => zeroCounters(counters),
 * ```
 */
export const zeroCounters = (counters: object): void => {
  const record = counters as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number') {
      record[key] = 0;
    } else if (typeof value === 'object' && value !== null) {
      for (const inner of Object.keys(value)) delete (value as Record<string, unknown>)[inner];
    }
  }
};
