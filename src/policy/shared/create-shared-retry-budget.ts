/**
 * @module `createSharedRetryBudget()`: a retry budget whose tokens live in a `Store`, so a fleet of
 * processes sharing one Redis spends and refills one budget per key.
 *
 * Why it is built this way: the budget answers at once, from this process's view of the key's
 * tokens, so no request waits for the store (the in-memory budget's contract, which the policy
 * relies on). A granted retry is spent in the view at once and written to the store, atomically;
 * the store's answer (the fleet's tokens after it) replaces the view, so a fleet that ran dry is
 * seen within one round trip, and a process overspends at most the retries it granted while its
 * writes were on their way. A success never waits: what it gives back is added up here and written
 * at most once per `syncMs` per key, and not at all while the key is full as last seen. A view
 * older than `syncMs` that refuses asks the store again, for the next retry. A store that fails is
 * never a request's failure: the budget then spends and refills its own view.
 */
import {DEFAULT_RETRY_BUDGET, type RetryBudgetOptions} from '../retry-budget.ts';
import type {Store} from '../store/store.ts';
import {spendTokens} from './spend-tokens.ts';

/**
 * Options of `createSharedRetryBudget()`: those of `createRetryBudget()`, the store, and how
 * often successes are written.
 *
 * @example
 * ```ts
 * createSharedRetryBudget({store, capacity: 200});
 * ```
 */
export type SharedRetryBudgetOptions = RetryBudgetOptions & {
  /** Where the tokens live: `createRedisStore()` from `ky-vendors/redis` for a fleet. */
  readonly store: Store;
  /**
   * How long the refills of successes are added up before they are written, and how long this
   * process trusts that a key is full (a full key takes no refills, so nothing is written).
   * @default 1000
   * @example
   * ```ts
   * createSharedRetryBudget({store, syncMs: 250});
   * ```
   */
  readonly syncMs?: number;
};

/**
 * Per-key retry tokens in a store. A `RetryBudget`: `tryRetry` answers at once from this process's
 * view and writes the spend to the store (one round trip, on the retry path only); `onSuccess`
 * never waits.
 */
export type SharedRetryBudget = {
  /**
   * Spends the cost of one retry when this process's view of the key affords it (the store hears
   * of it at once); `false` (and nothing spent) when it cannot.
   */
  readonly tryRetry: (key: string, kind?: 'response' | 'network') => boolean;
  /** Adds a success's refill (and what its retries spent) to the next write. */
  readonly onSuccess: (key: string, retriedCost?: number) => void;
  /**
   * The tokens a key had when the store last answered, plus refills not yet written, less the
   * retries granted since and not yet answered.
   */
  readonly available: (key: string) => number;
  /** The cost of one retry of a kind. */
  readonly cost: (kind: 'response' | 'network') => number;
  /**
   * Writes the refills added up so far now, and waits for the spends on their way (a process about
   * to exit, a test).
   */
  readonly flush: () => Promise<void>;
  /**
   * Reads the key's tokens from the store now (with this process's refills) and resolves what it
   * can afford: a process that never spent on a key grants its first retry from a full view.
   * @example
   * ```ts
   * await budget.sync('upyun:v0.api.upyun.com/my-bucket');
   * ```
   */
  readonly sync: (key: string) => Promise<number>;
};

/** What this process knows of a key's tokens. */
type View = {
  /** Tokens when the store last answered (or as spent here while it failed). */
  tokens: number;
  /** When (our clock) the store last answered; `-Infinity`: never. */
  seenAt: number;
  /** Refills of successes not yet written. */
  pending: number;
  /** Tokens of retries granted here whose write the store has not answered yet. */
  spending: number;
};

/** Keys whose view this process keeps; the least recently used is dropped first. */
const MAX_KEYS = 10_000;
/** A key nobody spent from or refilled for this long starts full again (the store forgets it). */
const TTL_MS = 600_000;

/**
 * Creates a retry budget whose tokens live in `store`. `withVendor(vendor, {store})` with
 * `createRedisStore()` builds one itself; pass one explicitly to use another store or `syncMs`.
 *
 * @example
 * ```ts
 * import {createRedisStore} from 'ky-vendors/redis';
 *
 * const store = createRedisStore({client: new Redis(process.env.REDIS_URL)});
 * const retryBudget = createSharedRetryBudget({store, capacity: 200});
 * const api = ky.create({prefix, ...withVendor(upyun, {retryBudget})});
 * ```
 */
