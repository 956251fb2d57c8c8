import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createLimiter, type Release} from '../../src/policy/limiter/create-limiter.ts';
import {normalizeLimiterOptions} from '../../src/policy/limiter/limiter-options.ts';
import type {LimiterState} from '../../src/policy/limiter/limiter-state.ts';
import {resolveLimiter} from '../../src/policy/limiter/resolve-limiter.ts';
import {createMemoryStore} from '../../src/policy/store/memory-store.ts';
import type {Store} from '../../src/policy/store/store.ts';

beforeEach(() => {
  vi.useFakeTimers({now: 1_000_000});
});
afterEach(() => {
  vi.useRealTimers();
});

/** Acquires `count` permits of one key and records when each was granted (ms from the start). */
const acquireAll = (limiter: ReturnType<typeof createLimiter>, count: number, key = 'k') => {
  const start = Date.now();
  const grantedAt: number[] = [];
  const releases: Release[] = [];
  const done = Promise.all(
    Array.from({length: count}, async () => {
      const release = await limiter.acquire(key);
      grantedAt.push(Date.now() - start);
      releases.push(release);
    }),
  );
  return {grantedAt, releases, done};
};

const rateOf = async (limiter: ReturnType<typeof createLimiter>, key = 'k'): Promise<number | undefined> =>
  (await limiter.state(key))?.ratePerSecond;

