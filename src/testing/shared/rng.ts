/**
 * @module `mulberry32()`: a tiny seeded random source, so simulators repeat the same run.
 */

/**
 * A seeded pseudo-random source in `[0, 1)` (mulberry32). The same seed gives the same sequence,
 * so a simulator's ids, jitter and outcomes repeat from run to run.
 *
 * @example
 * ```ts
 * const random = mulberry32(42);
 * random(); // 0.6011037519201636, every time
 * ```
 */
export const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/**
 * `length` lowercase hex digits drawn from `random` (request ids, tokens).
 *
 * @example
 * ```ts
 * randomHex(mulberry32(1), 32); // a 32-digit request id
 * ```
 */
export const randomHex = (random: () => number, length: number): string => {
  let text = '';
  for (let index = 0; index < length; index++) {
    text += Math.floor(random() * 16).toString(16);
  }
  return text;
};

/**
 * `length` decimal digits drawn from `random`, never starting with 0 (Supametas task ids).
 *
 * @example
 * ```ts
 * randomDigits(mulberry32(1), 19); // '1876543210987654321'-like
 * ```
 */
export const randomDigits = (random: () => number, length: number): string => {
  let text = String(1 + Math.floor(random() * 9));
  while (text.length < length) {
    text += String(Math.floor(random() * 10));
  }
  return text;
};
