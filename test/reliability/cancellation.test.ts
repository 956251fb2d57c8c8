/**
 * @module Aborting a call mid-wait: it rejects at once with the abort reason and leaves no timer.
 */
import type {ServerResponse} from 'node:http';
import ky from 'ky';
import {describe, expect, test} from 'vitest';
import type {Vendor} from '../../src/index.ts';
import {
  brightdata,
  huaweiCloud,
  type RetryEvent,
  upyun,
  type VendorOptions,
  withVendor,
} from '../../src/index.ts';
import {waitForSnapshot} from '../../src/vendors/brightdata/wait-for-snapshot.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';
import {settlesBeforeTimer} from '../helpers/settles-before-timer.ts';

const loopback = useLoopback();

failOnUnhandledRejections();

/** Live timers of this process (`setTimeout`/`setInterval` handles). */
const liveTimers = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

/** Resolves on the next `onRetry` event. */
const retryStarted = () => {
  let resolve: (event: RetryEvent) => void = () => {};
  const started = new Promise<RetryEvent>((resolve_) => {
    resolve = resolve_;
  });
  return {started, onRetry: (event: RetryEvent) => resolve(event)};
};

const client = (vendor: Vendor, options: VendorOptions) =>
  ky.create({prefix: loopback.url, ...withVendor(vendor, {random: () => 0.5, ...options})});

/**
 * Starts `call`, aborts once `ready` resolves, and tells whether it settled before a 50 ms timer
 * armed at the abort (event-loop time, so a paused process on a busy machine does not count).
 * Returns the rejection (or a marker when the call resolved instead) and the live timers just
 * before the abort, which proves the wait's own timer is visible to the leak check.
 */
const abortWhen = async (
  ready: Promise<unknown>,
  call: (signal: AbortSignal) => Promise<unknown>,
): Promise<{error: unknown; within50Ms: boolean; reason: Error; timersWhileWaiting: number}> => {
  const controller = new AbortController();
  const reason = new Error('the batch was cancelled');
  const settled = call(controller.signal).then(
    () => ({resolved: true as const}),
    (error: unknown) => ({resolved: false as const, error}),
  );
  await ready;
  const timersWhileWaiting = liveTimers();
  controller.abort(reason);
  const within50Ms = await settlesBeforeTimer(settled, 50);
  const outcome = await settled;
  return {error: outcome.resolved ? 'resolved' : outcome.error, within50Ms, reason, timersWhileWaiting};
};

/**
 * The event that starts a wait comes a few turns before its timer is set (ky sleeps after the
 * hook returns; a body is read after its first bytes cross the socket): lets it start waiting.
 * The waits run for 10 s and more, so a generous margin here changes nothing else.
 */
const sleepingNow = () => new Promise((resolve) => setTimeout(resolve, 100));

/** The wait's timer was live before the abort, and no timer outlives the call. */
const expectTimersGone = (before: number, whileWaiting: number): void => {
  const after = liveTimers();
  expect(whileWaiting).toBeGreaterThan(after);
  expect(after).toBeLessThanOrEqual(before);
};

/** Lets cancelled timers and closed handles leave the active list. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const upyunThrottle = (response: ServerResponse): void => {
  response.writeHead(429, {'content-type': 'application/json', 'retry-after': '30'});
  response.end(JSON.stringify({msg: 'too many requests', code: 42900001, id: 'c-1'}));
};

describe('aborting a call', () => {
  test('during a 30 s Retry-After wait rejects within 50 ms with the abort reason and leaves no timer', async () => {
    loopback.handle((_request, response) => upyunThrottle(response));
    const retry = retryStarted();
    const api = client(upyun, {maxWaitMs: 120_000, onRetry: retry.onRetry});
    const timersBefore = liveTimers();
    const {error, within50Ms, reason, timersWhileWaiting} = await abortWhen(
      retry.started.then(() => sleepingNow()),
      (signal) => api.get('bucket/file.txt', {signal}),
    );
    const event = await retry.started;
    expect(event.delayMs).toBeGreaterThanOrEqual(30_000);
    expect(error).toBe(reason);
    expect(within50Ms).toBe(true);
    expect(loopback.requests).toHaveLength(1);
    await nextTurn();
    expectTimersGone(timersBefore, timersWhileWaiting);
  });

  test('during a long backoff after a connection reset rejects within 50 ms and leaves no timer', async () => {
    loopback.handle((request) => request.socket.destroy());
    const retry = retryStarted();
    const api = client(huaweiCloud, {baseDelayMs: 30_000, maxDelayMs: 60_000, onRetry: retry.onRetry});
    const timersBefore = liveTimers();
    const {error, within50Ms, reason, timersWhileWaiting} = await abortWhen(
      retry.started.then(() => sleepingNow()),
      (signal) => api.get('v1.0/p/tasks', {signal}),
    );
    expect(error).toBe(reason);
    expect(within50Ms).toBe(true);
    expect(loopback.requests).toHaveLength(1);
    await nextTurn();
    expectTimersGone(timersBefore, timersWhileWaiting);
  });

  test('while the error body is still arriving rejects within 50 ms and leaves no timer', async () => {
    let bodyStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      bodyStarted = resolve;
    });
    loopback.handle((_request, response) => {
      response.writeHead(503, {'content-type': 'application/json', 'content-length': '1000'});
      response.write('{"error_code":', () => bodyStarted());
      const timer = setInterval(() => response.write(' '), 40);
      response.once('close', () => clearInterval(timer));
    });
    const api = client(huaweiCloud, {maxWaitMs: 5});
    const timersBefore = liveTimers();
    const {error, within50Ms, reason, timersWhileWaiting} = await abortWhen(
      started.then(() => sleepingNow()),
      (signal) => api.get('v1.0/p/tasks', {signal}),
    );
    expect(error).toBe(reason);
    expect(within50Ms).toBe(true);
    expect(loopback.requests).toHaveLength(1);
    await loopback.dropConnections();
    await nextTurn();
    expectTimersGone(timersBefore, timersWhileWaiting);
  });

  test('of waitForSnapshot during its 10 s poll interval rejects within 50 ms and leaves no timer', async () => {
    let polled: () => void = () => {};
    const firstPoll = new Promise<void>((resolve) => {
      polled = resolve;
    });
    loopback.handle((_request, response) => {
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(JSON.stringify({snapshot_id: 's_1', dataset_id: 'gd_1', status: 'running'}), () =>
        polled(),
      );
    });
    const api = client(brightdata, {maxWaitMs: 5});
    const timersBefore = liveTimers();
    const {error, within50Ms, reason, timersWhileWaiting} = await abortWhen(
      firstPoll.then(() => sleepingNow()),
      (signal) => waitForSnapshot(api, 's_1', {signal, timeoutMs: 60_000}),
    );
    expect(error).toBe(reason);
    expect(within50Ms).toBe(true);
    expect(loopback.requests).toHaveLength(1);
    await nextTurn();
    expectTimersGone(timersBefore, timersWhileWaiting);
  });
});
