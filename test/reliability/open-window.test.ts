/**
 * @module Hundreds of concurrent calls of one key over real loopback sockets, two thirds of them
 * aborted at random moments while they wait: in the window of a key never throttled, and in the
 * queue of a paced key whose circuit is half-open. Nothing is sent after its caller aborted, every
 * call that was not aborted ends as it should, the limiter is left empty, and the key is never left
 * refused (an aborted probe gives its place back). And a vendor whose 429s are noise: the key the
 * first one engaged opens again.
 */
import ky from 'ky';
import {describe, expect, test} from 'vitest';
import {CircuitOpenError, limiterOf, upyun, withVendor} from '../../src/index.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';
import {until} from '../helpers/until.ts';

failOnUnhandledRejections();

const loopback = useLoopback();
const CALLS = 300;
/** The limiter key of the test bucket: UPYUN's rate unit is the bucket on its host. */
const bucketKey = (): string => `upyun:${new URL(loopback.url).host}/bucket`;

/** A seeded generator (mulberry32): the same abort moments every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** A fetch that notes when each file's request left, to compare with when its caller aborted. */
const recordingFetch = () => {
  const sentAt = new Map<string, number[]>();
  const fetchFn: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const file = url.split('/').pop() ?? url;
    sentAt.set(file, [...(sentAt.get(file) ?? []), performance.now()]);
    return fetch(input, init);
  };
  return {fetchFn, sentAt};
};

/** Fires the calls, aborting two in three at a random moment within `spreadMs`. */
const fire = async (
  call: (file: string, signal: AbortSignal) => Promise<unknown>,
  spreadMs: number,
  seed = 5,
) => {
  const next = random(seed);
  const abortedAt = new Map<string, number>();
  const timers: ReturnType<typeof setTimeout>[] = [];
  const outcomes = await Promise.allSettled(
    Array.from({length: CALLS}, (_, index) => {
      const file = `file-${index}.txt`;
      const controller = new AbortController();
      if (next() < 2 / 3) {
        timers.push(
          setTimeout(() => {
            abortedAt.set(file, performance.now());
            controller.abort(new Error('caller gave up'));
          }, next() * spreadMs),
        );
      }
      return call(file, controller.signal);
    }),
  );
  for (const timer of timers) clearTimeout(timer);
  return {outcomes, abortedAt};
};

