/**
 * @module A retry budget per vendor key: retries spend tokens, successes refill them, so an
 * outage cannot multiply traffic (the AWS SDK's retry quota).
 */

/**
 * Options of `createRetryBudget()`. Every field is optional.
 *
 * @example
 * ```ts
 * withVendor(upyun, {retryBudget: {capacity: 200}});
 * ```
 */
export type RetryBudgetOptions = {
  /**
   * Tokens a key starts with and can hold.
   * @default 500
   */
  readonly capacity?: number;
  /**
   * Tokens one retry spends.
   * @default 5
   */
  readonly retryCost?: number;
  /**
   * Tokens a retry after a network error or timeout spends (these hint at an outage).
   * @default 10
   */
  readonly networkRetryCost?: number;
  /**
   * Tokens a success gives back (a success after retries gives back what they cost, too).
   * @default 1
   */
  readonly successRefill?: number;
};

/** Per-key retry tokens. */
export type RetryBudget = {
  /** Spends the cost of one retry; `false` (and nothing spent) when the key cannot afford it. */
  readonly tryRetry: (key: string, kind?: 'response' | 'network') => boolean;
  /** Refills after a success; `retriedCost` is what this request's retries spent. */
  readonly onSuccess: (key: string, retriedCost?: number) => void;
  /** The tokens a key has now. */
  readonly available: (key: string) => number;
  /** The cost of one retry of a kind. */
  readonly cost: (kind: 'response' | 'network') => number;
};

/** The defaults, in one place. */
export const DEFAULT_RETRY_BUDGET = {
  capacity: 500,
  retryCost: 5,
  networkRetryCost: 10,
  successRefill: 1,
} as const;

/**
 * Creates a retry budget. With the defaults, a key in a full outage stops retrying after 100
 * retries (50 after network errors) and starts again as successes refill it.
 *
 * @example
 * ```ts
 * const budget = createRetryBudget();
 * if (budget.tryRetry('upyun:v0.api.upyun.com')) {
 *   // resend
 * }
 * ```
 */
export const createRetryBudget = (options: RetryBudgetOptions = {}): RetryBudget => {
  const capacity = options.capacity ?? DEFAULT_RETRY_BUDGET.capacity;
  const costs = {
    response: options.retryCost ?? DEFAULT_RETRY_BUDGET.retryCost,
    network: options.networkRetryCost ?? DEFAULT_RETRY_BUDGET.networkRetryCost,
  };
  const refill = options.successRefill ?? DEFAULT_RETRY_BUDGET.successRefill;
  const tokens = new Map<string, number>();
  const available = (key: string): number => tokens.get(key) ?? capacity;
  return {
    tryRetry: (key, kind = 'response') => {
      const left = available(key);
      if (left < costs[kind]) {
        return false;
      }
      tokens.set(key, left - costs[kind]);
      return true;
    },
    onSuccess: (key, retriedCost = 0) => {
      const next = Math.min(capacity, available(key) + refill + retriedCost);
      // A full bucket is the default: forget the key so the map does not grow with every host.
      if (next >= capacity) {
        tokens.delete(key);
      } else {
        tokens.set(key, next);
      }
    },
    available,
    cost: (kind) => costs[kind],
  };
};
