/**
 * Whether `promise` settles before a timer of `ms`, armed now, fires.
 *
 * A wall-clock measurement (`performance.now()` before and after) fails on a loaded machine when
 * the process is paused for longer than `ms`. Racing a timer does not: after a pause, pending
 * promise callbacks run before expired timers, so this only fails when the promise really waits
 * for something that comes later than the timer (another timer, a late event).
 *
 * @example
 * ```ts
 * controller.abort(reason);
 * expect(await settlesBeforeTimer(call, 50)).toBe(true);
 * ```
 */
export const settlesBeforeTimer = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
};
