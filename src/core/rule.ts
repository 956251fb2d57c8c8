/**
 * @module One row of a vendor's code table and the presets rows are written with.
 */
import type {Action, Category} from './types.ts';

/**
 * How one vendor code (or one status) is handled.
 *
 * @example
 * ```ts
 * const row: Rule = {status: 429, message: 'too many requests', ...throttled, delayMs: 1000};
 * ```
 */
export type Rule = {
  /** The category the caller sees (and the error class thrown). */
  readonly category: Category;
  /** What the adapter does. */
  readonly action: Exclude<Action, 'ok'>;
  /** The HTTP status the vendor documents for this code (used for docs and as a fallback). */
  readonly status?: number;
  /** The vendor's documented message or meaning. */
  readonly message?: string;
  /**
   * For vendors without codes (plain-text bodies): the message this row stands for. A string
   * matches a message that starts with it (case-insensitive); a RegExp is tested as is.
   */
  readonly match?: string | RegExp;
  /**
   * The vendor's documented wait before the next attempt, in milliseconds: used only when the
   * response itself states no wait (a stated `Retry-After` or "try again in 1s" wins, shorter or
   * longer).
   */
  readonly delayMs?: number;
  /**
   * A hard vendor rule: no wait is shorter than this, whatever the response states (UPYUN allows
   * one change per file per second).
   */
  readonly minDelayMs?: number;
  /** `false`: the vendor rejected the request before any side effect, so it may be resent. */
  readonly processed?: boolean;
  /** Where the vendor documents this code (endpoints or modules), for the generated docs. */
  readonly endpoints?: readonly string[];
  /** Why the row differs from what its status suggests (shown in the generated docs). */
  readonly note?: string;
  /** Overrides for one HTTP status when the vendor reuses a code across statuses. */
  readonly byStatus?: Readonly<Record<number, Partial<Omit<Rule, 'byStatus'>>>>;
};

/** A request that was wrong and will be wrong again: fix the input. */
export const validation = {category: 'validation', action: 'fail'} as const satisfies Partial<Rule>;
/** Credentials are missing, wrong or expired. */
export const auth = {category: 'auth', action: 'fail', processed: false} as const satisfies Partial<Rule>;
/** Authenticated, but not allowed to do this. */
export const permission = {
  category: 'permission',
  action: 'fail',
  processed: false,
} as const satisfies Partial<Rule>;
/** The resource does not exist (or no longer exists). */
export const notFound = {category: 'not_found', action: 'fail'} as const satisfies Partial<Rule>;
/** The resource is in a state that conflicts with the request. */
export const conflict = {category: 'conflict', action: 'fail'} as const satisfies Partial<Rule>;
/** An account, storage or billing limit: waiting does not help. */
export const quota = {category: 'quota', action: 'fail'} as const satisfies Partial<Rule>;
/** The vendor throttles: wait and send again; the request had no effect. */
export const throttled = {
  category: 'rate_limited',
  action: 'throttle',
  processed: false,
} as const satisfies Partial<Rule>;
/** A passing failure: send again after a backoff (only when the request may be resent). */
export const transient = {category: 'transient', action: 'retry'} as const satisfies Partial<Rule>;
/** The resource is being prepared: ask again later. */
export const notReady = {category: 'not_ready', action: 'poll'} as const satisfies Partial<Rule>;
/** A server-side fault that will not go away by sending again. */
export const serverFault = {category: 'server', action: 'fail'} as const satisfies Partial<Rule>;
/** A server-side fault that may pass: retried with backoff when the request may be resent. */
export const serverRetry = {category: 'server', action: 'retry'} as const satisfies Partial<Rule>;
/** An asynchronous job ended in failure. */
export const jobFailed = {category: 'job_failed', action: 'fail'} as const satisfies Partial<Rule>;

/** How a row is handled: a preset, or a preset with the vendor's waits or other fields. */
type Handling = Omit<Rule, 'status' | 'message'>;

/** `row()`: with the status when the vendor's table lists one, without when the code holds it. */
type RowOf = {
  <const Message extends string, const Handled extends Handling>(
    message: Message,
    handling: Handled,
  ): {readonly message: Message} & Handled;
  <const Status extends number, const Message extends string, const Handled extends Handling>(
    status: Status,
    message: Message,
    handling: Handled,
  ): {readonly status: Status; readonly message: Message} & Handled;
};

/**
 * One row of a code table written as the vendor's table reads: the HTTP status (left out when the
 * code itself holds it, as UPYUN's does), the message, then how it is handled (a preset, or a
 * preset with the vendor's waits). Rows written this way ship as a short call rather than a
 * spelled-out object, which keeps large tables small in a browser bundle.
 *
 * @example
 * ```ts
 * row(400, 'Request parameter verification failed.', validation); // {status: 400, message: '…', category: 'validation', action: 'fail'}
 * row('too many requests', {...throttled, delayMs: 1000}); // {message: 'too many requests', category: 'rate_limited', …}
 * ```
 */
export const row: RowOf = /* #__NO_SIDE_EFFECTS__ */ (
  ...[first, second, third]: [string, Handling] | [number, string, Handling]
): Rule =>
  typeof first === 'number'
    ? {status: first, message: second as string, ...(third as Handling)}
    : {message: first, ...(second as Handling)};
