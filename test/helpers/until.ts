/**
 * @module Waiting in tests without fixed sleeps: `until(check)` polls a condition, bounded in time.
 */

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `check` holds, looking every 20 ms; throws after `timeoutMs`.
 *
 * @example
 * ```ts
 * await until(() => client.status === 'ready');
 * ```
 */
export const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await sleep(20);
  }
};
