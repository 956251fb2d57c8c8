/**
 * @module Per-call state kept in ky's `context`: when the call started and its deadline.
 */

const stateKey = Symbol.for('ky-vendors.call');

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

type ContextRecord = Record<string | symbol, unknown>;

/** Stores the call state in a context object (ky's `init` hook gives each call its own). */
export const startCall = (
  context: ContextRecord,
  totalTimeoutMs: number | undefined,
  attemptTimeoutMs: number | undefined,
): void => {
  context[stateKey] = {startedAt: Date.now(), totalTimeoutMs, attemptTimeoutMs} satisfies CallState;
};

/** Milliseconds left before the call's deadline, or `undefined` without one. */
export const remainingMs = (state: CallState): number | undefined =>
  state.totalTimeoutMs === undefined ? undefined : state.totalTimeoutMs - (Date.now() - state.startedAt);

/** The call state, or a fresh one when the `init` hook did not run (hooks assembled by hand). */
export const callState = (context: unknown): CallState => {
  const stored = (context as ContextRecord | undefined)?.[stateKey] as CallState | undefined;
  return stored ?? {startedAt: Date.now(), totalTimeoutMs: undefined, attemptTimeoutMs: undefined};
};

/** Whether the caller opted this request in to resending. */
export const isIdempotentOptIn = (context: unknown): boolean =>
  (context as VendorContext | undefined)?.idempotent === true;
