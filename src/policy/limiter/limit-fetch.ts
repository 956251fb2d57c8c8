/**
 * @module `limitFetch()`: a `fetch` whose every call waits for the limiter first.
 */
import {toRequest} from '../../core/to-request.ts';
import type {Limiter} from './create-limiter.ts';

/** The shape of `fetch` that ky calls (and that `globalThis.fetch` satisfies). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One request that went out through the limiter. */
export type LimitedAttempt = {
  /** The limiter key it was paced under. */
  readonly key: string;
  /** When it was sent (`Date.now()`), to tell the limiter which rate its response answers. */
  readonly sentAt: number;
};

/** Options of `limitFetch()`. */
export type LimitFetchOptions = {
  /** The key of a request. */
  readonly key: (request: Request) => string;
  /** Called as each request is sent, after it got its turn. */
  readonly onSend?: (attempt: LimitedAttempt) => void;
};

/**
 * Wraps `fetch` so each call first waits for the limiter (a token of its key's rate and a
 * concurrency slot) and gives the slot back when the response headers arrive or the call fails.
 * The request's own signal (ky's, which carries its timeouts) aborts the wait too. Wrapping
 * `fetch` rather than a ky hook paces every attempt: ky runs `beforeRequest` once per call, not
 * once per retry.
 *
 * @example
 * ```ts
 * const limited = limitFetch(limiter, fetch, {key: (request) => new URL(request.url).host});
 * const api = ky.create({fetch: limited});
 * ```
 */
export const limitFetch =
  (limiter: Limiter, fetch: FetchFunction, options: LimitFetchOptions): FetchFunction =>
  async (input, init) => {
    const request = toRequest(input, init);
    const key = options.key(request);
    const release = await limiter.acquire(key, init?.signal ?? request.signal);
    try {
      options.onSend?.({key, sentAt: Date.now()});
      return await fetch(input, init);
    } finally {
      release();
    }
  };
