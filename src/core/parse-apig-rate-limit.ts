/**
 * @module `parseApigRateLimit()`: the Huawei API gateway's `X-Apig-RateLimit-*` headers as pacing data.
 */
import {unitMs} from './duration-unit.ts';

/** One gateway rate limit: so many requests per period, so many left in the current one. */
export type ApigRateLimit = {
  /** Requests allowed per period. */
  readonly limit: number;
  /** The period, in milliseconds. */
  readonly periodMs: number;
  /** Requests left in the current period. */
  readonly remaining: number;
};

/** A gateway rate limit with the policy scope it comes from (`api`, `user`, `app`, `ip`, `api-allenv`). */
export type ScopedApigRateLimit = ApigRateLimit & {
  /** The header suffix: `X-Apig-RateLimit-<scope>`, lower case. */
  readonly scope: string;
};

const MAX_VALUE_LENGTH = 200;
const HEADER_PREFIX = 'x-apig-ratelimit-';

const field = (value: string, name: string): string | undefined =>
  new RegExp(`(?:^|,)\\s*${name}\\s*:\\s*([^,]*)`, 'i').exec(value)?.[1]?.trim();

const count = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d{1,12}$/.test(text) ? Number(text) : undefined;

const period = (text: string | undefined): number | undefined => {
  const match = text === undefined ? null : /^(\d{1,9})\s*([a-z]+)$/i.exec(text);
  const unit = match?.[2] === undefined ? undefined : unitMs(match[2]);
  return match?.[1] === undefined || unit === undefined || Number(match[1]) === 0
    ? undefined
    : Number(match[1]) * unit;
};

/**
 * Parses one `X-Apig-RateLimit-*` value (`remain:9,limit:10,time:10 second`, sent by the gateway
 * in debug mode) into pacing data. Anything malformed (a missing field, a zero limit or period, a
 * unit it does not know, `remain` above `limit`) is `undefined`, never a guess.
 *
 * @example
 * ```ts
 * parseApigRateLimit('remain:9,limit:10,time:10 second'); // {limit: 10, periodMs: 10_000, remaining: 9}
 * parseApigRateLimit('limit:10'); // undefined
 * ```
 */
export const parseApigRateLimit = (value: string | null | undefined): ApigRateLimit | undefined => {
  if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
    return undefined;
  }
  const limit = count(field(value, 'limit'));
  const remaining = count(field(value, 'remain(?:ing)?'));
  const periodMs = period(field(value, 'time'));
  if (
    limit === undefined ||
    remaining === undefined ||
    periodMs === undefined ||
    limit === 0 ||
    remaining > limit
  ) {
    return undefined;
  }
  return {limit, periodMs, remaining};
};

/**
 * Every `X-Apig-RateLimit-<scope>` header of a response, parsed, tightest first: the fewest
 * requests left, then the lowest rate (`limit / period`). The first entry is the one to pace by.
 *
 * @example
 * ```ts
 * parseApigRateLimits(new Headers({'x-apig-ratelimit-api': 'remain:9,limit:10,time:1 second', 'x-apig-ratelimit-user': 'remain:2,limit:100,time:1 minute'}));
 * // [{scope: 'user', limit: 100, periodMs: 60_000, remaining: 2}, {scope: 'api', …}]
 * ```
 */
export const parseApigRateLimits = (headers: Headers): readonly ScopedApigRateLimit[] => {
  const limits: ScopedApigRateLimit[] = [];
  for (const [name, value] of headers) {
    if (name.startsWith(HEADER_PREFIX)) {
      const parsed = parseApigRateLimit(value);
      if (parsed !== undefined) {
        limits.push({scope: name.slice(HEADER_PREFIX.length), ...parsed});
      }
    }
  }
  return limits.sort((a, b) => a.remaining - b.remaining || a.limit / a.periodMs - b.limit / b.periodMs);
};
