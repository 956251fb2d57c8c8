/** @module Number formatting for the demo's narration: seconds and counted nouns. */

/** `1234` → `'1.2 s'`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `plural(1, 'poll')` → `'1 poll'`, `plural(2, 'retry', 'retries')` → `'2 retries'`. */
export const plural = (count: number, noun: string, nouns = `${noun}s`): string =>
  `${count} ${count === 1 ? noun : nouns}`;
