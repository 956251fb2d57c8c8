import {vi} from 'vitest';

/** How a promise ended, read without awaiting it. */
export type Outcome<T> = {value?: T; error?: unknown; done: boolean};

/**
 * Advances fake time in steps until the promise settles; bounded, so a hang fails the test
 * instead of stalling it.
 */
export const settleWithFakeTime = async <T>(promise: Promise<T>, stepMs = 1000, maxSteps = 200) => {
  let outcome: Outcome<T> = {done: false};
  promise.then(
    (value) => {
      outcome = {value, done: true};
    },
    (error: unknown) => {
      outcome = {error, done: true};
    },
  );
  for (let step = 0; step < maxSteps && !outcome.done; step++) {
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  if (!outcome.done) throw new Error('promise did not settle');
  return outcome;
};
