/**
 * The shared retry budget and breaker over a memory store (two instances stand for two
 * processes) and over a store that fails: what they share, what they write, and that a failing
 * store never fails them.
 */
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createSharedCircuitBreaker} from '../../src/policy/shared/create-shared-circuit-breaker.ts';
import {createSharedRetryBudget} from '../../src/policy/shared/create-shared-retry-budget.ts';
import {createMemoryStore} from '../../src/policy/store/memory-store.ts';
import type {Store} from '../../src/policy/store/store.ts';

/** A store that records the label of every update it is asked for. */
const counting = (inner: Store = createMemoryStore()) => {
  const labels: string[] = [];
  const store: Store = {
    update: (key, change, options) => {
      labels.push(options?.label ?? 'update');
      return inner.update(key, change, options);
    },
  };
  return {store, labels};
};

/** A store whose every update fails (Redis away, without a local answer). */
const failing: Store = {update: () => Promise.reject(new Error('store down'))};

afterEach(() => {
  vi.useRealTimers();
});

describe('createSharedRetryBudget', () => {
  test('two instances over one store spend one budget: each grants from its view, the store answers', async () => {
    const store = createMemoryStore();
    const a = createSharedRetryBudget({store, capacity: 20, retryCost: 5});
    const b = createSharedRetryBudget({store, capacity: 20, retryCost: 5});
    expect(a.tryRetry('k')).toBe(true);
    expect(a.tryRetry('k')).toBe(true);
    expect(a.tryRetry('k')).toBe(true);
    await a.flush();
    // b looks first: one retry's worth is left for the fleet.
    expect(await b.sync('k')).toBe(5);
    expect(b.tryRetry('k')).toBe(true);
    expect(b.tryRetry('k')).toBe(false);
    await b.flush();
    expect(b.available('k')).toBe(0);
    // a's view is the store's answer to its own last spend (5 left) until it hears again.
    expect(await a.sync('k')).toBe(0);
    expect(a.tryRetry('k')).toBe(false);
    expect(b.tryRetry('other')).toBe(true);
  });

  test('a view that never heard of a key grants one retry from full; the answer refuses the next', async () => {
    const store = createMemoryStore();
    const a = createSharedRetryBudget({store, capacity: 10, retryCost: 5});
    const b = createSharedRetryBudget({store, capacity: 10, retryCost: 5});
    expect(a.tryRetry('k')).toBe(true);
    expect(a.tryRetry('k')).toBe(true);
    await a.flush();
    expect(b.tryRetry('k')).toBe(true);
    await b.flush();
    expect(b.available('k')).toBe(0);
    expect(b.tryRetry('k')).toBe(false);
  });

  test('successes anywhere refill it, in one write per key and batch', async () => {
    const {store, labels} = counting();
    const a = createSharedRetryBudget({store, capacity: 20, retryCost: 5, networkRetryCost: 10});
    const b = createSharedRetryBudget({store, capacity: 20, retryCost: 5});
    expect(a.tryRetry('k', 'network')).toBe(true);
    expect(a.tryRetry('k', 'network')).toBe(true);
    expect(a.tryRetry('k')).toBe(false);
    await a.flush();
    for (let i = 0; i < 5; i++) b.onSuccess('k');
    expect(labels.filter((label) => label === 'budget:refill')).toHaveLength(0);
    await b.flush();
    expect(labels.filter((label) => label === 'budget:refill')).toHaveLength(1);
    expect(await a.sync('k')).toBe(5);
    expect(a.tryRetry('k')).toBe(true);
    expect(a.available('k')).toBe(0);
  });

  test('a refusing view older than syncMs asks the store again, for the next retry', async () => {
    vi.useFakeTimers({toFake: ['Date'], now: 1_000_000});
    const {store, labels} = counting();
    const a = createSharedRetryBudget({store, capacity: 10, retryCost: 5, syncMs: 1000});
    const b = createSharedRetryBudget({store, capacity: 10, retryCost: 5});
    expect(a.tryRetry('k')).toBe(true);
    expect(a.tryRetry('k')).toBe(true);
    await a.flush();
    b.onSuccess('k', 5);
    await b.flush();
    // Fresh: refuses without asking.
    expect(a.tryRetry('k')).toBe(false);
    expect(labels.filter((label) => label === 'budget:sync')).toHaveLength(0);
    vi.setSystemTime(1_002_000);
    expect(a.tryRetry('k')).toBe(false);
    await a.flush();
    expect(labels.filter((label) => label === 'budget:sync')).toHaveLength(1);
    expect(a.tryRetry('k')).toBe(true);
  });

  test('refills wait for the next write of the key when it comes first, and never pass capacity', async () => {
    const store = createMemoryStore();
    const a = createSharedRetryBudget({store, capacity: 10, retryCost: 5});
    expect(a.tryRetry('k')).toBe(true);
    expect(a.tryRetry('k')).toBe(true);
    await a.flush();
    a.onSuccess('k', 100);
    expect(a.available('k')).toBe(10);
    // The refill goes with the retry's write: one round trip.
    expect(a.tryRetry('k')).toBe(true);
    await a.flush();
    expect(a.available('k')).toBe(5);
    const b = createSharedRetryBudget({store, capacity: 10, retryCost: 5});
    expect(await b.sync('k')).toBe(5);
    expect(b.tryRetry('k')).toBe(true);
    expect(b.tryRetry('k')).toBe(false);
  });

  test('a key full as last seen takes no writes for its successes', async () => {
    const {store, labels} = counting();
    const budget = createSharedRetryBudget({store, capacity: 10, syncMs: 60_000});
    budget.onSuccess('k');
    await budget.flush();
    // The first flush learns the key is full; the successes after it write nothing.
    expect(labels).toEqual(['budget:refill']);
    for (let i = 0; i < 100; i++) budget.onSuccess('k');
    await budget.flush();
    expect(labels).toEqual(['budget:refill']);
  });

  test('a failing store: the budget goes on alone, from its last view, and never rejects', async () => {
    const budget = createSharedRetryBudget({store: failing, capacity: 10, retryCost: 5});
    expect(budget.tryRetry('k')).toBe(true);
    expect(budget.tryRetry('k')).toBe(true);
    expect(budget.tryRetry('k')).toBe(false);
    await budget.flush();
    expect(budget.available('k')).toBe(0);
    budget.onSuccess('k', 5);
    await budget.flush();
    expect(budget.available('k')).toBe(6);
    expect(budget.tryRetry('k')).toBe(true);
    await budget.flush();
    expect(budget.available('k')).toBe(1);
  });

  test('rejects a bad syncMs', () => {
    expect(() => createSharedRetryBudget({store: createMemoryStore(), syncMs: 0})).toThrow(TypeError);
  });
});

