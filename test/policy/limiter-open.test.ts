/**
 * The open phase of a key: no pacing before its first throttle, but a window of requests in flight
 * that doubles every round trip (TCP's initial window), and an engaged key whose throttles turn out
 * to be noise opening again.
 */
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createLimiter, type Limiter, type Release} from '../../src/policy/limiter/create-limiter.ts';

beforeEach(() => {
  vi.useFakeTimers({now: 1_000_000});
});
afterEach(() => {
  vi.useRealTimers();
});

/** Asks for a place the way a vendor call does: `enter()`, else wait with `acquire()`. */
const place = (limiter: Limiter, key: string, signal?: AbortSignal): Release | Promise<Release> =>
  limiter.enter(key) ?? limiter.acquire(key, {signal});

describe('a new key', () => {
  test('lets 10 requests out at once, then one more per answer plus the answer’s own place', async () => {
    const limiter = createLimiter();
    const first = Array.from({length: 10}, () => limiter.enter('k'));
    expect(first.every((release) => typeof release === 'function')).toBe(true);
    expect(limiter.enter('k')).toBeUndefined();
    const waiting = Array.from({length: 4}, () => limiter.acquire('k'));
    let granted = 0;
    for (const wait of waiting) void wait.then(() => granted++);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(0);
    // One answer: its place and one more (the window is 11 now).
    (first[0] as Release)();
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(2);
    (first[1] as Release)();
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(4);
    // Nothing paced: no timer was needed.
    expect(vi.getTimerCount()).toBe(0);
    expect((await limiter.inspect('k')).engaged).toBe(false);
  });

  test('is warm after 256 answers: requests go out with nothing counted', async () => {
    const limiter = createLimiter();
    for (let index = 0; index < 300; index++) {
      const release = await place(limiter, 'k');
      release();
    }
    const many = Array.from({length: 1000}, () => limiter.enter('k'));
    expect(many.every((release) => typeof release === 'function')).toBe(true);
    expect((await limiter.inspect('k')).inFlight).toBe(0);
  });

  test('holds maxConcurrency before its first throttle too', async () => {
    const limiter = createLimiter({maxConcurrency: 3});
    for (let index = 0; index < 300; index++) {
      const release = await place(limiter, 'k');
      release();
    }
    const out = [limiter.enter('k'), limiter.enter('k'), limiter.enter('k')];
    expect(out.every((release) => typeof release === 'function')).toBe(true);
    expect(limiter.enter('k')).toBeUndefined();
  });

  test('a request waiting for the window leaves at once when its signal aborts, and leaves nothing behind', async () => {
    const limiter = createLimiter();
    const out = Array.from({length: 10}, () => limiter.enter('k') as Release);
    const controller = new AbortController();
    const waiting = limiter.acquire('k', {signal: controller.signal});
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    for (const release of out) release();
    expect(vi.getTimerCount()).toBe(0);
    expect((await limiter.inspect('k')).inFlight).toBe(0);
    expect((await limiter.inspect('k')).queued).toBe(0);
  });

  test('requests waiting for the window when the key engages wait for its pace instead', async () => {
    const limiter = createLimiter();
    const out = Array.from({length: 10}, () => limiter.enter('k') as Release);
    const waiting = Array.from({length: 5}, () => limiter.acquire('k'));
    const grantedAt: number[] = [];
    const start = Date.now();
    for (const wait of waiting) void wait.then(() => grantedAt.push(Date.now() - start));
    // A throttle: the key engages at the rate it saw; the other nine are still in flight, owed.
    out[0]?.();
    await limiter.onThrottle('k', {sentAt: Date.now()});
    expect((await limiter.inspect('k')).engaged).toBe(true);
    for (const release of out.slice(1)) release();
    await vi.advanceTimersByTimeAsync(5000);
    expect(grantedAt).toHaveLength(5);
    // Paced: not all at once.
    expect(grantedAt.at(-1)).toBeGreaterThan(grantedAt[0] ?? 0);
  });

  test('a key whose very first answer is a throttle engages at the initial rate, not half of it', async () => {
    const limiter = createLimiter({initialRatePerSecond: 10});
    const release = limiter.enter('k') as Release;
    const sentAt = Date.now();
    release();
    await limiter.onThrottle('k', {sentAt});
    expect(limiter.engaged('k')).toBe(true);
    expect(await limiter.state('k')).toMatchObject({ratePerSecond: 10, slowStart: true});
  });

  test('with openUntilThrottled: false a key is paced from its first request', async () => {
    const limiter = createLimiter({initialRatePerSecond: 10, openUntilThrottled: false});
    expect(limiter.enter('k')).toBeUndefined();
    const grantedAt: number[] = [];
    const start = Date.now();
    const all = Array.from({length: 3}, async () => {
      await limiter.acquire('k');
      grantedAt.push(Date.now() - start);
    });
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(grantedAt).toEqual([0, 100, 200]);
  });
});

describe('noise, not a limit', () => {
  /** Sends `count` requests through the key at 1 ms intervals, throttling those `throttled` picks. */
  const traffic = async (limiter: Limiter, count: number, throttled: (index: number) => boolean) => {
    for (let index = 0; index < count; index++) {
      const asked = place(limiter, 'k');
      let release: Release | undefined = typeof asked === 'function' ? asked : undefined;
      if (release === undefined) {
        void (asked as Promise<Release>).then((granted) => {
          release = granted;
        });
        // A paced key: let its timer run, a millisecond at a time (bounded).
        for (let waited = 0; release === undefined && waited < 10_000; waited++) {
          await vi.advanceTimersByTimeAsync(1);
        }
      }
      if (release === undefined) throw new Error('never granted');
      const sentAt = Date.now();
      await vi.advanceTimersByTimeAsync(1);
      release();
      // As a vendor call reports: every throttle, and successes once the key is engaged.
      if (throttled(index)) await limiter.onThrottle('k', {sentAt});
      else if (limiter.engaged('k')) await limiter.onSuccess('k', {sentAt});
    }
  };

  test('a key engaged by one throttle opens again after 20 answers with no other, and stays open through sporadic ones', async () => {
    const limiter = createLimiter();
    await traffic(limiter, 50, () => false);
    await traffic(limiter, 1, () => true);
    expect(limiter.engaged('k')).toBe(true);
    await traffic(limiter, 25, () => false);
    expect(limiter.engaged('k')).toBe(false);
    expect(await limiter.state('k')).toBeUndefined();
    // One throttle in twenty-five, for a while: noise, the key stays open and unpaced.
    await traffic(limiter, 200, (index) => index % 25 === 0);
    expect(limiter.engaged('k')).toBe(false);
    // Its throttled requests are still resent without a backoff of their own.
    expect(limiter.paces('k')).toBe(true);
  });

  test('throttles that recur engage it again', async () => {
    const limiter = createLimiter();
    await traffic(limiter, 50, () => false);
    await traffic(limiter, 1, () => true);
    await traffic(limiter, 25, () => false);
    expect(limiter.engaged('k')).toBe(false);
    // A limit: every other request throttled.
    await traffic(limiter, 20, (index) => index % 2 === 0);
    expect(limiter.engaged('k')).toBe(true);
  });

  test('a key whose first throttles were most of a round stays engaged', async () => {
    const limiter = createLimiter();
    await traffic(limiter, 12, () => false);
    await traffic(limiter, 10, (index) => index % 5 !== 0);
    await traffic(limiter, 60, () => false);
    expect(limiter.engaged('k')).toBe(true);
    expect((await limiter.state('k'))?.limitSeen).toBe(true);
  });
});
