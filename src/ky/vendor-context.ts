/**
 * @module The per-request flags a caller may set through ky's `context` option.
 */

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
