/**
 * @module `CallObserver`: what a call tells observers (telemetry, diagnostics) as it runs.
 */
import type {FailureVerdict} from '../core/types.ts';
import type {GiveUpReason} from '../policy/decide-attempt.ts';

/** Facts every event of one call shares. Payloads are frozen; URLs carry no credentials. */
export type CallEventBase = {
  /** The vendor's name. */
  readonly vendor: string;
  /** A number unique to the call within this process. */
  readonly callId: number;
  /** The attempt, from 1. */
  readonly attempt: number;
  readonly method: string;
  /** The request URL, credentials in its query redacted. */
  readonly url: string;
  /** The limiter and guard key of the request (the vendor's quota unit). */
  readonly key: string;
};

/** An attempt is about to pass the guards and the limiter. */
export type AttemptStartEvent = CallEventBase;

/** An attempt got its turn in the limiter after waiting. */
export type AttemptQueuedEvent = CallEventBase & {
  /** How long it waited for its turn. */
  readonly queuedMs: number;
};

/** An attempt ended: answered (with a verdict and a decision), or failed before an answer. */
export type AttemptEndEvent = CallEventBase & {
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** The verdict of a failed answer; `undefined` for a success. */
  readonly verdict: FailureVerdict | undefined;
  /** What the call does next. */
  readonly outcome: 'return' | 'retry' | 'give-up' | 'error';
  /** The planned wait before the next attempt (`retry`). */
  readonly delayMs: number | undefined;
  /** Why no further attempt is made (`give-up`). */
  readonly reason: GiveUpReason | undefined;
  /** Whether the limiter paced this attempt (it waited for its turn). */
  readonly queued: boolean;
  /** The error of an attempt that failed without an answer (`error`). */
  readonly error: unknown;
};

/**
 * Receives every attempt of every call of an instance. The OpenTelemetry entry and the
 * diagnostics channels are observers; an observer that throws is ignored (it never breaks a
 * request). Callbacks run synchronously on the request's path: keep them cheap.
 *
 * @example
 * ```ts
 * withVendor(upyun, {observers: [{onAttemptEnd: (event) => log(event.status, event.outcome)}]});
 * ```
 */
export type CallObserver = {
  readonly onAttemptStart?: (event: AttemptStartEvent) => void;
  readonly onAttemptQueued?: (event: AttemptQueuedEvent) => void;
  readonly onAttemptEnd?: (event: AttemptEndEvent) => void;
};

let nextCallId = 0;

/** A new call id. */
export const newCallId = (): number => ++nextCallId;

/** Tells every observer, never letting one break the request. */
export const notify = <E>(
  observers: readonly CallObserver[],
  pick: (observer: CallObserver) => ((event: E) => void) | undefined,
  event: E,
): void => {
  const frozen = Object.freeze(event);
  for (const observer of observers) {
    try {
      pick(observer)?.(frozen);
    } catch {
      // An observer's failure is its own.
    }
  }
};