describe('hundreds of calls of one key over real sockets', () => {
  test('in the window of a key never throttled: nothing sent after its abort, the rest stored once', {
    timeout: 60_000,
  }, async () => {
    const written = new Map<string, number>();
    loopback.handle((request, response) => {
      const file = request.url?.split('/').pop() ?? '';
      // Answers take a while, so most calls wait for the key's window.
      setTimeout(() => {
        written.set(file, (written.get(file) ?? 0) + 1);
        response.writeHead(200, {'content-type': 'text/plain'});
        response.end();
      }, 5);
      request.resume();
    });
    const {fetchFn, sentAt} = recordingFetch();
    const api = ky.create({prefix: loopback.url, timeout: false, ...withVendor(upyun, {fetch: fetchFn})});
    const {outcomes, abortedAt} = await fire(
      (file, signal) => api.put(`bucket/${file}`, {body: 'x', signal}),
      200,
    );

    for (const [file, at] of abortedAt) {
      for (const sent of sentAt.get(file) ?? []) expect(sent, file).toBeLessThanOrEqual(at);
    }
    outcomes.forEach((outcome, index) => {
      const file = `file-${index}.txt`;
      if (!abortedAt.has(file) || (abortedAt.get(file) ?? 0) > (sentAt.get(file)?.at(-1) ?? Infinity)) {
        // Not aborted, or aborted after it was sent: it may still have been stored, never twice.
        expect(written.get(file) ?? 0).toBeLessThanOrEqual(1);
      }
      if (!abortedAt.has(file)) {
        expect(outcome.status, file).toBe('fulfilled');
        expect(written.get(file), file).toBe(1);
      }
    });
    // Some calls really waited for the window and were aborted there, unsent.
    const unsent = [...abortedAt.keys()].filter((file) => !sentAt.has(file));
    expect(unsent.length).toBeGreaterThan(0);
    const snapshot = await limiterOf(api)?.inspect(bucketKey());
    expect(snapshot).toMatchObject({engaged: false, inFlight: 0, queued: 0});
  });

  test('a vendor that throttles one request in twenty: every call ends ok, and the key ends open, unpaced', {
    timeout: 60_000,
  }, async () => {
    let hits = 0;
    let throttled = 0;
    loopback.handle((request, response) => {
      request.resume();
      if (++hits % 20 === 0) {
        throttled++;
        response.writeHead(429, {'content-type': 'application/json'});
        response.end(JSON.stringify({msg: 'too many requests', code: 42900001, id: 'x'}));
        return;
      }
      response.writeHead(200, {'content-type': 'text/plain'});
      response.end();
    });
    const api = ky.create({prefix: loopback.url, timeout: false, ...withVendor(upyun)});
    let next = 0;
    const failures: unknown[] = [];
    await Promise.all(
      Array.from({length: 40}, async () => {
        while (next < 600) {
          const index = next++;
          await api
            .put(`bucket/noise-${index}.txt`, {body: 'x'})
            .catch((error: unknown) => failures.push(error));
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(throttled).toBeGreaterThan(20);
    // Engaged by the first 429, opened again once the next answers showed noise, and the 429s
    // since (one in twenty) did not engage it again.
    expect(await limiterOf(api)?.inspect(bucketKey())).toMatchObject({
      engaged: false,
      inFlight: 0,
      queued: 0,
    });
  });

  test('in the queue of a paced key whose circuit is half-open: an aborted probe gives its place back', {
    timeout: 60_000,
  }, async () => {
    let failing = true;
    loopback.handle((request, response) => {
      request.resume();
      response.writeHead(failing ? 503 : 200, {'content-type': 'text/plain'});
      response.end();
    });
    const {fetchFn, sentAt} = recordingFetch();
    const api = ky.create({
      prefix: loopback.url,
      timeout: false,
      ...withVendor(upyun, {
        fetch: fetchFn,
        retryLimit: 0,
        circuitBreaker: {failureThreshold: 3, openMs: 30},
        // Paced from the first request at 1/s: the probe waits about a second for the next token.
        limiter: {openUntilThrottled: false, initialRatePerSecond: 1},
      }),
    });
    for (let index = 0; index < 3; index++) {
      await expect(api.put(`bucket/fail-${index}.txt`, {body: 'x'})).rejects.toThrow();
    }
    await expect(api.put('bucket/refused.txt', {body: 'x'})).rejects.toBeInstanceOf(CircuitOpenError);
    failing = false;
    await new Promise((resolve) => setTimeout(resolve, 40));
    // The half-open circuit's probe waits in the limiter's queue (the last failure took the token)
    // and its caller gives up there: unsent, it must give the probe back.
    const probe = api.put('bucket/probe.txt', {body: 'x', signal: AbortSignal.timeout(100)});
    await expect(probe).rejects.toSatisfy(
      (error) => error instanceof DOMException && error.name === 'TimeoutError',
    );
    expect(sentAt.has('probe.txt')).toBe(false);

    // Every caller retries a refusal at its retryAt until it gets through or is aborted.
    const call = async (file: string, signal: AbortSignal): Promise<unknown> => {
      for (let attempt = 0; attempt < 200; attempt++) {
        try {
          return await api.put(`bucket/${file}`, {body: 'x', signal});
        } catch (error) {
          if (!(error instanceof CircuitOpenError)) throw error;
          // A refusal's retryAt is near: the probe's answer decides soon.
          const waitMs = (error.retryAt?.getTime() ?? 0) - Date.now();
          expect(waitMs).toBeLessThanOrEqual(30_000);
          await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(waitMs, 50))));
          signal.throwIfAborted();
        }
      }
      throw new Error(`${file}: still refused after 200 tries`);
    };
    const {outcomes, abortedAt} = await fire(call, 2000, 11);

    for (const [file, at] of abortedAt) {
      for (const sent of sentAt.get(file) ?? []) expect(sent, file).toBeLessThanOrEqual(at);
    }
    outcomes.forEach((outcome, index) => {
      const file = `file-${index}.txt`;
      if (!abortedAt.has(file)) expect(outcome.status, file).toBe('fulfilled');
    });
    // The key is not left refused: a new call goes through (within the limiter's pace).
    await until(async () => {
      try {
        await api.put('bucket/after.txt', {body: 'x'});
        return true;
      } catch {
        return false;
      }
    }, 5000);
    const snapshot = await limiterOf(api)?.inspect(bucketKey());
    expect(snapshot).toMatchObject({inFlight: 0, queued: 0});
  });
});
