import {describe, expect, test} from 'vitest';
import {parseRateWindow, parseTryAgainIn} from '../../src/core/hints.ts';

describe('hint parsers', () => {
  test.each([
    ['Snapshot is not ready yet, try again in 10s', 10_000],
    ['Snapshot is building, try again in 10s', 10_000],
    ['try again in 2 minutes', 120_000],
    ['Try again in 500ms', 500],
    ['try again in 1.5 seconds', 1500],
    ['try again later', undefined],
    [undefined, undefined],
  ])('parseTryAgainIn(%j) = %j', (message, expected) => {
    expect(parseTryAgainIn(message)).toBe(expected);
  });

  test.each([
    ['The throttling threshold has been reached: policy ip over ratelimit,limit:5,time:5 second', 5000],
    ['policy user over ratelimit,limit:100,time:1 minute', 60_000],
    ['policy api over ratelimit,limit:2000,time:1 minute', 60_000],
    ['limit:10,time:1 second', 1000],
    ['The throttling threshold has been reached', undefined],
  ])('parseRateWindow(%j) = %j', (message, expected) => {
    expect(parseRateWindow(message)).toBe(expected);
  });
});
