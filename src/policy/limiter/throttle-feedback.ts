/**
 * @module What a throttle verdict tells the limiter: the wait and the rate the server stated.
 */
import {parseRateLimit} from '../../core/hints.ts';
import {parseRetryAfter} from '../../core/parse-retry-after.ts';
import type {Vendor} from '../../core/define-vendor.ts';
import type {FailureVerdict} from '../../core/types.ts';
import type {ThrottleFeedback} from './limiter-state.ts';

/** The parts of the throttled response the feedback is read from. */
export type ThrottledResponse = {
  readonly headers: Headers;
  /** The body as read for classification. */
  readonly body: unknown;
};

/**
 * The limiter feedback for a throttle verdict. `delayMs` is only what the server stated
 * (`Retry-After`, or a wait the vendor's hint parsers find in the message, such as a gateway's
 * window). A vendor table's documented default wait is not a statement about now, and pausing a
 * whole key for it on every throttle would halve a batch's pace. `ratePerSecond` comes from a
 * stated limit, "limit:5,time:1 second" → 5.
 *
 * @example
 * ```ts
 * throttleFeedback(huaweiCloud, verdict, {headers, body}, sentAt);
 * // {delayMs: 1000, ratePerSecond: 5, sentAt} for "…over ratelimit,limit:5,time:1 second"
 * ```
 */
export const throttleFeedback = (
  vendor: Vendor,
  verdict: Pick<FailureVerdict, 'message'>,
  response: ThrottledResponse,
  sentAt?: number,
): ThrottleFeedback => {
  const hintInput = {message: verdict.message, body: response.body, headers: response.headers};
  const waits = [
    parseRetryAfter(response.headers.get('retry-after')),
    ...(vendor.hints ?? []).map((hint) => safely(() => hint(hintInput))),
  ].filter((ms): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms > 0);
  const limit = parseRateLimit(verdict.message);
  return {
    delayMs: waits.length > 0 ? Math.max(...waits) : undefined,
    ratePerSecond: limit === undefined ? undefined : (limit.limit * 1000) / limit.windowMs,
    sentAt,
  };
};

/** A vendor's hint parser must never break the request it reads. */
const safely = (read: () => number | undefined): number | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};
