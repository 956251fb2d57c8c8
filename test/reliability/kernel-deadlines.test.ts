/**
 * The decision kernel under forced garbage collection: every wait of a call (the limiter's
 * queue, a backoff, a poll) listens to the caller's signal captured once per call, never to the
 * signal of a retried `Request` clone, which stops following its parent's abort once the parent is
 * collected (nodejs/undici#4068). Real sockets (loopback), a `gc()` every 100 ms.
 */
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import ky, {TimeoutError} from 'ky';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createLimiter, RateLimitError, upyun, withVendor} from '../../src/index.ts';
import {
  createBrightdataSimulator,
  createUpyunSimulator,
  startBrightdataServer,
  startUpyunServer,
} from '../../src/testing/index.ts';
import {brightdata, waitForSnapshot} from '../../src/vendors/brightdata/index.ts';
import {uploadMany} from '../../src/vendors/upyun/index.ts';
import {useLoopback} from '../helpers/loopback.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const loopback = useLoopback();

/** Timers alive in this process (vitest's own included: compare before and after). */
const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

let collector: ReturnType<typeof setInterval> | undefined;
beforeEach(() => {
  collector = setInterval(gc, 100);
});
afterEach(() => {
  clearInterval(collector);
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until `check` holds. */
const until = async (check: () => boolean, limitMs = 5000): Promise<void> => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error('condition not reached');
    await sleep(10);
  }
};

/** How long after `abort()` the promise settled, and how. */
const settleAfter = async (promise: Promise<unknown>, abort: () => void) => {
  const outcome = promise.then(
    (value) => ({value, error: undefined as unknown}),
    (error: unknown) => ({value: undefined, error}),
  );
  const at = performance.now();
  abort();
  const result = await outcome;
  return {...result, afterMs: performance.now() - at};
};

/** The first answer is a transient UPYUN 503 (the PUT is resent), later ones succeed. */
const failOnce = () =>
  loopback.handle((_request, response, hit) => {
    response.writeHead(hit === 1 ? 503 : 200, {'content-type': 'application/json'});
    response.end(hit === 1 ? JSON.stringify({msg: 'unknown error', code: 50300000, id: 'r1'}) : '{}');
  });

/** A key that admits one request now, the next after 5 s: a retry waits in the limiter's queue. */
const slowKey = () =>
  createLimiter({initialRatePerSecond: 0.2, maxRatePerSecond: 0.2, openUntilThrottled: false});

const instance = (limiter = slowKey()) =>
  ky.create({
    prefix: loopback.url,
    ...withVendor(upyun, {limiter, baseDelayMs: 1, maxDelayMs: 1, retryBudget: false}),
  });

