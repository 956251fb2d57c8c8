/**
 * @module Per-call state: when the call started and its deadlines; the caller's per-request flags.
 */

/** What one ky call remembers across its attempts. */
export type CallState = {
  readonly startedAt: number;
  readonly totalTimeoutMs: number | undefined;
  /** ky's per-attempt `timeout` (seen only by the `init` hook, so kept here). */
  readonly attemptTimeoutMs: number | undefined;
};

/**
 * The per-request flags a caller may set through ky's `context` option.
 *
 * @example
 * ```ts
 * await api.post('query-task', {json: {taskId}, context: {idempotent: true}});
 * ```
 */
export type VendorContext = {
  /**
   * This request is safe to send twice (a read-only POST, or one with an idempotency key), so
   * it is retried like a GET.
   * @default false
   */
  readonly idempotent?: boolean;
};

/**
 * Starts the state of one call from ky's raw options, which only the `init` hook sees (ky hides
 * `timeout` and `totalTimeout` from the other hooks).
 */
export const startCall = (options: {
  readonly timeout?: number | false | undefined;
  readonly totalTimeout?: number | false | undefined;
}): CallState => ({
  startedAt: Date.now(),
  totalTimeoutMs: typeof options.totalTimeout === 'number' ? options.totalTimeout : undefined,
  // ky's own default per-attempt timeout.
  attemptTimeoutMs:
    typeof options.timeout === 'number' ? options.timeout : options.timeout === false ? undefined : 10_000,
});

/** Milliseconds left before the call's deadline, or `undefined` without one. */
export const remainingMs = (state: CallState): number | undefined =>
  state.totalTimeoutMs === undefined ? undefined : state.totalTimeoutMs - (Date.now() - state.startedAt);

/** Whether the caller opted this request in to resending. */
export const isIdempotentOptIn = (context: unknown): boolean =>
  (context as VendorContext | undefined)?.idempotent === true;
