import {describe, expect, test} from 'vitest';
import {parseApigRateLimit, parseApigRateLimits} from '../../src/core/parse-apig-rate-limit.ts';

describe('parseApigRateLimit', () => {
  test.each([
    ['remain:9,limit:10,time:10 second', {limit: 10, periodMs: 10_000, remaining: 9}],
    ['remain:0,limit:10,time:1 second', {limit: 10, periodMs: 1000, remaining: 0}],
    ['remain:99,limit:100,time:1 minute', {limit: 100, periodMs: 60_000, remaining: 99}],
    ['remain:5,limit:2000,time:1 hour', {limit: 2000, periodMs: 3_600_000, remaining: 5}],
    ['remain:1,limit:1,time:1 day', {limit: 1, periodMs: 86_400_000, remaining: 1}],
    // Read as milliseconds, not as a plural of "m" (minutes).
    ['remain:1,limit:5,time:500 ms', {limit: 5, periodMs: 500, remaining: 1}],
    ['remain:3,limit:5,time:5 seconds', {limit: 5, periodMs: 5000, remaining: 3}],
    [' remain : 3 , limit : 5 , time : 5 second ', {limit: 5, periodMs: 5000, remaining: 3}],
    ['limit:5,time:5 second,remain:3', {limit: 5, periodMs: 5000, remaining: 3}],
    ['REMAIN:3,LIMIT:5,TIME:5 SECOND', {limit: 5, periodMs: 5000, remaining: 3}],
    ['remain:3,limit:5,time:5s', {limit: 5, periodMs: 5000, remaining: 3}],
    ['remain:3,limit:5,time:2 min', {limit: 5, periodMs: 120_000, remaining: 3}],
  ])('%j → %j', (value, expected) => {
    expect(parseApigRateLimit(value)).toEqual(expected);
  });

  test.each([
    [undefined],
    [null],
    [''],
    ['limit:10'],
    ['remain:9,limit:10'],
    ['remain:9,time:10 second'],
    ['remain:9,limit:10,time:10 fortnight'],
    ['remain:9,limit:10,time:second'],
    ['remain:9,limit:0,time:1 second'],
    ['remain:9,limit:10,time:0 second'],
    ['remain:11,limit:10,time:1 second'],
    ['remain:-1,limit:10,time:1 second'],
    ['remain:1.5,limit:10,time:1 second'],
    ['remain:x,limit:10,time:1 second'],
    [`remain:1,limit:10,time:1 second${' '.repeat(500)}`],
    ['myremain:1,limit:10,time:1 second'],
  ])('%j is not pacing data', (value) => {
    expect(parseApigRateLimit(value as string | null | undefined)).toBeUndefined();
  });
});

describe('parseApigRateLimits', () => {
  test('every scope, tightest first; other headers and malformed values are skipped', () => {
    const headers = new Headers({
      'X-Apig-RateLimit-Api': 'remain:9,limit:10,time:1 second',
      'X-Apig-RateLimit-User': 'remain:2,limit:100,time:1 minute',
      'X-Apig-RateLimit-Ip': 'remain:2,limit:5,time:1 minute',
      'X-Apig-RateLimit-App': 'garbage',
      'X-Apig-RateLimit-Api-Allenv': 'remain:50,limit:200,time:1 second',
      'X-Request-Id': 'r1',
    });
    expect(parseApigRateLimits(headers)).toEqual([
      {scope: 'ip', limit: 5, periodMs: 60_000, remaining: 2},
      {scope: 'user', limit: 100, periodMs: 60_000, remaining: 2},
      {scope: 'api', limit: 10, periodMs: 1000, remaining: 9},
      {scope: 'api-allenv', limit: 200, periodMs: 1000, remaining: 50},
    ]);
  });

  test('no headers, no pacing data', () => {
    expect(parseApigRateLimits(new Headers())).toEqual([]);
  });
});
