/**
 * @module The duration units vendors write in messages and headers ("10s", "1 minute", "time:1 day").
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/**
 * Milliseconds in one `unit` (any case, singular or plural), or `undefined` for a unit it does
 * not know.
 *
 * @example
 * ```ts
 * unitMs('seconds'); // 1000
 * unitMs('ms'); // 1 (exact names first: "ms" is not a plural of "m")
 * ```
 */
export const unitMs = (unit: string): number | undefined => {
  const lower = unit.toLowerCase();
  return UNIT_MS[lower] ?? UNIT_MS[lower.replace(/s$/, '')];
};
