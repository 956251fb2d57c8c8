/**
 * The retry budget and the breaker shared through a real `redis-server`: each "process" is a
 * `withVendor()` instance (or a breaker) over a Redis store with its own ioredis connection. One
 * budget and one circuit per key for all of them, one half-open probe for the fleet, no request
 * failed by a dead Redis, and sharing again once it is back.
 */
import {Redis} from 'ioredis';
import ky from 'ky';
import {delay, HttpResponse, http} from 'msw';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {CircuitOpenError, type GiveUpEvent, ServerError, withVendor} from '../../src/index.ts';
import {createRedisStore, type RedisStore, redisKeys, type SharedRetryBudget} from '../../src/redis/index.ts';
import {ACME, acme} from '../helpers/acme.ts';
import {type RedisServer, redisMissing, startRedisServer} from '../helpers/redis-server.ts';
import {server as msw} from '../helpers/server.ts';
import {sleep, until} from '../helpers/until.ts';

const missing = redisMissing();

const KEY = 'acme:api.acme.test';

/** Answers every GET of /items with `status` (a vendor envelope for failures), counting them. */
const answering = (count: {n: number}, status: () => number, waitMs = 0) =>
  http.get(`${ACME}/items`, async () => {
    count.n++;
    if (waitMs > 0) await delay(waitMs);
    const code = status();
    return code === 200
      ? HttpResponse.json({ok: true})
      : HttpResponse.json({error: {code: 'flaky'}}, {status: code});
  });

