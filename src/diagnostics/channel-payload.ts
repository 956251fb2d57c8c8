/**
 * @module The payloads the diagnostics channels publish: plain, frozen, redacted copies of the events.
 */
import {redact} from '../core/redact.ts';
import type {FailureVerdict} from '../core/types.ts';
import type {AttemptEndEvent} from '../ky/call-observer.ts';

/** A verdict as a channel shows it: the decision's facts, the vendor's message redacted. */
export type VerdictPayload = Readonly<
  Pick<
    FailureVerdict,
    'vendor' | 'action' | 'category' | 'status' | 'code' | 'requestId' | 'statedDelayMs'
  > & {
    message?: string;
  }
>;

/** What `ky-vendors:attempt`, `:retry`, `:give-up` and `:throttle` publish for an ended attempt. */
export type AttemptPayload = Readonly<
  Omit<AttemptEndEvent, 'verdict' | 'error'> & {
    verdict: VerdictPayload | undefined;
    /** The error of an attempt without an answer: its name and redacted message only. */
    error: Readonly<{name: string; message: string}> | undefined;
  }
>;

const verdictPayload = (verdict: FailureVerdict): VerdictPayload =>
  Object.freeze({
    vendor: verdict.vendor,
    action: verdict.action,
    category: verdict.category,
    status: verdict.status,
    ...(verdict.code === undefined ? {} : {code: verdict.code}),
    ...(verdict.message === undefined ? {} : {message: redact(verdict.message)}),
    ...(verdict.requestId === undefined ? {} : {requestId: verdict.requestId}),
    ...(verdict.statedDelayMs === undefined ? {} : {statedDelayMs: verdict.statedDelayMs}),
  });

const errorPayload = (error: unknown): AttemptPayload['error'] =>
  Object.freeze(
    error instanceof Error
      ? {name: error.name, message: redact(error.message)}
      : {name: typeof error, message: redact(String(error))},
  );

/**
 * A frozen copy of an ended attempt that holds no object of the request (no headers, no body):
 * the URL is already redacted, messages are redacted here.
 */
export const attemptPayload = (event: AttemptEndEvent): AttemptPayload =>
  Object.freeze({
    vendor: event.vendor,
    callId: event.callId,
    attempt: event.attempt,
    method: event.method,
    url: redact(event.url),
    key: event.key,
    status: event.status,
    verdict: event.verdict === undefined ? undefined : verdictPayload(event.verdict),
    outcome: event.outcome,
    delayMs: event.delayMs,
    reason: event.reason,
    queued: event.queued,
    error: event.outcome === 'error' ? errorPayload(event.error) : undefined,
  });
