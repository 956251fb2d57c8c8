/**
 * @module Gives an operation's `signal` a `timeoutMs` deadline, leaving no timer behind.
 */

/** The two options every long operation accepts. */
export type DeadlineOptions = {
  /** Stops the operation at once; it rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** A deadline for the whole operation, retries and waits included. */
  readonly timeoutMs?: number | undefined;
};

/**
 * Runs `run` with `options.signal` replaced by one that also aborts after `timeoutMs` (with a
 * `TimeoutError` DOMException, as `AbortSignal.timeout()` does). The timer is cleared when `run`
 * settles, so a finished operation keeps no process alive.
 *
 * @example
 * ```ts
 * const upload = (api, options) => withDeadline(options, (bounded) => uploadOnce(api, bounded));
 * ```
 */
export const withDeadline = async <Options extends DeadlineOptions, Result>(
  options: Options,
  run: (options: Options) => Promise<Result>,
): Promise<Result> => {
  const {timeoutMs} = options;
  if (timeoutMs === undefined) {
    return run(options);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`\`timeoutMs\` must be a finite, non-negative number, got ${timeoutMs}`);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`The operation timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const signal =
    options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
  try {
    return await run({...options, signal});
  } finally {
    clearTimeout(timer);
  }
};
