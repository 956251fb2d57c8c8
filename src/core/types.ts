/**
 * @module The vocabulary shared by every layer: actions, categories and the verdict.
 */

/**
 * What to do with a response.
 * - `ok`: hand it to the caller.
 * - `retry`: a transient failure; send the request again after a backoff.
 * - `throttle`: the vendor asks us to slow down; send again after its wait.
 * - `poll`: the resource is not ready yet; ask again later.
 * - `fail`: stop and throw the typed error.
 */
export type Action = 'ok' | 'retry' | 'throttle' | 'poll' | 'fail';

/**
 * Why a response failed, in the terms a caller acts on. Each category maps to one error class
 * (see `errorClassFor`).
 */
export type Category =
  | 'auth'
  | 'permission'
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'quota'
  | 'rate_limited'
  | 'not_ready'
  | 'transient'
  | 'server'
  | 'job_failed'
  | 'unknown';

/** A vendor's error code exactly as it appears on the wire (UPYUN uses numbers, the others strings). */
export type VendorCodeValue = string | number;

/** A rate a vendor stated: `limit` requests per `periodMs`. */
export type StatedRate = {
  readonly limit: number;
  readonly periodMs: number;
};

/** The verdict for a response that may be handed to the caller. */
export type OkVerdict = {readonly vendor: string; readonly action: 'ok'};

/** The verdict for a response that must not be handed to the caller as data. */
export type FailureVerdict<Code extends VendorCodeValue = VendorCodeValue> = {
  readonly vendor: string;
  readonly action: Exclude<Action, 'ok'>;
  readonly category: Category;
  /** The vendor's code; absent when the decision came from the HTTP status alone. */
  readonly code?: Code;
  /** The vendor's message, redacted of credentials and cut to a sane length. */
  readonly message?: string;
  /** The vendor's request id: from the body where the vendor puts it there, else `X-Request-Id`. */
  readonly requestId?: string;
  /**
   * The wait THIS response stated: `Retry-After`, "try again in 10s", a gateway's window. It wins
   * over every documented default, in both directions: a response that says 1 s means 1 s.
   */
  readonly statedDelayMs?: number;
  /** The vendor's documented wait for this code, used only when the response states nothing. */
  readonly defaultDelayMs?: number;
  /** A hard vendor rule no wait may go below (UPYUN: one change per file per second). */
  readonly minDelayMs?: number;
  /** A rate the response stated ("limit:5,time:1 second", rate-limit headers). */
  readonly statedRate?: StatedRate;
  /**
   * The vendor's encoded explanation of a denied authorization (Huawei
   * `encoded_authorization_message`; decode it with IAM's "decode authorization message" API).
   * Registered secrets and credential patterns are cut out of it.
   */
  readonly authorizationMessage?: string;
  /**
   * `false` when the vendor proves the request was rejected before any side effect (throttled,
   * not authenticated): safe to resend even a POST. `true` when the vendor proves it was applied.
   */
  readonly processed?: boolean;
  /** The HTTP status the verdict was made for. */
  readonly status: number;
};

/**
 * The result of `classify()`: the one decision made for every response.
 *
 * @example
 * ```ts
 * const verdict = classify(upyun, {status: 429, headers: {}, body: {msg: 'too many requests', code: 42900001}});
 * // {vendor: 'upyun', action: 'throttle', category: 'rate_limited', code: 42900001, processed: false, …}
 * ```
 */
export type Verdict<Code extends VendorCodeValue = VendorCodeValue> = OkVerdict | FailureVerdict<Code>;
