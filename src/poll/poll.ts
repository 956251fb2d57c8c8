/**
 * @module `poll()`: ask again until a resource is ready, at the pace the server asks for.
 */
import pRetry from 'p-retry';
import {clampDelay} from '../core/parse-retry-after.ts';
import {isVendorError} from '../errors/is-vendor-error.ts';
import {NotReadyError} from '../errors/NotReadyError.ts';
import {abortableSleep} from './abortable-sleep.ts';

/** What one poll attempt found: the value, or a status to wait on (with the server's hint). */
export type PollResult<T> =
  | {readonly done: true; readonly value: T}
  | {
      readonly done: false;
      readonly status?: string | undefined;
      /** A wait the server stated for this answer; without one, `intervalMs` paces the poll. */
      readonly delayMs?: number | undefined;
    };

/** Passed to `onPoll` after each attempt that was not final. */
export type PollEvent = {
  /** The attempt just made, from 1. */
  readonly attempt: number;
  /**
   * The status it found: the vendor's own (`'running'`, `'building'`), else its code, else the
   * error category of a transient failure (`'rate_limited'`, `'network'`).
   */
  readonly status: string | undefined;
  /** The vendor's code for a not-ready or failed answer, when it gave one. */
  readonly code: string | number | undefined;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  /** Time since the poll started. */
  readonly elapsedMs: number;
};

/** What each attempt receives. */
export type PollContext = {
  readonly attempt: number;
  /** Aborts when the caller aborts; pass it to the request. */
  readonly signal: AbortSignal | undefined;
};

/**
 * Options of `poll()` and of the operations built on it. Every field is optional.
 *
 * @example
 * ```ts
 * await waitForSnapshot(api, id, {timeoutMs: 15 * 60_000, onPoll: ({status, elapsedMs}) => log(status, elapsedMs)});
 * ```
 */
export type PollOptions = {
  /**
   * The overall deadline. When it passes, `NotReadyError` with the last status is thrown.
   * @default 600_000
   */
  readonly timeoutMs?: number;
  /**
   * The wait between attempts when the server states none. A wait an answer states
   * (`Retry-After`, "try again in 1s") is followed instead, shorter or longer.
   * @default 10_000
   */
  readonly intervalMs?: number;
  /**
   * Growth of the interval between attempts without a hint (1 keeps it fixed).
   * @default 1
   */
  readonly growth?: number;
  /**
   * The longest wait between attempts, stated waits included.
   * @default 60_000
   */
  readonly maxIntervalMs?: number;
  /** Stops the wait at once; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after each attempt that was not final, with the next wait. */
  readonly onPoll?: (event: PollEvent) => void;
};

/**
 * Who is polled, for the deadline's error: an operation names its vendor so that
 * `isVendorError(error, brightdata)` holds for a deadline even when every answer was a plain
 * "running" (no vendor error to take the name from).
 *
 * @example
 * ```ts
 * await poll(attempt, {timeoutMs}, {vendor: 'brightdata'});
 * ```
 */
export type PollTarget = {
  /**
   * The vendor's name on the deadline's `NotReadyError`.
   * @default the vendor of the last typed error seen, else `'poll'`
   */
  readonly vendor?: string;
};

/** The defaults, in one place. */
export const DEFAULT_POLL_OPTIONS = {
  timeoutMs: 600_000,
  intervalMs: 10_000,
  growth: 1,
  maxIntervalMs: 60_000,
} as const;

/** Thrown inside the p-retry loop to ask for another attempt; never escapes `poll()`. */
class Pending extends Error {
  override name = 'Pending';
  readonly status: string | undefined;
  readonly code: string | number | undefined;
  /** The wait the answer stated, if any. */
  readonly delayMs: number | undefined;
  override readonly cause: unknown;
  constructor(status: string | undefined, delayMs: number | undefined, cause?: unknown) {
    super(`Not ready: ${status ?? 'unknown'}`);
    this.status = status;
    this.code = isVendorError(cause) ? cause.code : undefined;
    this.delayMs = delayMs;
    this.cause = cause;
  }
}

/**
 * A failure of one poll request that is not a state of the resource: the vendor's policy already
 * retried it, and the next poll may well succeed.
 */
const isPassing = (error: unknown): boolean =>
  // By name: this layer does not load ky. A caller's own abort never gets here (checked first).
  (error instanceof Error && (error.name === 'NetworkError' || error.name === 'TimeoutError')) ||
  (isVendorError(error) && (error.action === 'retry' || error.action === 'throttle'));