describe('createSharedCircuitBreaker', () => {
  test('a circuit opened through one instance refuses through the other, with a future retryAt', async () => {
    vi.useFakeTimers({toFake: ['Date'], now: 1_000_000});
    const store = createMemoryStore();
    const a = createSharedCircuitBreaker({store, failureThreshold: 3, openMs: 30_000});
    const b = createSharedCircuitBreaker({store, failureThreshold: 3, openMs: 30_000});
    expect(await b.permit('k')).toEqual({allowed: true});
    for (let i = 0; i < 3; i++) {
      expect(await a.permit('k')).toEqual({allowed: true});
      await a.record('k', 'transient-failure');
    }
    expect(a.state('k')).toBe('open');
    // b saw the circuit closed a moment ago: it asks again once its view is stale.
    vi.setSystemTime(1_000_000 + 1000);
    expect(await b.sync('k')).toBe('open');
    const refused = await b.permit('k');
    expect(refused).toEqual({allowed: false, retryAt: 1_000_000 + 30_000});
    expect(refused.allowed === false && refused.retryAt > Date.now()).toBe(true);
  });

  test('half-open: one probe for every instance; its success closes the circuit for all', async () => {
    vi.useFakeTimers({toFake: ['Date'], now: 5_000_000});
    const store = createMemoryStore();
    const breakers = Array.from({length: 4}, () =>
      createSharedCircuitBreaker({store, failureThreshold: 1, openMs: 1000}),
    );
    await breakers[0]?.record('k', 'transient-failure');
    vi.setSystemTime(5_000_000 + 1000);
    const permits = await Promise.all(breakers.map((breaker) => breaker.permit('k')));
    expect(permits.filter((permit) => permit.allowed)).toHaveLength(1);
    for (const permit of permits) {
      if (!permit.allowed) expect(permit.retryAt).toBeGreaterThan(Date.now());
    }
    const prober = breakers[permits.findIndex((permit) => permit.allowed)];
    await prober?.record('k', 'success');
    for (const breaker of breakers) {
      expect(await breaker.sync('k')).toBe('closed');
      expect(await breaker.permit('k')).toEqual({allowed: true});
    }
  });

  test('a released probe frees the slot; a crashed prober frees it when its claim runs out', async () => {
    vi.useFakeTimers({toFake: ['Date'], now: 9_000_000});
    const store = createMemoryStore();
    const a = createSharedCircuitBreaker({store, failureThreshold: 1, openMs: 1000, probeTtlMs: 5000});
    const b = createSharedCircuitBreaker({store, failureThreshold: 1, openMs: 1000, probeTtlMs: 5000});
    await a.record('k', 'transient-failure');
    vi.setSystemTime(9_001_000);
    expect((await a.permit('k')).allowed).toBe(true);
    expect((await b.permit('k')).allowed).toBe(false);
    // b holds no probe: its release writes nothing and frees nothing.
    expect(b.release('k')).toBeUndefined();
    expect((await b.permit('k')).allowed).toBe(false);
    await a.release('k');
    expect((await b.permit('k')).allowed).toBe(true);
    // b never answers (it crashed): a gets the slot once b's claim runs out.
    expect((await a.permit('k')).allowed).toBe(false);
    vi.setSystemTime(9_001_000 + 5000);
    expect((await a.permit('k')).allowed).toBe(true);
  });

  test('a failed probe opens the circuit again for openMs', async () => {
    vi.useFakeTimers({toFake: ['Date'], now: 2_000_000});
    const store = createMemoryStore();
    const a = createSharedCircuitBreaker({store, failureThreshold: 2, openMs: 1000});
    await a.record('k', 'transient-failure');
    await a.record('k', 'other');
    await a.record('k', 'transient-failure');
    expect(a.state('k')).toBe('closed');
    await a.record('k', 'transient-failure');
    expect(a.state('k')).toBe('open');
    vi.setSystemTime(2_001_500);
    expect((await a.permit('k')).allowed).toBe(true);
    await a.record('k', 'transient-failure');
    expect(await a.permit('k')).toEqual({allowed: false, retryAt: 2_002_500});
  });

  test('a closed circuit costs no store update per request, and a success writes only after failures', async () => {
    const {store, labels} = counting();
    const breaker = createSharedCircuitBreaker({store, syncMs: 60_000});
    await breaker.permit('k');
    expect(labels).toEqual(['breaker:permit']);
    for (let i = 0; i < 50; i++) {
      expect(breaker.permit('k')).toEqual({allowed: true});
      expect(breaker.record('k', 'success')).toBeUndefined();
    }
    expect(labels).toEqual(['breaker:permit']);
    await breaker.record('k', 'transient-failure');
    await breaker.record('k', 'success');
    expect(breaker.record('k', 'success')).toBeUndefined();
    expect(labels).toEqual(['breaker:permit', 'breaker:record', 'breaker:record']);
  });

  test('a failing store: the breaker decides alone and never rejects', async () => {
    vi.useFakeTimers({toFake: ['Date'], now: 3_000_000});
    const breaker = createSharedCircuitBreaker({store: failing, failureThreshold: 2, openMs: 1000});
    expect(await breaker.permit('k')).toEqual({allowed: true});
    await breaker.record('k', 'transient-failure');
    await breaker.record('k', 'transient-failure');
    expect(await breaker.permit('k')).toEqual({allowed: false, retryAt: 3_001_000});
    vi.setSystemTime(3_001_000);
    expect((await breaker.permit('k')).allowed).toBe(true);
    expect((await breaker.permit('k')).allowed).toBe(false);
    await breaker.record('k', 'success');
    expect(await breaker.permit('k')).toEqual({allowed: true});
  });

  test.each([
    [{failureThreshold: 0}],
    [{failureThreshold: 1.5}],
    [{openMs: 0}],
    [{syncMs: -1}],
    [{probeTtlMs: Number.NaN}],
  ])('rejects %j', (options) => {
    expect(() => createSharedCircuitBreaker({store: createMemoryStore(), ...options})).toThrow(TypeError);
  });
});
