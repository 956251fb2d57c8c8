/** @module Runs tasks a few at a time, as a batch uploader would. */

/** Runs `task` for each item, at most `concurrency` at once; resolves when all have settled. */
export const pool = async <T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({length: Math.min(concurrency, items.length)}, async () => {
      for (let index = next++; index < items.length; index = next++) {
        await task(items[index] as T, index);
      }
    }),
  );
};
