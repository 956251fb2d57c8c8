/**
 * @module `huaweiAuth()`: `X-Auth-Token` on every attempt, refreshed once when the token expired.
 */
import type {Hooks, Options} from 'ky';
import {classify} from '../../classify/classify.ts';
import {registerSecret} from '../../core/redact.ts';
import {readBody} from '../../ky/read-body.ts';
import {huaweiCloud} from './huawei-cloud.ts';

/**
 * Where the IAM token comes from: a fixed token, or a function that fetches a fresh one (from
 * `POST /v3/auth/tokens`, whose `X-Subject-Token` response header is the token). Only
 * `getToken` allows a refresh when the gateway says the token expired.
 *
 * @example
 * ```ts
 * const fixed: HuaweiAuthOptions = {token: process.env.HUAWEI_TOKEN ?? ''};
 * const fresh: HuaweiAuthOptions = {getToken: () => fetchIamToken(credentials)};
 * ```
 */
export type HuaweiAuthOptions =
  | {
      /** An IAM token, sent as is; an expired one fails with `AuthError`. */
      readonly token: string;
    }
  | {
      /**
       * Returns a valid IAM token. Called for the first request and once more whenever the gateway
       * answers that the token expired; concurrent requests share one call.
       */
      readonly getToken: () => Promise<string> | string;
    };

/**
 * The codes that mean "this token expired, get a new one": the gateway's `APIGW.0307` ("The
 * token must be updated") and Octopus's `octopus.000102` ("The request token expires").
 * `APIGW.0301` is not among them: the gateway locks an AK/SK after five failures in a row.
 *
 * @example
 * ```ts
 * TOKEN_EXPIRED_CODES.has(String(error.code)); // true for APIGW.0307
 * ```
 */
export const TOKEN_EXPIRED_CODES: ReadonlySet<string> = new Set(['APIGW.0307', 'octopus.000102']);

const HEADER = 'X-Auth-Token';
const MAX_BODY_BYTES = 65_536;
const BODY_TIMEOUT_MS = 10_000;

type TokenSource = {
  /** Whether a new token can be had at all. */
  readonly refreshable: boolean;
  /** The cached token, fetched on first use. */
  readonly get: () => Promise<string>;
  /** A token newer than `stale`: the one another request already fetched, else a new one. */
  readonly refresh: (stale: string | null) => Promise<string>;
};

const checked = (token: unknown): string => {
  if (typeof token !== 'string' || token.length === 0) {
    throw new TypeError('`getToken()` must resolve to a non-empty string');
  }
  return token;
};

const tokenSource = (options: HuaweiAuthOptions): TokenSource => {
  if ('token' in options) {
    const token = checked(options.token);
    const fixed: TokenSource = {refreshable: false, get: async () => token, refresh: async () => token};
    // Redacted for as long as the hooks (which hold the source) can send it.
    registerSecret(token, {owner: fixed});
    return fixed;
  }
  if (typeof options.getToken !== 'function') {
    throw new TypeError('`huaweiAuth()` needs `token` or `getToken`');
  }
  const {getToken} = options;
  let current: string | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = (): Promise<string> => {
    pending ??= (async () => {
      try {
        current = checked(await getToken());
        registerSecret(current, {owner: refreshing});
        return current;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
  const refreshing: TokenSource = {
    refreshable: true,
    get: () => (current === undefined ? fetchToken() : Promise.resolve(current)),
    refresh: (stale) => {
      if (pending !== undefined) {
        return pending;
      }
      if (current !== undefined && current !== stale) {
        return Promise.resolve(current);
      }
      current = undefined;
      return fetchToken();
    },
  };
  return refreshing;
};

/**
 * ky hooks that authenticate every Huawei Cloud request with an IAM token (`X-Auth-Token`).
 * With `getToken`, the token is cached; when the gateway or Octopus answers 401 with
 * `APIGW.0307` / `octopus.000102` (token expired), a new token is fetched once and the request
 * is sent once more with it (even a POST: the gateway rejected it before the service saw it).
 * A second expiry, and every other 401 (`APIGW.0301`: the key locks after five failures), fail
 * with `AuthError`. Tokens are registered as secrets, so no error message or JSON shows them.
 *
 * Pass the hooks as `withVendor()`'s `auth` option, so they run before the vendor's own hooks.
 *
 * @throws {TypeError} when neither a token nor `getToken` is given.
 * @example
 * ```ts
 * const octopus = ky.create({
 *   prefix: `https://octopus.cn-south-1.myhuaweicloud.com/v1.0/${projectId}/`,
 *   ...withVendor(huaweiCloud, {auth: huaweiAuth({getToken: () => fetchIamToken(credentials)})}),
 * });
 * ```
 */
export const huaweiAuth = (options: HuaweiAuthOptions): Hooks => {
  const source = tokenSource(options);
  return {
    init: [
      (kyOptions) => {
        if (!source.refreshable || retryLimitOf(kyOptions.retry) === 0) {
          return;
        }
        // Wrapped per call, closest to the network: the refresh is one more send of this attempt,
        // made before the response is classified, and at most once per call.
        kyOptions.fetch = refreshingFetch(source, kyOptions.fetch ?? globalFetch);
      },
    ],
    beforeRequest: [
      async ({request}) => {
        request.headers.set(HEADER, await source.get());
      },
    ],
    beforeRetry: [
      async ({request}) => {
        // Another call may have refreshed the token while this one waited.
        request.headers.set(HEADER, await source.get());
      },
    ],
  };
};

type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const globalFetch: FetchFunction = (input, init) => globalThis.fetch(input, init);

/** ky's retry limit as given to `init` (a number, an object, or its default of 2). */
const retryLimitOf = (retry: Options['retry']): number =>
  typeof retry === 'number' ? retry : (retry?.limit ?? 2);

/**
 * A `fetch` that, when the answer is a 401 saying the token expired, gets a new token and sends
 * the request once more with it. The body of a request is kept aside before the first send, so
 * the second one can carry it.
 */
const refreshingFetch = (source: TokenSource, fetch: FetchFunction): FetchFunction => {
  let refreshed = false;
  return async (input, init) => {
    if (refreshed || !(input instanceof Request)) {
      return fetch(input, init);
    }
    const spare = input.body === null ? input : input.clone();
    const response = await fetch(input, init);
    if (response.status !== 401) {
      return response;
    }
    const {body} = await readBody(response.clone(), {
      maxBytes: MAX_BODY_BYTES,
      timeoutMs: BODY_TIMEOUT_MS,
      signal: input.signal,
    });
    const verdict = classify(huaweiCloud, {status: response.status, headers: response.headers, body});
    if (verdict.action === 'ok' || !TOKEN_EXPIRED_CODES.has(String(verdict.code))) {
      return response;
    }
    refreshed = true;
    response.body?.cancel().catch(() => {});
    const token = await source.refresh(input.headers.get(HEADER));
    const headers = new Headers(spare.headers);
    headers.set(HEADER, token);
    return fetch(new Request(spare, {headers}), init);
  };
};