describe('nothing is sent after the caller aborted or a deadline passed', () => {
  test('a retry queued in the limiter, then abort: rejects at once, sends nothing more, leaves no timer', async () => {
    failOnce();
    const before = timers();
    const controller = new AbortController();
    const call = instance().put('bucket/a.txt', {body: 'x', signal: controller.signal, timeout: false});
    await until(() => loopback.requests.length === 1);
    await sleep(300);
    const {error, afterMs} = await settleAfter(call, () => controller.abort(new Error('caller stopped')));
    expect((error as Error).message).toBe('caller stopped');
    // The queue would have held it for seconds; the abort ends it on the spot (typically < 5 ms).
    expect(afterMs).toBeLessThan(1000);
    await sleep(400);
    expect(loopback.requests).toHaveLength(1);
    clearInterval(collector);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  test("a retry whose turn comes after ky's timeout fails at once with retryAt, nothing sent after", async () => {
    failOnce();
    const started = performance.now();
    const call = instance().put('bucket/a.txt', {body: 'x', timeout: 400});
    const error = await call.catch((error_: unknown) => error_);
    // The limiter knows the turn (5 s away) cannot come within the attempt's 400 ms.
    expect(error).toBeInstanceOf(RateLimitError);
    expect(((error as RateLimitError).retryAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(3000);
    expect(performance.now() - started).toBeLessThan(1000);
    await sleep(600);
    expect(loopback.requests).toHaveLength(1);
  });

  test("a retry queued behind others, then ky's timeout: TimeoutError, nothing sent after it", async () => {
    failOnce();
    // Turns every 250 ms: the retry's turn would come, but only after ky's 400 ms timeout.
    const limiter = createLimiter({
      initialRatePerSecond: 4,
      maxRatePerSecond: 4,
      maxConcurrency: 1,
      openUntilThrottled: false,
    });
    const api = instance(limiter);
    const hold = await limiter.acquire(`upyun:${new URL(loopback.url).host}/bucket`);
    const call = api.put('bucket/a.txt', {body: 'x', timeout: 400});
    setTimeout(hold, 1500);
    const error = await call.catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(TimeoutError);
    await sleep(1600);
    expect(loopback.requests).toHaveLength(0);
  });

  test('a backoff wait, then abort: rejects at once and sends nothing more', async () => {
    loopback.handle((_request, response, hit) => {
      response.writeHead(hit === 1 ? 503 : 200, {'content-type': 'application/json', 'retry-after': '5'});
      response.end(hit === 1 ? JSON.stringify({msg: 'unknown error', code: 50300000, id: 'r1'}) : '{}');
    });
    const controller = new AbortController();
    const api = ky.create({prefix: loopback.url, ...withVendor(upyun, {retryBudget: false})});
    const call = api.put('bucket/a.txt', {body: 'x', signal: controller.signal});
    await until(() => loopback.requests.length === 1);
    await sleep(300);
    const {error, afterMs} = await settleAfter(call, () => controller.abort(new Error('caller stopped')));
    expect((error as Error).message).toBe('caller stopped');
    expect(afterMs).toBeLessThan(1000);
    await sleep(300);
    expect(loopback.requests).toHaveLength(1);
  });

  test('uploadMany aborted mid-way: settles at once, no PUT after the abort', async () => {
    const sim = createUpyunSimulator({transientErrorRate: 0, ratePerSecond: 20, burst: 5});
    const server = await startUpyunServer(sim);
    try {
      const sends: number[] = [];
      const fetch = (input: string | URL | Request, init?: RequestInit) => {
        sends.push(performance.now());
        return globalThis.fetch(input, init);
      };
      const api = ky.create({prefix: server.url, ...withVendor(upyun, {limiter: true, fetch})});
      const files = Array.from({length: 300}, (_, index) => ({
        bucket: 'b',
        path: `f${index}.txt`,
        body: 'x',
      }));
      const controller = new AbortController();
      const batch = uploadMany(api, files, {concurrency: 16, signal: controller.signal});
      await until(() => sim.counters.requests >= 20);
      const abortedAt = performance.now();
      const {value, afterMs} = await settleAfter(batch, () => controller.abort(new Error('caller stopped')));
      expect(afterMs).toBeLessThan(1000);
      expect(value).toMatchObject({stoppedBy: expect.objectContaining({message: 'caller stopped'})});
      await sleep(500);
      // Requests already on the wire may still arrive; none may leave after the abort.
      expect(sends.filter((at) => at > abortedAt)).toEqual([]);
      expect(sends.length).toBeGreaterThanOrEqual(20);
    } finally {
      await server.close();
    }
  });

  test('waitForSnapshot aborted during its wait: rejects at once, no progress request after', async () => {
    const sim = createBrightdataSimulator({readyAfterMs: 600_000});
    const server = await startBrightdataServer(sim);
    try {
      const api = ky.create({prefix: server.url, ...withVendor(brightdata)});
      const trigger = await api
        .post('datasets/v3/trigger', {
          searchParams: {dataset_id: 'gd_1'},
          json: [{url: 'https://example.com'}],
        })
        .json<{snapshot_id: string}>();
      const controller = new AbortController();
      const wait = waitForSnapshot(api, trigger.snapshot_id, {signal: controller.signal});
      await until(() => sim.counters.requests.progress === 1);
      await sleep(300);
      const {error, afterMs} = await settleAfter(wait, () => controller.abort(new Error('caller stopped')));
      expect((error as Error).message).toBe('caller stopped');
      expect(afterMs).toBeLessThan(1000);
      await sleep(300);
      expect(sim.counters.requests.progress).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('a ten-year Retry-After with the limiter on', () => {
  test('fails within maxWaitMs with RateLimitError and retryAt; later calls go through', async () => {
    loopback.handle((request, response) => {
      const throttled = request.url?.includes('first') === true;
      response.writeHead(throttled ? 429 : 200, {
        'content-type': 'application/json',
        'retry-after': '315360000',
      });
      response.end(throttled ? JSON.stringify({msg: 'too many requests', code: 42900001, id: 'r'}) : '{}');
    });
    const api = ky.create({prefix: loopback.url, ...withVendor(upyun, {limiter: true, maxWaitMs: 300})});
    const started = Date.now();
    const error = await api.put('bucket/first.txt', {body: 'x'}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(Date.now() - started).toBeLessThan(2000);
    // Waits are held as timers can hold them: at most about 24.8 days, the farthest retryAt.
    const retryAt = (error as RateLimitError).retryAt?.getTime() ?? 0;
    expect(retryAt - started).toBeGreaterThan(24 * 24 * 3600 * 1000);
    // The key's pause is bounded by maxWaitMs: once it has passed, a later call is sent.
    await sleep(400);
    const later = await api.put('bucket/later.txt', {body: 'x'});
    expect(later.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('the process exits on its own: no timer outlives the calls', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(429, {'content-type': 'application/json', 'retry-after': '315360000'});
      response.end(JSON.stringify({msg: 'too many requests', code: 42900001, id: 'r'}));
    });
    const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const script = `
      import ky from 'ky';
      import {upyun, withVendor} from ${JSON.stringify(index)};
      const api = ky.create({prefix: process.env.URL, ...withVendor(upyun, {limiter: true, maxWaitMs: 300})});
      const outcomes = await Promise.all([1, 2, 3].map((n) => api.put('bucket/' + n, {body: 'x'}).then(() => 'ok', (error) => error.name)));
      console.log(JSON.stringify(outcomes));
    `;
    const started = Date.now();
    const {stdout, code} = await new Promise<{stdout: string; code: number | null}>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        {
          env: {...process.env, URL: loopback.url},
          timeout: 20_000,
          cwd: fileURLToPath(new URL('../..', import.meta.url)),
        },
        (_error, out) => resolve({stdout: out, code: child.exitCode}),
      );
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['RateLimitError', 'RateLimitError', 'RateLimitError']);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