// A key the limiter paces from its first request (`openUntilThrottled: false`): an open key's
// requests are not paced until its first throttle (see limiter-open.test.ts).
describe('createLimiter', () => {
  test('paces a queue at the initial rate, one request every 100 ms at 10/s', async () => {
    const limiter = createLimiter({initialRatePerSecond: 10, openUntilThrottled: false});
    const {grantedAt, done} = acquireAll(limiter, 5);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(grantedAt).toEqual([0, 100, 200, 300, 400]);
  });

  test('halves the rate on the first throttle and grows it again on success', async () => {
    const limiter = createLimiter({initialRatePerSecond: 100, openUntilThrottled: false});
    const release = await limiter.acquire('k');
    release();
    await limiter.onThrottle('k', {sentAt: Date.now()});
    expect(await rateOf(limiter)).toBe(50);

    // Requests queue, so the rate is the bottleneck; each is accepted as soon as it is sent.
    const requests = Array.from({length: 20}, async () => {
      const granted = await limiter.acquire('k');
      const sentAt = Date.now();
      granted();
      await limiter.onSuccess('k', {sentAt});
    });
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(requests);
    expect(await rateOf(limiter)).toBeGreaterThan(50);
    // Below the rate it was cut from, each success adds at most 9x growthPerSecond (1.8/s).
    expect(await rateOf(limiter)).toBeLessThanOrEqual(50 + 20 * 1.8 + 1e-9);
  });

  test('holds on a sporadic throttle, and settles just under the accept rate once throttles recur', async () => {
    const limiter = createLimiter({initialRatePerSecond: 100});
    await limiter.onThrottle('k');
    expect(await rateOf(limiter)).toBe(50);
    // The vendor accepted 30 requests in the 1 s after the cut.
    for (let index = 0; index < 30; index++) {
      vi.advanceTimersByTime(1000 / 30);
      await limiter.onSuccess('k');
    }
    await limiter.onThrottle('k');
    expect(await rateOf(limiter)).toBe(50);
    await limiter.onThrottle('k');
    await limiter.onThrottle('k');
    expect(await rateOf(limiter)).toBe(50);
    await limiter.onThrottle('k');
    await limiter.onThrottle('k');
    expect(await rateOf(limiter)).toBeCloseTo(27, 0);
  });

  test('never has more permits out than maxConcurrency, and hands a released slot on', async () => {
    const limiter = createLimiter({initialRatePerSecond: 1000, maxConcurrency: 2});
    const {grantedAt, releases, done} = acquireAll(limiter, 3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(grantedAt).toHaveLength(2);
    releases[0]?.();
    releases[0]?.();
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(grantedAt).toHaveLength(3);
  });

  test('rejects a queued acquire at once with the reason when its signal aborts, and the queue goes on', async () => {
    const limiter = createLimiter({initialRatePerSecond: 1, openUntilThrottled: false});
    await limiter.acquire('k');
    const controller = new AbortController();
    const queued = limiter.acquire('k', {signal: controller.signal});
    const behind = acquireAll(limiter, 1);
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    await vi.advanceTimersByTimeAsync(1000);
    await behind.done;
    expect(behind.grantedAt).toEqual([1000]);
  });

  test('leaves no timer behind when the last queued acquire is aborted', async () => {
    const limiter = createLimiter({initialRatePerSecond: 1, openUntilThrottled: false});
    await limiter.acquire('k');
    const controller = new AbortController();
    const queued = limiter.acquire('k', {signal: controller.signal});
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('stop'));
    await expect(queued).rejects.toThrow('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('removes its abort listener once the permit is granted', async () => {
    const limiter = createLimiter({initialRatePerSecond: 1});
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    await limiter.acquire('k', {signal: controller.signal});
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  test('rejects at once when the signal is already aborted', async () => {
    const limiter = createLimiter();
    const reason = new Error('too late');
    await expect(limiter.acquire('k', {signal: AbortSignal.abort(reason)})).rejects.toBe(reason);
    expect(await limiter.state('k')).toBeUndefined();
  });

  test('holds every request of the key for a wait the server stated', async () => {
    const limiter = createLimiter({initialRatePerSecond: 1000});
    await limiter.onThrottle('k', {delayMs: 3000});
    const {grantedAt, done} = acquireAll(limiter, 1);
    await vi.advanceTimersByTimeAsync(2999);
    expect(grantedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(grantedAt[0]).toBeGreaterThanOrEqual(3000);
    expect(grantedAt[0]).toBeLessThanOrEqual(3005);
  });

  test('reschedules waiting requests when a throttle pauses the key', async () => {
    const limiter = createLimiter({initialRatePerSecond: 10, openUntilThrottled: false});
    await limiter.acquire('k');
    const {grantedAt, done} = acquireAll(limiter, 1);
    await vi.advanceTimersByTimeAsync(50);
    await limiter.onThrottle('k', {delayMs: 500});
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    // The pause from t=50 ends at t=550; the first token after it takes 1/5 s at the halved rate.
    expect(grantedAt[0]).toBeGreaterThanOrEqual(750);
  });

  test('keeps keys apart', async () => {
    const limiter = createLimiter({initialRatePerSecond: 1});
    await limiter.acquire('a');
    const other = acquireAll(limiter, 1, 'b');
    await vi.advanceTimersByTimeAsync(0);
    await other.done;
    expect(other.grantedAt).toEqual([0]);
  });

  test('keeps its state in the store it was given', async () => {
    const states = new Map<string, unknown>();
    const store: Store = {
      update: async (key, change) => {
        const [next, result] = change(states.get(key) as never, Date.now());
        states.set(key, next);
        return result;
      },
    };
    const first = createLimiter({store, initialRatePerSecond: 80});
    await first.onThrottle('k');
    const second = createLimiter({store, initialRatePerSecond: 80});
    expect((await second.state('k'))?.ratePerSecond).toBe(40);
  });

  test('sends unpaced rather than stalling when the store fails', async () => {
    const store: Store = {
      update: () => {
        throw new Error('store down');
      },
    };
    const limiter = createLimiter({store, initialRatePerSecond: 1, maxConcurrency: 5});
    const {grantedAt, done} = acquireAll(limiter, 3);
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(grantedAt).toEqual([0, 0, 0]);
    await expect(limiter.onThrottle('k')).rejects.toThrow('store down');
  });
});

describe('createMemoryStore', () => {
  test('drops the least recently written key beyond maxKeys', async () => {
    const store = createMemoryStore({maxKeys: 2});
    const state = {} as LimiterState;
    const set = (key: string) => store.update(key, () => [state, undefined]);
    const get = (key: string) => store.update(key, (current) => [current, current]);
    await set('a');
    await set('b');
    await set('a');
    await set('c');
    expect([await get('a'), await get('b'), await get('c')]).toEqual([state, undefined, state]);
  });

  test('updates are atomic and expire after their ttl', async () => {
    const store = createMemoryStore();
    const add = () => store.update<number, number>('n', (count = 0) => [count + 1, count + 1], {ttlMs: 50});
    expect(await Promise.all([add(), add(), add()])).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(80);
    expect(await add()).toBe(1);
  });

  test('rejects a maxKeys that is not a positive integer', () => {
    expect(() => createMemoryStore({maxKeys: 0})).toThrow(TypeError);
  });
});

describe('limiter options', () => {
  test.each([
    [{initialRatePerSecond: 0}, '`initialRatePerSecond` must be a positive number, got 0'],
    [{minRatePerSecond: -1}, '`minRatePerSecond` must be a positive number, got -1'],
    [{maxRatePerSecond: Number.NaN}, '`maxRatePerSecond` must be a positive number, got NaN'],
    [{maxConcurrency: 1.5}, '`maxConcurrency` must be a positive integer, got 1.5'],
    [{decreaseFactor: 1}, '`decreaseFactor` must be between 0 and 1, got 1'],
    [
      {growthPerSecond: Number.POSITIVE_INFINITY},
      '`growthPerSecond` must be a positive number, got Infinity',
    ],
  ])('rejects %o', (options, message) => {
    expect(() => createLimiter(options)).toThrow(new TypeError(message));
  });

  test('keeps the initial rate within the minimum and maximum', () => {
    expect(
      normalizeLimiterOptions({initialRatePerSecond: 500, maxRatePerSecond: 100}).initialRatePerSecond,
    ).toBe(100);
    expect(normalizeLimiterOptions({initialRatePerSecond: 0.01}).initialRatePerSecond).toBe(0.1);
  });

  test.each([
    [undefined, true],
    [false, false],
    [true, true],
    [{initialRatePerSecond: 5}, true],
  ])('resolveLimiter(%o) gives a limiter: %s', (input, expected) => {
    expect(resolveLimiter(input) !== undefined).toBe(expected);
  });

  test('resolveLimiter passes a limiter through, so instances can share it', () => {
    const limiter = createLimiter();
    expect(resolveLimiter(limiter)).toBe(limiter);
  });
});
