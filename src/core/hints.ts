/**
 * @module Hint parsers for waits that vendors write into their messages.
 */
import type {HintParser, RateHintParser} from './define-vendor.ts';
import {unitMs} from './duration-unit.ts';
import {clampDelay} from './parse-retry-after.ts';

const tryAgainIn =
  /try again in\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b/i;

/**
 * "Snapshot is building, try again in 10s" → 10 000 ms.
 *
 * @example
 * ```ts
 * parseTryAgainIn('Snapshot is not ready yet, try again in 10s'); // 10_000
 * ```
 */
export const parseTryAgainIn = (message: string | undefined): number | undefined => {
  const match = message === undefined ? null : tryAgainIn.exec(message.slice(0, 1000));
  const unit = match?.[2] === undefined ? undefined : unitMs(match[2]);
  return match?.[1] === undefined || unit === undefined ? undefined : clampDelay(Number(match[1]) * unit);
};

const rateWindow = /limit:\s*\d+\s*,\s*time:\s*(\d+)\s*(second|minute|hour|s|m|h)s?\b/i;

/**
 * A gateway's rate window, "…over ratelimit,limit:5,time:1 second" → 1 000 ms: the shortest wait
 * after which the window has certainly moved on.
 *
 * @example
 * ```ts
 * parseRateWindow('policy user over ratelimit,limit:100,time:1 minute'); // 60_000
 * ```
 */
export const parseRateWindow = (message: string | undefined): number | undefined => {
  const match = message === undefined ? null : rateWindow.exec(message.slice(0, 1000));
  const unit = match?.[2] === undefined ? undefined : unitMs(match[2]);
  return match?.[1] === undefined || unit === undefined ? undefined : clampDelay(Number(match[1]) * unit);
};

/** Hint parser over the vendor message: "try again in N s". */
export const tryAgainInHint: HintParser = ({message}) => parseTryAgainIn(message);

/** Hint parser over the vendor message: "limit:N,time:N unit". */
export const rateWindowHint: HintParser = ({message}) => parseRateWindow(message);

const rateLimit = /limit:\s*(\d+)\s*,\s*time:\s*(\d+)\s*(second|minute|hour|s|m|h)s?\b/i;

/** A gateway's stated limit: so many requests per window. */
export type RateLimitHint = {
  /** Requests allowed per window. */
  readonly limit: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
};

/**
 * A gateway's stated limit, "…over ratelimit,limit:5,time:1 second" → `{limit: 5, windowMs: 1000}`,
 * so a client-side limiter can start from the rate the gateway enforces instead of guessing it.
 *
 * @example
 * ```ts
 * parseRateLimit('policy ip over ratelimit,limit:5,time:5 second'); // {limit: 5, windowMs: 5000}
 * ```
 */
export const parseRateLimit = (message: string | undefined): RateLimitHint | undefined => {
  const match = message === undefined ? null : rateLimit.exec(message.slice(0, 1000));
  const unit = match?.[3] === undefined ? undefined : unitMs(match[3]);
  if (match?.[1] === undefined || match[2] === undefined || unit === undefined) {
    return undefined;
  }
  const limit = Number(match[1]);
  const windowMs = clampDelay(Number(match[2]) * unit);
  return limit > 0 && windowMs !== undefined && windowMs > 0 ? {limit, windowMs} : undefined;
};

/** Rate parser over the vendor message: "limit:N,time:N unit" → `{limit, periodMs}`. */
export const rateLimitHint: RateHintParser = ({message}) => {
  const rate = parseRateLimit(message);
  return rate === undefined ? undefined : {limit: rate.limit, periodMs: rate.windowMs};
};
