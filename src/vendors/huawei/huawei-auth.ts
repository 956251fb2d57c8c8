/**
 * @module `huaweiAuth()`: `X-Auth-Token` on every attempt, refreshed once when the token expired.
 */
import {AUTH_REFRESH, type AuthHooks} from '../../core/auth-refresh.ts';
import {registerSecret} from '../../core/redact.ts';

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
 * `APIGW.0307` / `octopus.000102` (token expired), the policy asks for a new token once per call
 * and sends the request once more with it, at once (even a POST: the gateway rejected it before
 * the service saw it). The resend counts as an attempt and needs `retryLimit` ≥ 1.
 * A second expiry, and every other 401 (`APIGW.0301`: the key locks after five failures), fail
 * with `AuthError`. Tokens are registered as secrets, so no error message or JSON shows them.
 *
 * Pass the hooks as `withVendor()`'s `auth` option: the refresh works only through it.
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
export const huaweiAuth = (options: HuaweiAuthOptions): AuthHooks => {
  const source = tokenSource(options);
  return {
    beforeRequest: [
      async ({request}) => {
        request.headers.set(HEADER, await source.get());
      },
    ],
    beforeRetry: [
      async ({request}) => {
        // A refresh (this call's or another's) may have replaced the token while this one waited.
        request.headers.set(HEADER, await source.get());
      },
    ],
    // The decision kernel asks this once per call when a verdict says the token expired, then
    // resends at once: the gateway rejected the request before the service saw it.
    [AUTH_REFRESH]: {
      refreshes: (verdict) => source.refreshable && TOKEN_EXPIRED_CODES.has(String(verdict.code)),
      refresh: async (request) => {
        await source.refresh(request.headers.get(HEADER));
      },
    },
  };
};
