/**
 * `gcraAdmit()`: the GCRA decision the Redis store's Lua script also makes, as a table.
 */
import {describe, expect, test} from 'vitest';
import {type GcraDecision, type GcraInput, gcraAdmit} from '../../src/redis/gcra.ts';

/** Server time in microseconds of a day in 2026: where fractional intervals lost their fraction. */
const NOW = 1_796_204_177_655_700;

const base: GcraInput = {
  nowUs: NOW,
  tatUs: 0,
  intervalUs: 10_000,
  burst: 1,
  want: 1,
  reserveMs: 0,
  pauseUntilUs: 0,
};

describe('gcraAdmit', () => {
  test.each<[string, Partial<GcraInput>, GcraDecision]>([
    ['a fresh key grants one token now', {}, {granted: 1, waitMs: 0, tatUs: NOW + 10_000}],
    // The stall of the fleet example: 14.598… per second is 68_500.00000000001 µs as a float.
    [
      'a due token is granted at a rate whose interval was fractional',
      {intervalUs: 68_500, tatUs: NOW},
      {granted: 1, waitMs: 0, tatUs: NOW + 68_500},
    ],
    [
      'a token not due is refused with the wait until it is',
      {tatUs: NOW + 10_000},
      {granted: 0, waitMs: 10, tatUs: NOW + 10_000},
    ],
    [
      'a wait within reserveMs reserves the token',
      {tatUs: NOW + 10_000, reserveMs: 50},
      {granted: 1, waitMs: 10, tatUs: NOW + 20_000},
    ],
    [
      'a wait beyond reserveMs reserves nothing',
      {tatUs: NOW + 100_000, reserveMs: 50},
      {granted: 0, waitMs: 100, tatUs: NOW + 100_000},
    ],
    [
      'a burst lets tokens go at once, up to what is wanted (a lease)',
      {burst: 5, want: 3},
      {granted: 3, waitMs: 0, tatUs: NOW + 30_000},
    ],
    [
      'a lease takes no more than the burst has left',
      {burst: 5, want: 8, tatUs: NOW + 30_000},
      {granted: 2, waitMs: 0, tatUs: NOW + 50_000},
    ],
    ['a burst below one still lets one token go', {burst: 0.3}, {granted: 1, waitMs: 0, tatUs: NOW + 10_000}],
    [
      'a pause holds a token that is due',
      {pauseUntilUs: NOW + 2_000_000},
      {granted: 0, waitMs: 2000, tatUs: NOW},
    ],
    [
      'a pause that ends within reserveMs reserves the first token after it',
      {pauseUntilUs: NOW + 30_000, reserveMs: 50},
      {granted: 1, waitMs: 30, tatUs: NOW + 40_000},
    ],
    [
      'a pause that ended holds nothing',
      {pauseUntilUs: NOW - 1},
      {granted: 1, waitMs: 0, tatUs: NOW + 10_000},
    ],
    [
      'a theoretical arrival time long past counts from now (no saved-up burst)',
      {tatUs: NOW - 60_000_000, burst: 2, want: 8},
      {granted: 2, waitMs: 0, tatUs: NOW + 20_000},
    ],
  ])('%s', (_name, input, expected) => {
    expect(gcraAdmit({...base, ...input})).toEqual(expected);
  });

  test('reservations queue one interval apart, and never more than the rate in total', () => {
    let tatUs = 0;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const decision = gcraAdmit({...base, tatUs, reserveMs: 1000});
      waits.push(decision.waitMs);
      tatUs = decision.tatUs;
    }
    expect(waits).toEqual([0, 10, 20, 30, 40]);
  });
});
