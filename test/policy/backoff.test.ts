import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {backoffCeiling, fullJitter} from '../../src/policy/backoff.ts';

const options = {baseDelayMs: 500, maxDelayMs: 30_000};

describe('backoff', () => {
  test('the ceiling doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffCeiling(n, options))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  test('full jitter stays within [0, ceiling) for any attempt and random source', () => {
    fc.assert(
      fc.property(
        fc.integer({min: -5, max: 10_000}),
        fc.double({min: -1, max: 2, noNaN: false}),
        fc.nat(100_000),
        fc.nat(1_000_000),
        (attempt, sample, baseDelayMs, maxDelayMs) => {
          const delay = fullJitter(attempt, {baseDelayMs, maxDelayMs}, () => sample);
          return (
            Number.isInteger(delay) &&
            delay >= 0 &&
            delay <= Math.min(maxDelayMs, Math.max(baseDelayMs, 0) * 2 ** 52)
          );
        },
      ),
      {numRuns: process.env.STRESS ? 10_000 : 1000},
    );
  });

  test('the ceiling never decreases with the attempt', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 2000}),
        fc.nat(10_000),
        fc.nat(1_000_000),
        (attempt, baseDelayMs, maxDelayMs) => {
          const o = {baseDelayMs, maxDelayMs};
          return backoffCeiling(attempt + 1, o) >= backoffCeiling(attempt, o);
        },
      ),
    );
  });
});
