/**
 * @module The options of `withVendor()` and `vendorHooks()`, and their defaults in one place.
 */
import type {Hooks} from 'ky';
import {type AuthRefresh, authRefreshOf} from '../core/auth-refresh.ts';
import type {Vendor} from '../core/define-vendor.ts';
import type {FetchFunction} from '../core/fetch-function.ts';
import type {FailureVerdict} from '../core/types.ts';
import type {VendorError} from '../errors/VendorError.ts';
import type {CircuitBreaker, CircuitBreakerOptions} from '../policy/circuit-breaker.ts';
import type {GiveUpReason} from '../policy/decide-attempt.ts';
import type {Limiter} from '../policy/limiter/create-limiter.ts';
import {limiterKey} from '../policy/limiter/limiter-key.ts';
import type {LimiterOptions} from '../policy/limiter/limiter-options.ts';
import {resolveLimiter} from '../policy/limiter/resolve-limiter.ts';
import type {RetryBudget, RetryBudgetOptions} from '../policy/retry-budget.ts';
import type {SharedCircuitBreaker} from '../policy/shared/create-shared-circuit-breaker.ts';
import type {SharedRetryBudget} from '../policy/shared/create-shared-retry-budget.ts';
import type {Store} from '../policy/store/store.ts';
import type {ThrottleGuard} from '../policy/throttle-guard.ts';
import type {CallObserver} from './call-observer.ts';
import {type Guards, resolveGuards} from './guards.ts';

/** Passed to `onRetry` before each wait. */
export type RetryEvent = {
  /** The vendor's name. */
  readonly vendor: string;
  /** The verdict that caused the retry (a synthetic `transient` verdict with status 0 for network errors). */
  readonly verdict: FailureVerdict;
  /** The retry about to be made, from 1. */
  readonly attempt: number;
  /** The wait before it: the stated wait, else the documented one, else the backoff. */
  readonly delayMs: number | undefined;
  readonly method: string;
  /** The request URL, credentials in its query redacted. */
  readonly url: string;
};

export type {GiveUpReason};

/** Passed to `onGiveUp` when the typed error is thrown. */
export type GiveUpEvent = {
  readonly vendor: string;
  readonly verdict: FailureVerdict;
  /** Attempts made, the last included. */
  readonly attempt: number;
  readonly reason: GiveUpReason;
  /** The wait that would have been needed (deadline and exhaustion). */
  readonly delayMs: number | undefined;
  readonly error: VendorError | Error;
};

/**
 * Options of `withVendor()` and `vendorHooks()`. Every field is optional.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun, {retryLimit: 6, totalTimeoutMs: 60_000})});
 * ```
 */