export const createSharedRetryBudget = (options: SharedRetryBudgetOptions): SharedRetryBudget => {
  const {store} = options;
  const capacity = options.capacity ?? DEFAULT_RETRY_BUDGET.capacity;
  const costs = {
    response: options.retryCost ?? DEFAULT_RETRY_BUDGET.retryCost,
    network: options.networkRetryCost ?? DEFAULT_RETRY_BUDGET.networkRetryCost,
  };
  const refill = options.successRefill ?? DEFAULT_RETRY_BUDGET.successRefill;
  const syncMs = options.syncMs ?? 1000;
  if (!(Number.isFinite(syncMs) && syncMs > 0)) {
    throw new TypeError(`\`syncMs\` must be a positive number, got ${syncMs}`);
  }
  const views = new Map<string, View>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const viewOf = (key: string): View => {
    let view = views.get(key);
    if (view === undefined) {
      view = {tokens: capacity, seenAt: Number.NEGATIVE_INFINITY, pending: 0, spending: 0};
      views.set(key, view);
      if (views.size > MAX_KEYS) {
        const oldest = views.keys().next();
        if (oldest.done !== true) views.delete(oldest.value);
      }
    }
    return view;
  };

  const afford = (view: View): number => Math.min(capacity, view.tokens + view.pending) - view.spending;
  const writing = new Set<Promise<void>>();

  /**
   * Refills `key` with what its successes gave back and spends `cost` (a retry already granted),
   * in the store; when the store fails, in this process's view.
   */
  const change = (key: string, cost: number, label: string): Promise<void> => {
    const view = viewOf(key);
    const rule = {refill: view.pending, cost, capacity};
    view.pending = 0;
    view.spending += cost;
    const written = store
      .update<unknown, {granted: boolean; tokens: number}>(
        `budget:${key}`,
        (current) => {
          const valid = typeof current === 'number' && Number.isFinite(current) ? current : undefined;
          const [next, result] = spendTokens(valid, rule);
          return [next === valid ? current : next, result];
        },
        {ttlMs: TTL_MS, label},
      )
      .then(
        (answer) => {
          view.seenAt = Date.now();
          // The fleet's tokens after this write. A spend the fleet could not afford was granted
          // here all the same (the retry is on its way): the view now refuses the next ones.
          view.tokens = answer.tokens;
        },
        () => {
          // The spend was granted here already: it comes off this process's view, after the refill.
          view.tokens = Math.max(0, Math.min(capacity, view.tokens + rule.refill) - cost);
        },
      )
      .finally(() => {
        view.spending -= cost;
        writing.delete(written);
      });
    writing.add(written);
    return written;
  };

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    for (const [key, view] of views) {
      if (view.pending > 0) {
        void change(key, 0, 'budget:refill');
      }
    }
    await Promise.all(writing);
  };

  return {
    tryRetry: (key, kind = 'response') => {
      const view = viewOf(key);
      const cost = costs[kind];
      if (afford(view) < cost) {
        // Others' successes may have refilled it since: the next retry will know.
        if (Date.now() - view.seenAt >= syncMs && view.spending === 0) {
          void change(key, 0, 'budget:sync');
        }
        return false;
      }
      void change(key, cost, 'budget:retry');
      return true;
    },
    onSuccess: (key, retriedCost = 0) => {
      const view = viewOf(key);
      if (view.tokens >= capacity && retriedCost === 0 && Date.now() - view.seenAt < syncMs) {
        // Full as the store said a moment ago: a refill would change nothing.
        return;
      }
      view.pending = Math.min(capacity, view.pending + refill + retriedCost);
      if (timer === undefined) {
        timer = setTimeout(() => void flush(), syncMs);
        // Refills not written when the process ends are only lost refills.
        timer.unref?.();
      }
    },
    available: (key) => {
      const view = views.get(key);
      return view === undefined ? capacity : afford(view);
    },
    cost: (kind) => costs[kind],
    flush,
    sync: async (key) => {
      await change(key, 0, 'budget:sync');
      return afford(viewOf(key));
    },
  };
};
