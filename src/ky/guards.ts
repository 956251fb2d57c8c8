/**
 * @module The guards around one vendor instance: retry budget, circuit breaker, throttle guard.
 */

import type {Vendor} from '../core/define-vendor.ts';
import type {FailureVerdict, Verdict} from '../core/types.ts';
import {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from '../policy/circuit-breaker.ts';
import {createRetryBudget, type RetryBudget, type RetryBudgetOptions} from '../policy/retry-budget.ts';
import type {SharedCircuitBreaker} from '../policy/shared/create-shared-circuit-breaker.ts';
import type {Store} from '../policy/store/store.ts';
import {createThrottleGuard, type ThrottleGuard} from '../policy/throttle-guard.ts';

/** The guards of one `withVendor()` call, sharing one key function. */
export type Guards = {
  readonly key: (request: Request) => string;
  readonly budget: RetryBudget | undefined;
  readonly breaker: CircuitBreaker | SharedCircuitBreaker | undefined;
  readonly throttleGuard: ThrottleGuard | undefined;
};

/** The guard options of `withVendor()`. */
export type GuardOptions = {
  readonly retryBudget?: boolean | RetryBudgetOptions | RetryBudget | undefined;
  readonly circuitBreaker?:
    | boolean
    | CircuitBreakerOptions
    | CircuitBreaker
    | SharedCircuitBreaker
    | undefined;
  readonly throttleGuard?: boolean | ThrottleGuard | undefined;
  /**
   * Where a guard this call creates keeps its counts; a store that offers `retryBudget` and
   * `circuitBreaker` (Redis) keeps the budget and breaker too.
   */
  readonly store?: Store | undefined;
};

const isBudget = (value: unknown): value is RetryBudget =>
  typeof (value as Partial<RetryBudget> | undefined)?.tryRetry === 'function';
const isGuard = (value: unknown): value is ThrottleGuard =>
  typeof (value as Partial<ThrottleGuard> | undefined)?.admit === 'function';
const isBreaker = (value: unknown): value is CircuitBreaker | SharedCircuitBreaker =>
  typeof (value as Partial<CircuitBreaker> | undefined)?.permit === 'function';

/**
 * Resolves the guard options: the budget is on unless `false`, the breaker off unless set, the
 * throttle guard on when the vendor defines one (BrightData) unless `false`. The budget and breaker
 * live in the store when it offers them (shared by a fleet), else in this instance.
 */
export const resolveGuards = (
  vendor: Vendor,
  options: GuardOptions,
  key: (request: Request) => string,
): Guards => {
  const {retryBudget, circuitBreaker, throttleGuard, store} = options;
  return {
    key,
    budget:
      retryBudget === false
        ? undefined
        : isBudget(retryBudget)
          ? retryBudget
          : (store?.retryBudget ?? createRetryBudget)(
              retryBudget === true || retryBudget === undefined ? {} : retryBudget,
            ),
    breaker:
      circuitBreaker === undefined || circuitBreaker === false
        ? undefined
        : isBreaker(circuitBreaker)
          ? circuitBreaker
          : (store?.circuitBreaker ?? createCircuitBreaker)(circuitBreaker === true ? {} : circuitBreaker),
    throttleGuard: isGuard(throttleGuard)
      ? throttleGuard
      : throttleGuard === false || vendor.throttleGuard === undefined
        ? undefined
        : createThrottleGuard({
            ...vendor.throttleGuard,
            ...(store === undefined ? {} : {store}),
          }),
  };
};

/** Records what a response said about the vendor's health. */
export const recordVerdict = (guards: Guards, key: string, verdict: Verdict): void => {
  guards.breaker?.record(
    key,
    verdict.action === 'ok' ? 'success' : isOutage(verdict) ? 'transient-failure' : 'other',
  );
};

const isOutage = (verdict: FailureVerdict): boolean =>
  verdict.action === 'retry' && (verdict.category === 'transient' || verdict.category === 'server');
