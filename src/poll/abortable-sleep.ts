/**
 * @module A sleep that an `AbortSignal` ends at once and that leaves no timer behind.
 */

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts; the timer and
 * the listener are removed either way.
 *
 * @example
 * ```ts
 * await abortableSleep(10_000, controller.signal);
 * ```
 */
export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, {once: true});
  });
