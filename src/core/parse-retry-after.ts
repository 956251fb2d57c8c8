/**
 * @module `Retry-After` (seconds or HTTP date) to milliseconds.
 */

/** The longest wait any header may ask for: what a timer can hold (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

const seconds = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Parses a `Retry-After` value: delta-seconds (decimals tolerated) or an HTTP date. Returns
 * `undefined` for anything else, a finite number in `[0, MAX_TIMER_MS]` otherwise.
 *
 * @example
 * ```ts
 * parseRetryAfter('10'); // 10_000
 * parseRetryAfter('3, 4'); // 4_000 (a repeated header: the largest)
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:58 GMT')); // 2_000
 * ```
 */
export const parseRetryAfter = (
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    return undefined;
  }
  // Repeated headers arrive joined ("3, 4"); the server asked for each, so the largest holds.
  const parts = value.split(repeated);
  if (parts.length > 1) {
    const waits = parts.map((part) => parseOne(part, nowMs)).filter((ms) => ms !== undefined);
    return waits.length > 0 ? Math.max(...waits) : undefined;
  }
  return parseOne(value, nowMs);
};

/** A comma that starts another value (a number, or a date's day name), not a date's own comma. */
const repeated = /,(?=\s*(?:\d+(?:\.\d+)?\s*(?:,|$)|[a-z]{3},))/i;

const parseOne = (value: string, nowMs: number): number | undefined => {
  const match = seconds.exec(value);
  if (match?.[1] !== undefined) {
    return clampDelay(Number(match[1]) * 1000);
  }
  // Only date-shaped values: Date.parse accepts bare numbers and odd strings we must not trust.
  if (!/[a-z]{3}/i.test(value)) {
    return undefined;
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? clampDelay(date - nowMs) : undefined;
};

/** Clamps a wait to `[0, MAX_TIMER_MS]`, mapping non-finite values to `undefined`. */
export const clampDelay = (ms: number): number | undefined =>
  Number.isFinite(ms) ? Math.min(MAX_TIMER_MS, Math.max(0, Math.round(ms))) : undefined;