/**
 * Calls `attempt` until it returns `{done: true}`, waiting between attempts for the wait the
 * answer stated (shorter or longer), else `intervalMs` (growing by `growth`); every wait is capped
 * by `maxIntervalMs`. A `NotReadyError` thrown by an attempt counts as not done (with the wait it
 * stated, `statedDelayMs`); a transient failure
 * (retry or throttle verdicts, network errors, timeouts) is waited out too, never taken for a
 * final state. Any other error ends the poll. Polling never spends ky's `retry.limit`: each
 * attempt is a fresh request.
 *
 * @throws {NotReadyError} when `timeoutMs` passes: its vendor is `target.vendor` (else the last
 *   typed error's), its `envelope` is `{status: <the last status seen>}` unless the last answer was
 *   a vendor's own not-ready body, and its message names that status.
 * @example
 * ```ts
 * const report = await poll(async ({signal}) => {
 *   const job = await api.get(`jobs/${id}`, {signal}).json<{state: string; report?: Report}>();
 *   return job.state === 'done' ? {done: true, value: job.report} : {done: false, status: job.state};
 * }, {intervalMs: 5_000, timeoutMs: 300_000});
 * ```
 */
export const poll = async <T>(
  attempt: (context: PollContext) => Promise<PollResult<T>>,
  options: PollOptions = {},
  target: PollTarget = {},
): Promise<T> => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_POLL_OPTIONS.timeoutMs;
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_OPTIONS.intervalMs;
  const growth = Math.max(1, options.growth ?? DEFAULT_POLL_OPTIONS.growth);
  const maxIntervalMs = options.maxIntervalMs ?? DEFAULT_POLL_OPTIONS.maxIntervalMs;
  const {signal} = options;
  const startedAt = Date.now();
  let last: Pending | undefined;
  let count = 0;

  const run = async (): Promise<T> => {
    count++;
    let result: PollResult<T>;
    try {
      result = await attempt({attempt: count, signal});
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      if (error instanceof NotReadyError) {
        throw new Pending(statusOf(error), error.statedDelayMs, error);
      }
      if (isPassing(error)) {
        throw new Pending(
          isVendorError(error) ? error.category : 'network',
          isVendorError(error) ? error.statedDelayMs : undefined,
          error,
        );
      }
      throw error;
    }
    if (result.done) {
      return result.value;
    }
    throw new Pending(result.status, result.delayMs);
  };

  return pRetry(run, {
    retries: Infinity,
    minTimeout: 0,
    maxTimeout: 0,
    ...(signal === undefined ? {} : {signal}),
    shouldRetry: ({error}) => error instanceof Pending,
    onFailedAttempt: async ({error, attemptNumber}) => {
      if (!(error instanceof Pending)) {
        return;
      }
      last = error;
      // The server's word wins, shorter or longer; the caller's pace applies when it says nothing.
      const paced = error.delayMs ?? intervalMs * growth ** (attemptNumber - 1);
      const delayMs = clampDelay(Math.min(paced, maxIntervalMs)) ?? intervalMs;
      const elapsedMs = Date.now() - startedAt;
      if (elapsedMs + delayMs > timeoutMs) {
        throw deadlineError(last, timeoutMs, count, target.vendor);
      }
      options.onPoll?.(
        Object.freeze({attempt: attemptNumber, status: error.status, code: error.code, delayMs, elapsedMs}),
      );
      await abortableSleep(delayMs, signal);
    },
  });
};

const statusOf = (error: NotReadyError): string | undefined => {
  const envelope = error.envelope as {status?: unknown} | undefined;
  return typeof envelope?.status === 'string' ? envelope.status : String(error.code ?? error.category);
};

const deadlineError = (
  last: Pending,
  timeoutMs: number,
  attempts: number,
  vendor: string | undefined,
): NotReadyError => {
  const cause = last.cause;
  if (cause instanceof NotReadyError) {
    return new NotReadyError({
      vendor: vendor ?? cause.vendor,
      action: 'poll',
      category: 'not_ready',
      status: cause.status,
      code: cause.code,
      message: `still ${last.status ?? 'not ready'} after ${timeoutMs} ms`,
      requestId: cause.requestId,
      envelope: cause.envelope,
      attempts,
      delayMs: last.delayMs,
      method: cause.method,
      url: cause.url,
    });
  }
  return new NotReadyError({
    vendor: vendor ?? (isVendorError(cause) ? cause.vendor : 'poll'),
    action: 'poll',
    category: 'not_ready',
    status: isVendorError(cause) ? cause.status : 0,
    code: isVendorError(cause) ? cause.code : undefined,
    message: `still ${last.status ?? 'not ready'} after ${timeoutMs} ms`,
    // The last status the job reported, for code that decides whether to resume or give up.
    envelope: {status: last.status},
    attempts,
    delayMs: last.delayMs,
    cause,
  });
};
