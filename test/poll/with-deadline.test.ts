import ky from 'ky';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {withVendor} from '../../src/index.ts';
import {withDeadline} from '../../src/poll/with-deadline.ts';
import {upload, uploadMany, uploadResumable, upyun} from '../../src/vendors/upyun/index.ts';
import {settlesBeforeTimer} from '../helpers/settles-before-timer.ts';

/** The signals of the stalled requests, held as a real fetch holds its request's signal. */
const inFlight = new Set<AbortSignal>();

/**
 * A fetch that never answers until its request is aborted, like a stalled server. Like a real
 * fetch, it rejects at once when the signal is already aborted: on a busy machine a 50 ms
 * deadline can pass before the request is sent, and an abort event that never comes again
 * would hang the test. And like a real fetch it holds the signal until it settles: a signal
 * combined by `AbortSignal.any()` is held only weakly by its sources, so one nothing else holds
 * may be garbage-collected before the deadline aborts it, and the abort never arrives (the test
 * hung whenever a collection fell inside the 50 ms).
 */
const stalled = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (signal === undefined || signal === null) {
      return;
    }
    inFlight.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        inFlight.delete(signal);
        reject(signal.reason);
      },
      {once: true},
    );
  });

const api = () =>
  ky.create({prefix: 'https://v0.api.upyun.com', fetch: stalled, timeout: false, ...withVendor(upyun)});
const file = {bucket: 'b', path: 'a.txt', body: new TextEncoder().encode('hello')};

afterEach(() => {
  vi.useRealTimers();
});

describe('timeoutMs on operations', () => {
  test('withDeadline clears its timer when the operation settles first', async () => {
    vi.useFakeTimers();
    await expect(withDeadline({timeoutMs: 60_000}, async () => 'done')).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  test('withDeadline rejects negative deadlines', async () => {
    await expect(withDeadline({timeoutMs: -1}, async () => 'x')).rejects.toThrow(TypeError);
  });

  test('upload rejects with a TimeoutError when its deadline passes', async () => {
    // Nothing but the 50 ms deadline can end the stalled call. The bound only keeps a hang from
    // lasting: a loaded machine can stall a second between the deadline and the rejection it causes.
    const call = upload(api(), {...file, timeoutMs: 50});
    expect(await settlesBeforeTimer(call, 30_000)).toBe(true);
    const error = await call.catch((error_: unknown) => error_);
    expect(error).toMatchObject({name: 'TimeoutError'});
  });

  test('uploadMany accounts for every file when its deadline passes', async () => {
    const files = [file, {...file, path: 'b.txt'}, {...file, path: 'c.txt'}];
    const result = await uploadMany(api(), files, {concurrency: 1, timeoutMs: 50});
    expect(result.results).toHaveLength(3);
    expect(result.failed).toBe(3);
    expect(result.results.every((entry) => !entry.ok)).toBe(true);
  });

  test('uploadResumable stops at its deadline', async () => {
    const body = new Uint8Array(2 * 1024 * 1024);
    const error = await uploadResumable(api(), {bucket: 'b', path: 'big.bin', body, timeoutMs: 50}).catch(
      (error_: unknown) => error_,
    );
    expect(error).toMatchObject({name: 'TimeoutError'});
  });
});
