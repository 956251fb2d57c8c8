/**
 * @module The guards around one vendor instance: retry budget, circuit breaker, throttle guard.
 */

import type {Vendor} from '../core/define-vendor.ts';
import {toRequest} from '../core/to-request.ts';
import type {FailureVerdict, Verdict} from '../core/types.ts';
import {CircuitOpenError} from '../errors/CircuitOpenError.ts';
import {VendorError} from '../errors/VendorError.ts';
import {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from '../policy/circuit-breaker.ts';
import type {FetchFunction} from '../policy/limiter/limit-fetch.ts';
import {createRetryBudget, type RetryBudget, type RetryBudgetOptions} from '../policy/retry-budget.ts';
import {createThrottleGuard, type ThrottleGuard} from '../policy/throttle-guard.ts';
import {RetrySignal} from './retry-signal.ts';

/** The guards of one `withVendor()` call, sharing one key function. */
export type Guards = {
  readonly key: (request: Request) => string;
  readonly budget: RetryBudget | undefined;
  readonly breaker: CircuitBreaker | undefined;
  readonly throttleGuard: ThrottleGuard | undefined;
};

/** The guard options of `withVendor()`. */
export type GuardOptions = {
  readonly retryBudget?: boolean | RetryBudgetOptions | RetryBudget | undefined;
  readonly circuitBreaker?: boolean | CircuitBreakerOptions | CircuitBreaker | undefined;
  readonly throttleGuard?: boolean | undefined;
};

const isBudget = (value: unknown): value is RetryBudget =>
  typeof (value as Partial<RetryBudget> | undefined)?.tryRetry === 'function';
const isBreaker = (value: unknown): value is CircuitBreaker =>
  typeof (value as Partial<CircuitBreaker> | undefined)?.permit === 'function';

/**
 * Resolves the guard options: the budget is on unless `false`, the breaker off unless set, the
 * throttle guard on when the vendor defines one (BrightData) unless `false`.
 */
export const resolveGuards = (
  vendor: Vendor,
  options: GuardOptions,
  key: (request: Request) => string,
): Guards => {
  const {retryBudget, circuitBreaker, throttleGuard} = options;
  return {
    key,
    budget:
      retryBudget === false
        ? undefined
        : isBudget(retryBudget)
          ? retryBudget
          : createRetryBudget(retryBudget === true || retryBudget === undefined ? {} : retryBudget),
    breaker:
      circuitBreaker === undefined || circuitBreaker === false
        ? undefined
        : isBreaker(circuitBreaker)
          ? circuitBreaker
          : createCircuitBreaker(circuitBreaker === true ? {} : circuitBreaker),
    throttleGuard:
      throttleGuard === false || vendor.throttleGuard === undefined
        ? undefined
        : createThrottleGuard(vendor.throttleGuard),
  };
};

/** Whether any guard needs to see each attempt before it is sent. */
export const guardsEachAttempt = (guards: Guards): boolean =>
  guards.breaker !== undefined || guards.throttleGuard !== undefined;

const openError = (
  vendor: Vendor,
  request: Request,
  retryAt: number,
  category: 'rate_limited' | 'transient',
  message: string,
) =>
  new CircuitOpenError({
    vendor: vendor.name,
    action: 'fail',
    category,
    status: 0,
    message,
    attempts: 0,
    retryAt: new Date(retryAt),
    delayMs: Math.max(0, retryAt - Date.now()),
    method: request.method,
    url: request.url,
  });

/**
 * Wraps `fetch` so each attempt is refused with `CircuitOpenError` while the key's circuit is
 * open or its throttle guard holds, and so network failures count against the breaker.
 */
export const guardFetch =
  (vendor: Vendor, guards: Guards, fetch: FetchFunction): FetchFunction =>
  async (input, init) => {
    const request = toRequest(input, init);
    const key = guards.key(request);
    const blockedUntil = guards.throttleGuard?.blockedUntil(key);
    if (blockedUntil !== undefined) {
      throw openError(
        vendor,
        request,
        blockedUntil,
        'rate_limited',
        guards.throttleGuard?.options.reason ?? 'throttled too often',
      );
    }
    const permit = guards.breaker?.permit(key);
    if (permit !== undefined && !permit.allowed) {
      throw openError(
        vendor,
        request,
        permit.retryAt,
        'transient',
        'circuit open after consecutive transient failures',
      );
    }
    try {
      return await fetch(input, init);
    } catch (error) {
      if (error instanceof VendorError || error instanceof RetrySignal) {
        // A decided response: its verdict was recorded when it was classified.
        throw error;
      }
      if (init?.signal?.aborted || request.signal.aborted) {
        guards.breaker?.release(key);
      } else {
        guards.breaker?.record(key, 'transient-failure');
      }
      throw error;
    }
  };

/** Records what a response said about the vendor's health. */
export const recordVerdict = (guards: Guards, key: string, verdict: Verdict): void => {
  if (verdict.action === 'throttle') {
    guards.throttleGuard?.recordThrottle(key);
  }
  guards.breaker?.record(
    key,
    verdict.action === 'ok' ? 'success' : isOutage(verdict) ? 'transient-failure' : 'other',
  );
};

const isOutage = (verdict: FailureVerdict): boolean =>
  verdict.action === 'retry' && (verdict.category === 'transient' || verdict.category === 'server');
