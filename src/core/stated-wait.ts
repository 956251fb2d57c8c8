/**
 * @module The wait a successful answer stated, kept beside the response for the operations.
 */

const stated = new WeakMap<Response, number>();

/**
 * Records the wait a successful response stated (`Retry-After` on a progress answer). The
 * decision kernel writes it; operations read it with `statedWaitOf()` instead of parsing headers.
 */
export const recordStatedWait = (response: Response, delayMs: number): void => {
  stated.set(response, delayMs);
};

/**
 * The wait a successful response stated, in milliseconds, if the policy read one.
 *
 * @example
 * ```ts
 * return {done: false, status, delayMs: statedWaitOf(response)};
 * ```
 */
export const statedWaitOf = (response: Response): number | undefined => stated.get(response);