describe.skipIf(missing !== undefined)('the retry budget and breaker over createRedisStore', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  let prefixCount = 0;

  /** A store of its own connection (a process of the fleet) under this test's prefix. */
  const processStore = async (): Promise<{store: RedisStore; client: Redis}> => {
    const client = new Redis(server.url, {maxRetriesPerRequest: 1, retryStrategy: () => 50});
    // Some tests kill the server on purpose: connection errors are expected.
    client.on('error', () => {});
    clients.push(client);
    await until(() => client.status === 'ready');
    const store = createRedisStore({client, prefix: `shared-${prefixCount}`, offlineMs: 100});
    return {store, client};
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

  test('retries through one process drain the budget of the other', async () => {
    const count = {n: 0};
    msw.use(answering(count, () => 503));
    const giveUps: GiveUpEvent[] = [];
    const instance = (retryBudget: SharedRetryBudget) =>
      ky.create({
        prefix: ACME,
        ...withVendor(acme, {
          limiter: false,
          retryBudget,
          retryLimit: 5,
          onGiveUp: (event) => giveUps.push(event),
        }),
      });
    const budgetOf = async () => (await processStore()).store.retryBudget({capacity: 10, retryCost: 5});
    const [budgetA, budgetB] = [await budgetOf(), await budgetOf()];
    await expect(instance(budgetA).get('items')).rejects.toBeInstanceOf(ServerError);
    // Two retries afforded (10 tokens / 5), then the budget refuses.
    expect(count.n).toBe(3);
    expect(giveUps.map((event) => event.reason)).toEqual(['budget']);
    await budgetA.flush();
    // b never spent a token; once it has looked at the key, its first retry is refused: the
    // budget is the fleet's. (A process that never looked grants one retry from a full view,
    // and the store's answer refuses the next: see test/policy/shared-guards.test.ts.)
    expect(await budgetB.sync(KEY)).toBe(0);
    await expect(instance(budgetB).get('items')).rejects.toBeInstanceOf(ServerError);
    expect(count.n).toBe(4);
    expect(giveUps.map((event) => event.reason)).toEqual(['budget', 'budget']);
  });

  test("successes through one process refill the other's budget", async () => {
    const a = (await processStore()).store.retryBudget({capacity: 10, retryCost: 5});
    const b = (await processStore()).store.retryBudget({capacity: 10, retryCost: 5});
    expect(a.tryRetry(KEY)).toBe(true);
    expect(a.tryRetry(KEY)).toBe(true);
    expect(a.tryRetry(KEY)).toBe(false);
    await a.flush();
    for (let i = 0; i < 5; i++) b.onSuccess(KEY);
    await b.flush();
    // a's view is the store's answer to its last spend (empty) until it looks again.
    expect(a.tryRetry(KEY)).toBe(false);
    expect(await a.sync(KEY)).toBe(5);
    expect(a.tryRetry(KEY)).toBe(true);
    expect(a.tryRetry(KEY)).toBe(false);
  });

  test('a circuit opened through one process refuses through the other, with a future retryAt', async () => {
    const count = {n: 0};
    msw.use(answering(count, () => 503));
    const opener = (await processStore()).store.circuitBreaker({failureThreshold: 3, openMs: 30_000});
    const options = {limiter: false, retryBudget: false, retryLimit: 0} as const;
    const a = ky.create({prefix: ACME, ...withVendor(acme, {...options, circuitBreaker: opener})});
    const b = ky.create({
      prefix: ACME,
      ...withVendor(acme, {
        ...options,
        store: (await processStore()).store,
        circuitBreaker: {failureThreshold: 3, openMs: 30_000},
      }),
    });
    for (let i = 0; i < 3; i++) {
      await expect(a.get('items')).rejects.toBeInstanceOf(ServerError);
    }
    // The opening write is on its way with the last failure; a read of a's own queue follows it.
    expect(await opener.sync(KEY)).toBe('open');
    const refused = await b.get('items').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    const retryAt = (refused as CircuitOpenError).retryAt?.getTime() ?? 0;
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(count.n).toBe(3);
  });

  test('half-open: one probe for the whole fleet, and its success closes the circuit for all', async () => {
    const count = {n: 0};
    let healthy = false;
    msw.use(answering(count, () => (healthy ? 200 : 503), 100));
    const breakerOptions = {failureThreshold: 1, openMs: 300};
    const fleet = await Promise.all(
      Array.from({length: 4}, async () => {
        const {store} = await processStore();
        return ky.create({
          prefix: ACME,
          ...withVendor(acme, {
            store,
            limiter: false,
            retryBudget: false,
            retryLimit: 0,
            circuitBreaker: breakerOptions,
          }),
        });
      }),
    );
    await expect(fleet[0]?.get('items')).rejects.toBeInstanceOf(ServerError);
    await until(async () => {
      const error = await fleet[1]?.get('items').catch((caught: unknown) => caught);
      return error instanceof CircuitOpenError;
    });
    await sleep(350);
    healthy = true;
    const before = count.n;
    const outcomes = await Promise.all(
      fleet.map((api) =>
        api.get('items').then(
          () => 'sent',
          (error: unknown) => error,
        ),
      ),
    );
    expect(count.n - before).toBe(1);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome !== 'sent') {
        expect(outcome).toBeInstanceOf(CircuitOpenError);
        // Refused while the probe was out: told to come back later, never at a past time.
        expect((outcome as CircuitOpenError).delayMs).toBeGreaterThan(0);
      }
    }
    // The probe's success closed it in the store: every process sends again.
    for (const api of fleet) {
      await expect(api.get('items').json()).resolves.toEqual({ok: true});
    }
  });

  test('Redis killed: requests still go; back, the fleet shares its budget and circuit again', async () => {
    const count = {n: 0};
    let status = 200;
    msw.use(answering(count, () => status));
    const stores = [await processStore(), await processStore()].map(({store}) => store);
    const breakerOptions = {failureThreshold: 2, openMs: 300};
    const fleet = stores.map((store) =>
      ky.create({
        prefix: ACME,
        ...withVendor(acme, {store, limiter: false, retryLimit: 1, circuitBreaker: breakerOptions}),
      }),
    );
    for (const api of fleet) {
      await expect(api.get('items').json()).resolves.toEqual({ok: true});
    }
    await server.kill();
    // Without Redis each process keeps its own budget and circuit: the retry is granted, the
    // second failure opens the circuit, and the next call is refused without a request.
    status = 503;
    for (const api of fleet) {
      await expect(api.get('items')).rejects.toBeInstanceOf(ServerError);
      await expect(api.get('items')).rejects.toBeInstanceOf(CircuitOpenError);
    }
    expect(count.n).toBe(2 + 4);
    await sleep(350);
    status = 200;
    for (const api of fleet) {
      await expect(api.get('items').json()).resolves.toEqual({ok: true});
      await expect(api.get('items').json()).resolves.toEqual({ok: true});
    }
    expect(count.n).toBe(6 + 4);
    expect(stores.every((store) => !store.shared() && store.stats().fallbacks > 0)).toBe(true);
    await server.restart();
    await until(() => stores.every((store) => store.shared()));
    // Sharing resumed: the circuit one process opens refuses in the other.
    status = 503;
    const [a, b] = fleet;
    const [first, second] = stores as [RedisStore, RedisStore];
    const breaker = first.circuitBreaker({failureThreshold: 2, openMs: 60_000});
    const opener = ky.create({
      prefix: ACME,
      ...withVendor(acme, {limiter: false, retryLimit: 0, retryBudget: false, circuitBreaker: breaker}),
    });
    await expect(opener.get('items')).rejects.toBeInstanceOf(ServerError);
    await expect(opener.get('items')).rejects.toBeInstanceOf(ServerError);
    expect(await breaker.sync(KEY)).toBe('open');
    // a and b saw the circuit closed: each looks again in the background, then refuses.
    for (const api of [a, b]) {
      await until(async () => {
        const error = await api?.get('items', {retry: 0}).catch((caught: unknown) => caught);
        return error instanceof CircuitOpenError;
      });
    }
    const budgets = [first, second].map((store) => store.retryBudget({capacity: 10, retryCost: 5}));
    expect(budgets[0]?.tryRetry('budget-key')).toBe(true);
    expect(budgets[0]?.tryRetry('budget-key')).toBe(true);
    await budgets[0]?.flush();
    expect(await budgets[1]?.sync('budget-key')).toBe(0);
    expect(budgets[1]?.tryRetry('budget-key')).toBe(false);
  }, 30_000);

  test('Redis hanging: the budget and the breaker answer locally once a command times out, and the call succeeds', async () => {
    const count = {n: 0};
    let failures = 1;
    msw.use(answering(count, () => (failures-- > 0 ? 503 : 200)));
    const client = new Redis(server.url, {maxRetriesPerRequest: 1, retryStrategy: () => 50});
    client.on('error', () => {});
    clients.push(client);
    await until(() => client.status === 'ready');
    const store = createRedisStore({client, prefix: `shared-${prefixCount}`, commandTimeoutMs: 200});
    const api = ky.create({
      prefix: ACME,
      ...withVendor(acme, {store, limiter: false, retryLimit: 2, circuitBreaker: true}),
    });
    server.signal('SIGSTOP');
    try {
      // The circuit is unknown (a read that times out) and the 503 asks the budget for a retry
      // (a write that is answered from the mirror): the call still succeeds on its retry.
      await expect(api.get('items').json()).resolves.toEqual({ok: true});
      expect(count.n).toBe(2);
      expect(store.stats().fallbacks).toBeGreaterThan(0);
    } finally {
      server.signal('SIGCONT');
    }
  }, 30_000);

  test('a request that goes through costs no round trip for the budget or breaker once they are known', async () => {
    const count = {n: 0};
    msw.use(answering(count, () => 200));
    const {store} = await processStore();
    const api = ky.create({
      prefix: ACME,
      ...withVendor(acme, {store, limiter: false, circuitBreaker: true}),
    });
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      await expect(api.get('items').json()).resolves.toEqual({ok: true});
    }
    const elapsedMs = Date.now() - started;
    const trips = store.stats().tripsByLabel;
    // The first request reads the circuit; later, one read and one refill write at most per second.
    expect(trips['breaker:permit']).toBe(1);
    const background = (trips['breaker:sync'] ?? 0) + (trips['budget:refill'] ?? 0);
    expect(background).toBeLessThanOrEqual(2 * (Math.ceil(elapsedMs / 1000) + 1));
    expect(trips['breaker:record'] ?? 0).toBe(0);
    expect(trips['budget:retry'] ?? 0).toBe(0);
  });

  test("an update that keeps the value is a read: no new version, other writers' versions stay valid", async () => {
    const {store, client} = await processStore();
    await store.update('k', () => [{n: 1}, undefined]);
    const version = await client.hget(redisKeys(`shared-${prefixCount}`, 'k').value, 'ver');
    const tripsBefore = store.stats().roundTrips;
    for (let i = 0; i < 3; i++) {
      expect(
        await store.update<{n: number}, number | undefined>('k', (current) => [current, current?.n]),
      ).toBe(1);
    }
    expect(store.stats().roundTrips - tripsBefore).toBe(3);
    expect(await client.hget(redisKeys(`shared-${prefixCount}`, 'k').value, 'ver')).toBe(version);
    // A change by another process is seen by the next keeping update, and a change still writes.
    const other = (await processStore()).store;
    await other.update<{n: number}, undefined>('k', (current) => [{n: (current?.n ?? 0) + 1}, undefined]);
    expect(await store.update<{n: number}, number | undefined>('k', (current) => [current, current?.n])).toBe(
      2,
    );
    await store.update<{n: number}, undefined>('k', (current) => [{n: (current?.n ?? 0) + 1}, undefined]);
    expect(await other.update<{n: number}, number | undefined>('k', (current) => [current, current?.n])).toBe(
      3,
    );
  });
});
