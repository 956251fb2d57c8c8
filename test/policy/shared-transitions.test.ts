/**
 * The pure transitions of the shared retry budget and breaker, as tables: what a store's value
 * becomes, and what the caller is told.
 */
import {describe, expect, test} from 'vitest';
import {
  type CircuitRules,
  circuitState,
  isSharedCircuit,
  permitCircuit,
  recordCircuit,
  releaseCircuit,
  type SharedCircuit,
} from '../../src/policy/shared/shared-circuit.ts';
import {spendTokens} from '../../src/policy/shared/spend-tokens.ts';

const rules: CircuitRules = {failureThreshold: 3, openMs: 30_000, probeTtlMs: 10_000};

describe('spendTokens', () => {
  test.each([
    // current, refill, cost, capacity → next, granted, tokens
    [undefined, 0, 5, 20, 15, true, 15],
    [15, 0, 5, 20, 10, true, 10],
    [5, 0, 5, 20, 0, true, 0],
    [4, 0, 5, 20, 4, false, 4],
    [4, 1, 5, 20, 0, true, 0],
    [0, 0, 5, 20, 0, false, 0],
    [3, 20, 5, 20, 15, true, 15],
    [19, 1, 0, 20, undefined, true, 20],
    [19, 5, 0, 20, undefined, true, 20],
    [10, 2, 0, 20, 12, true, 12],
    [undefined, 3, 0, 20, undefined, true, 20],
    [undefined, 0, 25, 20, undefined, false, 20],
  ] as const)(
    '%s + %d refill, cost %d of %d → %s (granted %s, %d left)',
    (current, refill, cost, capacity, next, granted, tokens) => {
      expect(spendTokens(current, {refill, cost, capacity})).toEqual([next, {granted, tokens}]);
    },
  );

  test('returns the very value it was given when nothing changes (a store can skip the write)', () => {
    expect(spendTokens(undefined, {refill: 4, cost: 0, capacity: 20})[0]).toBeUndefined();
    expect(spendTokens(4, {refill: 0, cost: 5, capacity: 20})[0]).toBe(4);
  });
});

describe('permitCircuit', () => {
  const open: SharedCircuit = {failures: 3, openUntil: 1000};
  const probing: SharedCircuit = {failures: 3, openUntil: 1000, prober: 'a', probeUntil: 11_000};
  test.each([
    // circuit, now, id → next circuit, permit
    ['closed (absent)', undefined, 0, 'a', undefined, {allowed: true}],
    ['closed with failures', {failures: 2}, 0, 'a', {failures: 2}, {allowed: true}],
    ['open', open, 500, 'a', open, {allowed: false, retryAt: 1000}],
    ['open, a millisecond left', open, 999, 'a', open, {allowed: false, retryAt: 1000}],
    ['half-open: the probe is claimed', open, 1000, 'a', {...probing, probeUntil: 11_000}, {allowed: true}],
    ['half-open, probe in flight elsewhere', probing, 2000, 'b', probing, {allowed: false, retryAt: 3000}],
    ['half-open, own probe in flight', probing, 2000, 'a', probing, {allowed: false, retryAt: 3000}],
    ['half-open, claim about to run out', probing, 10_500, 'b', probing, {allowed: false, retryAt: 11_000}],
    [
      'half-open, claim ran out (a crashed prober)',
      probing,
      11_000,
      'b',
      {...probing, prober: 'b', probeUntil: 21_000},
      {allowed: true},
    ],
  ] as const)('%s', (_name, circuit, now, id, next, permit) => {
    expect(permitCircuit(circuit, now, id, rules)).toEqual([next, permit]);
  });

  test('a refusal is always in the future, whatever the circuit says', () => {
    const odd: SharedCircuit[] = [
      {failures: 3, openUntil: 1000},
      {failures: 3, openUntil: 1000, prober: 'a', probeUntil: 1001},
      {failures: 3, openUntil: 0, prober: 'a', probeUntil: 1e15},
    ];
    for (const circuit of odd) {
      for (const now of [0, 999, 1000, 1000.5, 5000]) {
        const [, permit] = permitCircuit(circuit, now, 'z', {...rules, openMs: 0.001});
        if (!permit.allowed) expect(permit.retryAt).toBeGreaterThan(now);
      }
    }
  });

  test('returns the very circuit it was given unless it claims the probe', () => {
    const circuit: SharedCircuit = {failures: 1};
    expect(permitCircuit(circuit, 0, 'a', rules)[0]).toBe(circuit);
    expect(permitCircuit(open, 0, 'a', rules)[0]).toBe(open);
  });
});

describe('recordCircuit', () => {
  test.each([
    // circuit, outcome → next (now = 5000)
    [undefined, 'transient-failure', {failures: 1}],
    [{failures: 1}, 'transient-failure', {failures: 2}],
    [{failures: 2}, 'transient-failure', {failures: 3, openUntil: 35_000}],
    [
      {failures: 3, openUntil: 1000, prober: 'a', probeUntil: 11_000},
      'transient-failure',
      {failures: 4, openUntil: 35_000},
    ],
    [{failures: 3, openUntil: 9000}, 'transient-failure', {failures: 4, openUntil: 35_000}],
    [{failures: 2}, 'success', undefined],
    [{failures: 2}, 'other', undefined],
    [{failures: 3, openUntil: 1000, prober: 'a', probeUntil: 11_000}, 'success', undefined],
    [undefined, 'success', undefined],
  ] as const)('%j + %s → %j', (circuit, outcome, next) => {
    expect(recordCircuit(circuit, outcome, 5000, rules)).toEqual(next);
  });
});

describe('releaseCircuit', () => {
  const probing: SharedCircuit = {failures: 3, openUntil: 1000, prober: 'a', probeUntil: 11_000};
  test.each([
    ['its own probe', probing, 'a', {failures: 3, openUntil: 1000}],
    ["another process's probe", probing, 'b', probing],
    ['no probe', {failures: 3, openUntil: 1000}, 'a', {failures: 3, openUntil: 1000}],
    ['closed', undefined, 'a', undefined],
  ] as const)('%s', (_name, circuit, id, next) => {
    expect(releaseCircuit(circuit, id)).toEqual(next);
  });

  test('returns the very circuit when it holds no probe of this id', () => {
    expect(releaseCircuit(probing, 'b')).toBe(probing);
  });
});

describe('circuitState and isSharedCircuit', () => {
  test.each([
    [undefined, 0, 'closed'],
    [{failures: 4}, 0, 'closed'],
    [{failures: 5, openUntil: 100}, 99, 'open'],
    [{failures: 5, openUntil: 100}, 100, 'half-open'],
  ] as const)('%j at %d is %s', (circuit, now, state) => {
    expect(circuitState(circuit, now)).toBe(state);
  });

  test.each([
    [{failures: 0}, true],
    [{failures: 2, openUntil: 5}, true],
    [undefined, false],
    [null, false],
    [7, false],
    ['{"failures":1}', false],
    [{openUntil: 5}, false],
  ])('%j is a circuit: %s', (value, expected) => {
    expect(isSharedCircuit(value)).toBe(expected);
  });
});
