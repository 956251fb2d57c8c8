/**
 * The testing kit's policy assertions: they catch what they name, and pass on a client that
 * follows the rules.
 */
import ky from 'ky';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {withVendor} from '../../src/ky/with-vendor.ts';
import {createBrightdataSimulator} from '../../src/testing/brightdata/index.ts';
import {
  assertNothingSentAfter,
  assertOneJobPerInput,
  assertThrottleBudget,
  PolicyAssertionError,
  recordRequests,
  type SentRequest,
} from '../../src/testing/index.ts';
import {brightdataHandlers} from '../../src/testing/msw.ts';
import {brightdata, collect, triggerCollection} from '../../src/vendors/brightdata/index.ts';
import {server} from '../helpers/server.ts';

const BASE = 'https://api.brightdata.com';
const at = (seconds: number, status = 429): SentRequest => ({
  at: seconds * 1000,
  method: 'POST',
  path: '/t',
  status,
});

describe('assertThrottleBudget', () => {
  test.each([
    [
      '10 429s spread over 5 minutes, max 10',
      Array.from({length: 10}, (_, index) => at(index * 30)),
      10,
      false,
    ],
    ['11 429s within 5 minutes, max 10', Array.from({length: 11}, (_, index) => at(index * 25)), 10, true],
    [
      '11 429s, the first one 5 minutes before the last',
      Array.from({length: 11}, (_, index) => at(index * 30)),
      10,
      false,
    ],
    [
      '3 429s and 50 200s, max 3',
      [...Array.from({length: 50}, (_, index) => at(index, 200)), at(1), at(2), at(3)],
      3,
      false,
    ],
    ['no requests, max 0', [], 0, false],
  ] as const)('%s: throws %s', (_name, log, max, throws) => {
    const check = () => assertThrottleBudget(log, {max});
    if (throws) expect(check).toThrow(PolicyAssertionError);
    else expect(check).not.toThrow();
  });

  test('names the worst window in its error', () => {
    const log = Array.from({length: 4}, (_, index) => at(index));
    expect(() => assertThrottleBudget(log, {max: 2, windowMs: 10_000})).toThrow(
      /4 answers with status 429 within 10000 ms \(at most 2/,
    );
    expect(() => assertThrottleBudget(log, {max: -1})).toThrow(TypeError);
  });
});

test('assertNothingSentAfter lists the requests after the moment', () => {
  const log = [at(1, 200), at(2, 200), at(3, 200)];
  expect(() => assertNothingSentAfter(log, 3_000)).not.toThrow();
  expect(() => assertNothingSentAfter(log, 1_500)).toThrow(/2 requests sent after/);
});

describe('against the BrightData simulator', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const drive = async <T>(promise: Promise<T>): Promise<unknown> => {
    let settled: {error?: unknown} | undefined;
    promise.then(
      () => {
        settled = {};
      },
      (error: unknown) => {
        settled = {error};
      },
    );
    for (let step = 0; settled === undefined && step < 10_000; step++)
      await vi.advanceTimersToNextTimerAsync();
    return settled?.error;
  };

  test('assertOneJobPerInput passes for one collect, and fails when the same input is collected twice', async () => {
    const sim = createBrightdataSimulator({readyAfterMs: 5_000});
    server.use(...brightdataHandlers(sim));
    const api = ky.create({prefix: BASE, ...withVendor(brightdata)});
    const request = {datasetId: 'gd_x', inputs: [{url: 'https://example.com/a', depth: 1}]};
    await drive(collect(api, request, {intervalMs: 1_000}));
    expect(() => assertOneJobPerInput(sim)).not.toThrow();
    await drive(
      triggerCollection(api, {datasetId: 'gd_x', inputs: [{depth: 1, url: 'https://example.com/a'}]}),
    );
    expect(() => assertOneJobPerInput(sim)).toThrow(/inputs collected by more than one job/);
  });

  test('the throttle guard keeps a trigger storm within BrightData’s budget, and nothing is sent after an abort', async () => {
    const sim = createBrightdataSimulator({maxRunningJobs: 0});
    server.use(...brightdataHandlers(sim));
    const api = ky.create({prefix: BASE, ...withVendor(brightdata)});
    const controller = new AbortController();
    const triggers = Array.from({length: 6}, (_, index) =>
      drive(triggerCollection(api, {datasetId: 'gd_x', inputs: [{index}]}, {signal: controller.signal})),
    );
    await vi.advanceTimersByTimeAsync(20_000);
    const abortedAt = Date.now();
    controller.abort(new Error('stop'));
    await Promise.all(triggers);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(sim.counters.throttled).toBeGreaterThan(0);
    assertThrottleBudget(sim.log, {max: 10});
    assertNothingSentAfter(sim.log, abortedAt);
  });
});

test('recordRequests logs each request of a fetch with its status', async () => {
  const {fetch, log} = recordRequests(
    async () => new Response(null, {status: 429}),
    () => 42,
  );
  await fetch('https://example.com/a?b=1', {method: 'PUT'});
  expect(log).toEqual([{at: 42, method: 'PUT', path: '/a?b=1', status: 429}]);
});
