/**
 * The limiter over the Redis store (a real `redis-server`): admissions through the store's GCRA,
 * answers written in batches, a process joining a fleet's pace, and a pause shared by the fleet.
 */
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {createLimiter} from '../../src/policy/limiter/create-limiter.ts';
import {createRedisStore, type RedisStore} from '../../src/redis/index.ts';
import {type RedisServer, redisMissing, startRedisServer} from '../helpers/redis-server.ts';
import {sleep} from '../helpers/until.ts';

const missing = redisMissing();

describe.skipIf(missing !== undefined)('the limiter over createRedisStore', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  let prefixCount = 0;

  /** A store of its own connection (a process of the fleet) under this test's prefix. */
  const processStore = async (): Promise<RedisStore> => {
    const client = new Redis(server.url, {maxRetriesPerRequest: 1});
    client.on('error', () => {});
    clients.push(client);
    for (let i = 0; i < 500 && client.status !== 'ready'; i++) {
      await sleep(20);
    }
    return createRedisStore({client, prefix: `limiter-${prefixCount}`, commandTimeoutMs: 5000});
  };

  beforeAll(async () => {
    server = await startRedisServer();
  }, 30_000);
  afterEach(() => {
    prefixCount++;
  });
  afterAll(async () => {
    for (const client of clients) {
      client.disconnect();
    }
    await server?.stop();
  });

  test('admits through the GCRA at a rate whose interval is fractional (no stalled queue)', async () => {
    const store = await processStore();
    const limiter = createLimiter({store, initialRatePerSecond: 14.5985401459854, openUntilThrottled: false});
    const releases = await Promise.all(
      Array.from({length: 5}, () => limiter.acquire('k', {deadlineAt: Date.now() + 20_000})),
    );
    for (const release of releases) release();
    // The first turn reads the key's rate with an update (a read and a write, and a script load
    // on a fresh server); the other four go through `admit`.
    expect(store.stats().updates).toBe(1);
    expect(store.stats().tripsByLabel['limiter:admit']).toBeLessThanOrEqual(3);
    expect(store.stats().admits).toBe(4);
  });

  test('answers are written in batches, and onSuccess never waits for Redis', async () => {
    const store = await processStore();
    const limiter = createLimiter({store, openUntilThrottled: false});
    (await limiter.acquire('k'))();
    const before = store.stats().roundTrips;
    // Fewer than a batch's worth of answers: written within 100 ms, not one by one.
    for (let i = 0; i < 20; i++) {
      await limiter.onSuccess('k', {sentAt: Date.now()});
    }
    expect(store.stats().roundTrips).toBe(before);
    // `state` writes what was heard first, so it sees every answer.
    expect((await limiter.state('k'))?.accepted).toBe(20);
    expect(store.stats().tripsByLabel['limiter:learn']).toBeLessThanOrEqual(3);
  });

  test("a process joining a fleet's pace at its first throttle adds the rate it was sending at", async () => {
    const a = createLimiter({store: await processStore()});
    const b = createLimiter({store: await processStore()});
    for (let i = 0; i < 20; i++) a.enter('k')?.();
    await a.onThrottle('k');
    const fleetRate = (await a.state('k'))?.ratePerSecond ?? 0;
    for (let i = 0; i < 20; i++) b.enter('k')?.();
    // Sent before the fleet's last cut: it joins without cutting again.
    await b.onThrottle('k', {sentAt: Date.now() - 60_000});
    expect((await b.state('k'))?.ratePerSecond).toBeGreaterThan(fleetRate);
  });

  test("one process's stated pause holds the others' next turn", async () => {
    const a = createLimiter({store: await processStore()});
    const b = createLimiter({store: await processStore(), openUntilThrottled: false});
    (await b.acquire('k'))();
    await a.onThrottle('k', {delayMs: 400});
    const asked = Date.now();
    (await b.acquire('k', {deadlineAt: Date.now() + 20_000}))();
    expect(Date.now() - asked).toBeGreaterThanOrEqual(300);
  });
});