export type VendorOptions = {
  /**
   * How many times one request may be resent (ky's `retry.limit`). Up to 10 throttles that the
   * limiter paced (while it learns the vendor's rate) come on top, so a batch waits them out
   * rather than losing files; `maxWaitMs` and the deadlines still bound the call.
   * @default the vendor's `retryLimit`, else 4
   */
  readonly retryLimit?: number;
  /**
   * The first backoff's upper bound.
   * @default the vendor's `backoff.baseDelayMs`, else 500
   */
  readonly baseDelayMs?: number;
  /**
   * The largest computed backoff.
   * @default the vendor's `backoff.maxDelayMs`, else 30_000
   */
  readonly maxDelayMs?: number;
  /**
   * The longest single wait accepted. A longer wait the server states (`Retry-After`, "try again
   * in…") fails at once with the typed error and its `retryAt`, since sending sooner would only be
   * refused again; a longer documented wait or backoff is cut to it. A limiter pause on a whole key
   * and a call's wait for its turn in the limiter are bounded by it too.
   * @default 120_000
   */
  readonly maxWaitMs?: number;
  /**
   * A deadline for the whole call, waits included (ky's `totalTimeout`). A wait that cannot end
   * before it fails at once with the typed error and `retryAt`. A per-request `totalTimeout`
   * wins.
   * @default undefined (no deadline)
   */
  readonly totalTimeoutMs?: number;
  /**
   * The most bytes of a body read for classification. A larger body is classified by its status
   * and headers alone.
   * @default 65_536
   */
  readonly maxBodyBytes?: number;
  /**
   * How long reading a body for classification may take.
   * @default 10_000
   */
  readonly bodyTimeoutMs?: number;
  /**
   * Hooks of an auth helper (`upyunAuth()`, `huaweiAuth()`, …). They run before this package's
   * own hooks of the same kind, so credentials are set before each attempt and a token refresh can
   * resend before the response is classified.
   *
   * @example
   * ```ts
   * withVendor(upyun, {auth: upyunAuth({operator, password})});
   * ```
   */
  readonly auth?: Hooks;
  /**
   * Your own ky hooks, merged with the policy's kind by kind: yours run after the auth helper's
   * and before the policy's `init`, so a `beforeRequest` of yours sees every attempt and an
   * `afterResponse` of yours sees the responses the policy let through. Use this (or `.extend()`)
   * rather than a `hooks` key beside the spread `withVendor()`, which would replace the policy's.
   *
   * @example
   * ```ts
   * ky.create({prefix, ...withVendor(upyun, {hooks: {beforeRequest: [({request}) => log(request.url)]}})});
   * ```
   */
  readonly hooks?: Hooks;
  /** Called before each retry (a test seam and a logging hook). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Called when a typed error is thrown. */
  readonly onGiveUp?: (event: GiveUpEvent) => void;
  /**
   * Receivers of every attempt of every call (start, limiter wait, end with verdict and decision).
   * `ky-vendors/otel` and the diagnostics channels are built on them.
   * @default []
   */
  readonly observers?: readonly CallObserver[];
  /**
   * The random source for jitter, in `[0, 1)`.
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * A client-side limiter that paces every attempt (retries included) per vendor key, adapts the
   * rate to the vendor's throttles, and caps concurrency: a batch converges to the vendor's limit
   * instead of bouncing off it. `true` creates one for this instance; options create one with
   * them; a `Limiter` from `createLimiter()` is shared with every instance it is given to.
   *
   * On by default, and free until the vendor throttles: a key has no timer or extra await until
   * its first throttle verdict, only a new key's window (10 requests in flight, one more per
   * answer, none past 256); from then on it paces at the rate it learns, and opens again when its
   * throttles were noise (keys are the vendor's quota unit: UPYUN's bucket, BrightData's API key,
   * Huawei's project, Supametas' access key). `false` turns it off.
   *
   * With a limiter, a throttled request is resent as soon as its turn comes (or after the wait
   * the server stated) rather than after a backoff: the limiter already slowed the whole key down.
   * Time spent queued counts against ky's per-attempt `timeout` (10 s by default); for deep
   * queues raise it, or set `timeout: false` and bound the call with `totalTimeoutMs`.
   * @default true (one limiter per `withVendor()` call, over `store`)
   * @example
   * ```ts
   * const known = ky.create({prefix, ...withVendor(upyun, {limiter: {initialRatePerSecond: 150, openUntilThrottled: false}})});
   * const shared = createLimiter({initialRatePerSecond: 100, maxConcurrency: 32});
   * const other = ky.create({...withVendor(upyun, {limiter: shared})});
   * ```
   */
  readonly limiter?: boolean | Limiter | LimiterOptions;
  /**
   * Where shared state lives: the limiter's rate, tokens and pauses and the throttle guard's counts;
   * with a store that offers them (`createRedisStore()`), the retry budget's tokens and the
   * breaker's circuits too. Pass one store to several instances (or `createRedisStore()` from
   * `ky-vendors/redis` to several processes) to share one vendor quota, budget and breaker.
   * @default createMemoryStore() per instance
   * @example
   * ```ts
   * const store = createMemoryStore();
   * const uploads = ky.create({prefix, ...withVendor(upyun, {store})});
   * const reads = ky.create({prefix, ...withVendor(upyun, {store})});
   * ```
   */
  readonly store?: Store;
  /**
   * The `fetch` to call (ky's `fetch` option); the limiter, when set, wraps it.
   * @default globalThis.fetch
   * @example
   * ```ts
   * withVendor(upyun, {fetch: (input, init) => undici.fetch(input, {...init, dispatcher})});
   * ```
   */
  readonly fetch?: FetchFunction;
  /**
   * A retry budget per vendor key (the AWS SDK's retry quota): each retry spends tokens, each
   * success refills one, so an outage cannot multiply traffic. When a key runs dry the typed
   * error is thrown at once (`onGiveUp` reason `'budget'`). `false` turns it off; a budget from
   * `createRetryBudget()` is shared with every instance it is given to. Over a Redis `store` the
   * tokens live in Redis, one budget per key for the whole fleet (`createSharedRetryBudget()`).
   * @default true (500 tokens; 5 a retry, 10 after a network error; 1 back per success)
   * @example
   * ```ts
   * withVendor(upyun, {retryBudget: {capacity: 100}});
   * ```
   */
  readonly retryBudget?: boolean | RetryBudgetOptions | RetryBudget | SharedRetryBudget;
  /**
   * A circuit breaker per vendor key: after `failureThreshold` consecutive transient failures
   * (5xx retried verdicts, network errors) no request is sent for `openMs`, then one probe; a
   * refused request throws `CircuitOpenError` with `retryAt`, without touching the network. Over a
   * Redis `store` the circuits live in Redis: one opened by any process refuses in all, and the
   * fleet sends one probe at a time (`createSharedCircuitBreaker()`).
   * @default undefined (off)
   * @example
   * ```ts
   * withVendor(huaweiCloud, {circuitBreaker: {failureThreshold: 5, openMs: 30_000}});
   * ```
   */
  readonly circuitBreaker?: boolean | CircuitBreakerOptions | CircuitBreaker | SharedCircuitBreaker;
  /**
   * The vendor's throttle guard, a ceiling: throttles in the window plus requests in flight never
   * exceed the vendor's allowance (BrightData: 10, well before its IP block at 25 in 5 minutes),
   * whatever the concurrency. A request over it waits for a place while requests are in flight,
   * and fails with `CircuitOpenError` and a future `retryAt` once the window holds the most
   * throttles. `true` gives this instance its own guard (over `store`); a guard from
   * `createThrottleGuard()` is shared by every instance given it.
   * @default true for vendors that define one
   * @example
   * ```ts
   * const guard = createThrottleGuard({maxThrottles: 10, windowMs: 5 * 60_000});
   * const a = ky.create({prefix, ...withVendor(brightdata, {throttleGuard: guard})});
   * ```
   */
  readonly throttleGuard?: boolean | ThrottleGuard;
};

