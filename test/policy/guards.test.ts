import {describe, expect, test, vi} from 'vitest';
import {createCircuitBreaker} from '../../src/policy/circuit-breaker.ts';
import {createRetryBudget} from '../../src/policy/retry-budget.ts';
import {createThrottleGuard} from '../../src/policy/throttle-guard.ts';

describe('retry budget', () => {
  test('a full outage stops retrying after capacity / cost retries', () => {
    const budget = createRetryBudget({capacity: 50, retryCost: 5});
    let retries = 0;
    for (let i = 0; i < 100; i++) if (budget.tryRetry('k')) retries++;
    expect(retries).toBe(10);
    expect(budget.available('k')).toBe(0);
  });

  test('network retries cost more, successes refill, keys are independent', () => {
    const budget = createRetryBudget({capacity: 20, retryCost: 5, networkRetryCost: 10, successRefill: 1});
    expect(budget.tryRetry('a', 'network')).toBe(true);
    expect(budget.tryRetry('a', 'network')).toBe(true);
    expect(budget.tryRetry('a', 'network')).toBe(false);
    expect(budget.available('b')).toBe(20);
    for (let i = 0; i < 5; i++) budget.onSuccess('a');
    expect(budget.available('a')).toBe(5);
    expect(budget.tryRetry('a')).toBe(true);
    budget.onSuccess('a', 5);
    expect(budget.available('a')).toBe(6);
  });
});

describe('circuit breaker', () => {
  test('opens after consecutive transient failures, probes once after openMs, closes on success', () => {
    let now = 0;
    const breaker = createCircuitBreaker({failureThreshold: 3, openMs: 1000, now: () => now});
    for (let i = 0; i < 2; i++) breaker.record('k', 'transient-failure');
    expect(breaker.permit('k').allowed).toBe(true);
    breaker.record('k', 'transient-failure');
    expect(breaker.state('k')).toBe('open');
    expect(breaker.permit('k')).toEqual({allowed: false, retryAt: 1000});
    now = 1000;
    expect(breaker.state('k')).toBe('half-open');
    expect(breaker.permit('k').allowed).toBe(true);
    expect(breaker.permit('k').allowed).toBe(false);
    breaker.record('k', 'success');
    expect(breaker.state('k')).toBe('closed');
  });

  test('a failed probe opens it again; a non-transient answer resets the count', () => {
    let now = 0;
    const breaker = createCircuitBreaker({failureThreshold: 2, openMs: 100, now: () => now});
    breaker.record('k', 'transient-failure');
    breaker.record('k', 'other');
    breaker.record('k', 'transient-failure');
    expect(breaker.state('k')).toBe('closed');
    breaker.record('k', 'transient-failure');
    expect(breaker.state('k')).toBe('open');
    now = 150;
    expect(breaker.permit('k').allowed).toBe(true);
    breaker.record('k', 'transient-failure');
    expect(breaker.permit('k')).toEqual({allowed: false, retryAt: 250});
  });

  test('openMs 0: while the probe is out, a refusal still names a time in the future', () => {
    const now = 5000;
    const breaker = createCircuitBreaker({failureThreshold: 1, openMs: 0, now: () => now});
    breaker.record('k', 'transient-failure');
    expect(breaker.permit('k').allowed).toBe(true);
    expect(breaker.permit('k')).toEqual({allowed: false, retryAt: 5001});
  });
});

describe('throttle guard', () => {
  test('a ceiling: throttles in the window plus requests in flight never exceed maxThrottles', async () => {
    vi.useFakeTimers({now: 0});
    try {
      const guard = createThrottleGuard({maxThrottles: 3, windowMs: 1000});
      const places = await Promise.all([
        guard.admit('k'),
        guard.admit('k'),
        guard.admit('k'),
        guard.admit('k'),
      ]);
      expect(places.map((place) => place.allowed)).toEqual([true, true, true, false]);
      expect(places[3]).toMatchObject({allowed: false, why: 'in-flight'});
      // Each place comes back as a throttle: the window is full, refused until the oldest leaves.
      for (const place of places.slice(0, 3)) {
        if (place.allowed) await guard.settle('k', place.ticket, true);
      }
      vi.setSystemTime(200);
      const refused = await guard.admit('k');
      expect(refused).toEqual({allowed: false, retryAt: 1000, why: 'ceiling'});
      vi.setSystemTime(1000);
      expect(await guard.admit('k')).toMatchObject({allowed: true});
      expect(await guard.admit('other')).toMatchObject({allowed: true});
    } finally {
      vi.useRealTimers();
    }
  });

  test('an answer that is not a throttle frees its place without counting', async () => {
    const guard = createThrottleGuard({maxThrottles: 1, windowMs: 60_000});
    const first = await guard.admit('k');
    expect(await guard.admit('k')).toMatchObject({allowed: false, why: 'in-flight'});
    if (first.allowed) await guard.settle('k', first.ticket, false);
    expect(await guard.admit('k')).toMatchObject({allowed: true});
  });
});
