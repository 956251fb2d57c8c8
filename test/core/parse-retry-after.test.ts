import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {MAX_TIMER_MS, parseRetryAfter} from '../../src/core/parse-retry-after.ts';

const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');

describe('parseRetryAfter', () => {
  test.each([
    ['10', 10_000],
    ['0', 0],
    [' 3 ', 3000],
    ['1.5', 1500],
    ['Wed, 21 Oct 2026 07:28:10 GMT', 10_000],
    ['Wednesday, 21-Oct-26 07:28:05 GMT', 5000],
    ['Wed, 21 Oct 2026 07:27:00 GMT', 0],
    ['99999999999', MAX_TIMER_MS],
  ])('reads %j as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test.each([
    [''],
    ['soon'],
    ['-5'],
    ['1e3'],
    ['2026-10-21T07:28:10Z1'],
    [null],
    [undefined],
    ['x'.repeat(500)],
  ])('rejects %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  test('any input gives undefined or a whole number of ms within the timer range', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.integer().map(String),
          fc.date().map((d) => d.toUTCString()),
        ),
        (value) => {
          const ms = parseRetryAfter(value, now);
          return ms === undefined || (Number.isInteger(ms) && ms >= 0 && ms <= MAX_TIMER_MS);
        },
      ),
      {numRuns: process.env.STRESS ? 10_000 : 1000},
    );
  });
});