/** `VendorOptions` with every default applied. */
export type NormalizedVendorOptions = Required<
  Omit<
    VendorOptions,
    | 'totalTimeoutMs'
    | 'onRetry'
    | 'onGiveUp'
    | 'observers'
    | 'auth'
    | 'hooks'
    | 'limiter'
    | 'store'
    | 'fetch'
    | 'retryBudget'
    | 'circuitBreaker'
    | 'throttleGuard'
  >
> & {
  // Present and `undefined` when not given: one object literal, no spread per optional field.
  readonly [Key in 'totalTimeoutMs' | 'onRetry' | 'onGiveUp' | 'auth' | 'hooks' | 'fetch']:
    | VendorOptions[Key]
    | undefined;
} & {
  /** Every observer of the instance's calls (empty: nothing is built for them). */
  readonly observers: readonly CallObserver[];
  /** The auth helper's credential refresh, if it offers one. */
  readonly authRefresh: AuthRefresh | undefined;
  /** The limiter, created once per `withVendor()` call when `limiter` held options or `true`. */
  readonly limiter: Limiter | undefined;
  /** The budget, breaker and throttle guard of this instance. */
  readonly guards: Guards;
};

/** The defaults, in one place. */
export const DEFAULT_OPTIONS = {
  retryLimit: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 120_000,
  maxBodyBytes: 65_536,
  bodyTimeoutMs: 10_000,
} as const;

const nonNegative = (name: string, value: number | undefined, integer = false): void => {
  if (
    value !== undefined &&
    (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)))
  ) {
    throw new TypeError(
      `\`${name}\` must be a finite, non-negative ${integer ? 'integer' : 'number'}, got ${value}`,
    );
  }
};

/**
 * Applies defaults: the caller's option, then the vendor's, then `DEFAULT_OPTIONS`.
 *
 * @throws {TypeError} for negative or non-finite numbers.
 */
export const normalizeVendorOptions = (
  vendor: Vendor,
  options: VendorOptions = {},
): NormalizedVendorOptions => {
  nonNegative('retryLimit', options.retryLimit, true);
  for (const name of ['baseDelayMs', 'maxDelayMs', 'maxWaitMs', 'totalTimeoutMs', 'bodyTimeoutMs'] as const) {
    nonNegative(name, options[name]);
  }
  nonNegative('maxBodyBytes', options.maxBodyBytes, true);
  const limiter = resolveLimiter(options.limiter, options.store);
  return {
    retryLimit: options.retryLimit ?? vendor.retryLimit ?? DEFAULT_OPTIONS.retryLimit,
    baseDelayMs: options.baseDelayMs ?? vendor.backoff?.baseDelayMs ?? DEFAULT_OPTIONS.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? vendor.backoff?.maxDelayMs ?? DEFAULT_OPTIONS.maxDelayMs,
    maxWaitMs: options.maxWaitMs ?? DEFAULT_OPTIONS.maxWaitMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_OPTIONS.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_OPTIONS.bodyTimeoutMs,
    random: options.random ?? Math.random,
    totalTimeoutMs: options.totalTimeoutMs,
    onRetry: options.onRetry,
    onGiveUp: options.onGiveUp,
    auth: options.auth,
    hooks: options.hooks,
    authRefresh: authRefreshOf(options.auth),
    fetch: options.fetch,
    limiter,
    observers: options.observers ?? [],
    guards: resolveGuards(
      vendor,
      {
        retryBudget: options.retryBudget,
        circuitBreaker: options.circuitBreaker,
        throttleGuard: options.throttleGuard,
        store: options.store,
      },
      limiter?.key ?? vendor.rateKey ?? limiterKey(vendor.name),
    ),
  };
};
