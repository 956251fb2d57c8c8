/**
 * The Redis store against a real `redis-server` (started on a free loopback port per file):
 * the Lua scripts' rate, burst and pause, the server's clock, leases, reconnects and fail-open.
 */
import {Cluster, Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, test, vi} from 'vitest';
import {createLimiter} from '../../src/policy/limiter/create-limiter.ts';
import {createRedisStore, type RedisStore, redisKeys} from '../../src/redis/index.ts';
import {leaseSize} from '../../src/redis/lease-size.ts';
import {type RedisServer, redisMissing, startRedisServer} from '../helpers/redis-server.ts';
import {sleep, until} from '../helpers/until.ts';

const missing = redisMissing();
if (missing !== undefined) {
  console.warn(missing);
}

describe('leaseSize', () => {
  test.each([
    // rate, burst, fleet, max → tokens per round trip
    [2000, 100, 1, 8, 8],
    [2000, 100, 4, 8, 8],
    [2000, 16, 4, 8, 2],
    [150, 15, 4, 8, 1],
    [150, 100, 1, 8, 7],
    [1, 100, 1, 8, 1],
    [2000, 100, 1, 1, 1],
    [2000, 1, 1, 8, 1],
  ])('rate %d burst %d fleet %d max %d → %d', (ratePerSecond, burst, fleetSize, maxLease, expected) => {
    expect(leaseSize({ratePerSecond, burst, fleetSize, maxLease, leaseMs: 50})).toBe(expected);
  });
});

describe.skipIf(missing !== undefined)('createRedisStore against redis-server', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  let prefixCount = 0;

  const connect = async (): Promise<Redis> => {
    const client = new Redis(server.url, {maxRetriesPerRequest: 1, retryStrategy: () => 50});
    // The tests kill the server on purpose: connection errors are expected.
    client.on('error', () => {});
    clients.push(client);
    await until(() => client.status === 'ready');
    return client;
  };
  /** A store with its own prefix, so tests do not share keys. */
  const storeOf = async (client: Redis, options: Partial<Parameters<typeof createRedisStore>[0]> = {}) =>
    createRedisStore({client, prefix: `t${prefixCount}`, ...options});

  beforeAll(async () => {
    server = await startRedisServer();
  }, 30_000);
  afterEach(() => {
    prefixCount++;
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    for (const client of clients) {
      client.disconnect();
    }
    await server?.stop();
  });

  test('rejects bad input with a TypeError', async () => {
    expect(() => createRedisStore({client: {} as never})).toThrow(TypeError);
    const store = await storeOf(await connect());
    expect(() => createRedisStore({client: clients[0] as Redis, commandTimeoutMs: 0})).toThrow(
      /commandTimeoutMs/,
    );
    expect(() => createRedisStore({client: clients[0] as Redis, leaseSize: 1.5})).toThrow(/leaseSize/);
    await expect(store.admit('k', {ratePerSecond: 0, burst: 1})).rejects.toThrow(TypeError);
    await expect(store.admit('k', {ratePerSecond: 10, burst: Number.NaN})).rejects.toThrow(TypeError);
  });

  test('update is atomic across clients: 4 stores × 50 concurrent increments', async () => {
    // A generous timeout: a write answered locally on a loaded machine would not count on the server.
    const stores = await Promise.all(
      Array.from({length: 4}, async () => storeOf(await connect(), {commandTimeoutMs: 10_000})),
    );
    await Promise.all(
      stores.flatMap((store) =>
        Array.from({length: 50}, () => store.update<number, number>('count', (n = 0) => [n + 1, n + 1])),
      ),
    );
    const total = await (stores[0] as RedisStore).update<number, number>('count', (n = 0) => [n, n]);
    expect(stores.map((store) => store.stats().fallbacks)).toEqual([0, 0, 0, 0]);
    expect(total).toBe(200);
    expect(stores.reduce((sum, store) => sum + store.stats().conflicts, 0)).toBeGreaterThan(0);
  });

  test('concurrent updates of one key go in batches; a change that throws rejects only its own call', async () => {
    const store = await storeOf(await connect());
    const calls = Array.from({length: 30}, (_, i) =>
      store.update<number, number>('n', (n = 0) => {
        if (i === 7) throw new RangeError('bad change');
        return [n + 1, n + 1];
      }),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((o) => String(o.reason))).toEqual([
      'RangeError: bad change',
    ]);
    expect(await store.update<number, number>('n', (n = 0) => [n, n])).toBe(29);
    // One round trip reads, then the waiting changes share writes.
    expect(store.stats().roundTrips).toBeLessThan(10);
  });

  test('update deletes on undefined and honours ttlMs', async () => {
    const client = await connect();
    const store = await storeOf(client);
    await store.update('gone', () => [{a: 1}, null]);
    await store.update('gone', () => [undefined, null]);
    expect(await store.update('gone', (value) => [value, value])).toBeUndefined();
    await store.update('brief', () => ['x', null], {ttlMs: 100});
    expect(await client.pttl(redisKeys(`t${prefixCount}`, 'brief').value)).toBeGreaterThan(0);
    await expect(store.update('brief', () => ['x', null], {ttlMs: -1})).rejects.toThrow(TypeError);
  });

  test('GCRA: burst tokens at once, then a wait of about one interval', async () => {
    const store = await storeOf(await connect(), {leaseSize: 1});
    const rate = {ratePerSecond: 1, burst: 3};
    const first = [await store.admit('k', rate), await store.admit('k', rate), await store.admit('k', rate)];
    expect(first).toEqual([0, 0, 0]);
    const wait = await store.admit('k', rate);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    // The rate refills: after the stated wait the next request goes.
    await sleep(wait + 20);
    expect(await store.admit('k', rate)).toBe(0);
  });

  test('GCRA is shared: a second client finds the bucket emptied by the first', async () => {
    const a = await storeOf(await connect(), {leaseSize: 1});
    const b = await storeOf(await connect(), {leaseSize: 1});
    const rate = {ratePerSecond: 0.5, burst: 2};
    expect(await a.admit('k', rate)).toBe(0);
    expect(await b.admit('k', rate)).toBe(0);
    expect(await a.admit('k', rate)).toBeGreaterThan(0);
    expect(await b.admit('k', rate)).toBeGreaterThan(0);
  });

  test('a stated pause stored with update stops every client until it ends', async () => {
    const a = await storeOf(await connect());
    // Without leases: a lease taken before the pause may be spent for its 50 ms.
    const b = await storeOf(await connect(), {leaseSize: 1});
    const rate = {ratePerSecond: 100, burst: 10};
    expect(await b.admit('k', rate)).toBe(0);
    await a.update('k', (_state, now) => [{pausedUntil: now + 60_000}, null]);
    const wait = await b.admit('k', rate);
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    // A pause that ended does not hold anyone.
    await a.update('k', (_state, now) => [{pausedUntil: now - 1}, null]);
    expect(await b.admit('k', rate)).toBe(0);
  });

  test("the clock is the server's: skewed clients cannot double-spend", async () => {
    const client = await connect();
    const [seconds, micros] = await client.time();
    const serverMs = Number(seconds) * 1000 + Number(micros) / 1000;
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3_600_000);
    const ahead = await storeOf(client, {leaseSize: 1});
    const seen = await ahead.update<number, number>('clock', (_value, now) => [1, now]);
    expect(Math.abs(seen - serverMs)).toBeLessThan(10_000);

    const rate = {ratePerSecond: 1, burst: 2};
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 3_600_000);
    const behind = await storeOf(client, {leaseSize: 1});
    expect([await behind.admit('k', rate), await behind.admit('k', rate)]).toEqual([0, 0]);
    // An hour ahead, a bucket kept on the client's clock would look refilled long ago.
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3_600_000);
    expect(await ahead.admit('k', rate)).toBeGreaterThan(0);
  });

  test('GCRA grants a due token at a rate whose interval is fractional (the stall of the fleet example)', async () => {
    const store = await storeOf(await connect(), {leaseSize: 1});
    // 1e6 / 14.598… is 68_500.00000000001 µs: in float arithmetic the due token never came.
    const rate = {ratePerSecond: 14.5985401459854, burst: 1};
    expect(await store.admit('k', rate)).toBe(0);
    const wait = await store.admit('k', rate);
    expect(wait).toBeGreaterThan(0);
    await sleep(wait + 5);
    expect(await store.admit('k', rate)).toBe(0);
  });

  test('reserveMs: a short wait reserves the token, one interval after the last; a long one does not', async () => {
    const store = await storeOf(await connect(), {leaseSize: 1});
    const rate = {ratePerSecond: 20, burst: 1, reserveMs: 1000};
    const started = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push(await store.admit('k', rate));
    }
    const elapsed = Date.now() - started;
    expect(waits[0]).toBe(0);
    // Slot k is k × 50 ms after the first, however long the calls took.
    expect((waits[5] as number) + elapsed).toBeGreaterThanOrEqual(250 - 2);
    expect(waits[5] as number).toBeLessThanOrEqual(250);
    // Without reserveMs a refused turn takes nothing: asking again right away gets the same slot.
    const refused = await store.admit('k', {ratePerSecond: 20, burst: 1});
    const again = await store.admit('k', {ratePerSecond: 20, burst: 1});
    expect(refused).toBeGreaterThan(0);
    expect(again).toBeLessThanOrEqual(refused);
  });

  test("admit paces at the rate the key's value holds, not the rate the caller last saw", async () => {
    const writer = await storeOf(await connect());
    const reader = await storeOf(await connect(), {leaseSize: 1});
    await writer.update('k', (_state, now) => [{ratePerSecond: 1, pausedUntil: now - 1}, null]);
    // The caller believes 1000/s; the fleet's learned rate is 1/s.
    const rate = {ratePerSecond: 1000, burst: 1};
    expect(await reader.admit('k', rate)).toBe(0);
    const wait = await reader.admit('k', rate);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
  });

  test('a pause that ends within reserveMs reserves the first turn after it', async () => {
    const a = await storeOf(await connect());
    const b = await storeOf(await connect(), {leaseSize: 1});
    await a.update('k', (_state, now) => [{pausedUntil: now + 300}, null]);
    const wait = await b.admit('k', {ratePerSecond: 100, burst: 1, reserveMs: 1000});
    expect(wait).toBeGreaterThan(200);
    expect(wait).toBeLessThanOrEqual(300);
    await expect(b.admit('k', {ratePerSecond: 100, burst: 1, reserveMs: -1})).rejects.toThrow(TypeError);
  });

  test("an admit keeps this process's version of the key fresh: its next write does not conflict", async () => {
    const a = await storeOf(await connect());
    const b = await storeOf(await connect(), {leaseSize: 1});
    await b.update<number, number>('k', (n = 0) => [n + 1, n + 1]);
    await a.update<number, number>('k', (n = 0) => [n + 10, n + 10]);
    await b.admit('k', {ratePerSecond: 100, burst: 5});
    expect(await b.update<number, number>('k', (n = 0) => [n + 1, n + 1])).toBe(12);
    expect(b.stats().conflicts).toBe(0);
    // The first update of a key this process never saw reads it first; the last one needs no read.
    expect(b.stats().tripsByLabel).toEqual({update: 3, admit: 1});
  });

  test('leases: one round trip serves several admissions, and the fleet never exceeds the bucket', async () => {
    const a = await storeOf(await connect(), {leaseSize: 8});
    const b = await storeOf(await connect(), {leaseSize: 8});
    const rate = {ratePerSecond: 200, burst: 16};
    const started = performance.now();
    let granted = 0;
    for (let i = 0; i < 8; i++) {
      if ((await a.admit('k', rate)) === 0) granted++;
    }
    expect(a.stats().roundTrips).toBe(1);
    expect(a.stats().leaseHits).toBe(7);
    for (let i = 0; i < 40; i++) {
      if ((await b.admit('k', rate)) === 0) granted++;
      if ((await a.admit('k', rate)) === 0) granted++;
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    // GCRA's bound: the burst plus what the rate refilled, whatever the leases did.
    expect(granted).toBeLessThanOrEqual(rate.burst + Math.ceil(rate.ratePerSecond * elapsedSeconds) + 1);
    const trips = a.stats().roundTrips + b.stats().roundTrips;
    expect(trips).toBeLessThan(a.stats().admits + b.stats().admits);
  });

  test('a hanging server times out into local answers, then sharing resumes', async () => {
    const client = await connect();
    const store = await storeOf(client, {commandTimeoutMs: 200, offlineMs: 200});
    await store.update<number, number>('n', () => [5, 5]);
    server.signal('SIGSTOP');
    try {
      const next = await store.update<number, number>('n', (n = 0) => [n + 1, n + 1]);
      expect(next).toBe(6);
      expect(await store.admit('k', {ratePerSecond: 100, burst: 5})).toBe(0);
      expect(store.stats().errors).toBeGreaterThanOrEqual(1);
      expect(store.shared()).toBe(false);
    } finally {
      server.signal('SIGCONT');
    }
    await until(async () => {
      await sleep(250);
      const before = store.stats().fallbacks;
      await store.update<number, number>('n', (n = 0) => [n, n]);
      return store.stats().fallbacks === before;
    });
    // The timed-out write may or may not have landed; the server's value is one of the two.
    const stored = Number(await client.hget(redisKeys(`t${prefixCount}`, 'n').value, 'val'));
    expect([5, 6]).toContain(stored);
  });

  test('reconnects after the server restarts, seeding it with the last known values', async () => {
    const client = await connect();
    const store = await storeOf(client, {offlineMs: 100});
    for (let i = 0; i < 5; i++) {
      await store.update<number, number>('count', (n = 0) => [n + 1, n + 1]);
    }
    await server.kill();
    const during: number[] = [];
    for (let i = 0; i < 3; i++) {
      during.push(await store.update<number, number>('count', (n = 0) => [n + 1, n + 1]));
      expect(await store.admit('k', {ratePerSecond: 1000, burst: 100})).toBeGreaterThanOrEqual(0);
    }
    expect(during).toEqual([6, 7, 8]);
    expect(store.shared()).toBe(false);
    await server.restart();
    await until(() => client.status === 'ready');
    await until(() => store.shared());
    expect(await store.update<number, number>('count', (n = 0) => [n + 1, n + 1])).toBe(9);
    expect(await client.hget(redisKeys(`t${prefixCount}`, 'count').value, 'val')).toBe('9');
    // The scripts were loaded again after NOSCRIPT.
    expect(await store.admit('k', {ratePerSecond: 1000, burst: 100})).toBe(0);
  });

  test('fail-open: SIGKILL mid-run, every limiter turn still comes and no update fails', async () => {
    const client = await connect();
    const store = await storeOf(client, {offlineMs: 100});
    const limiter = createLimiter({store, initialRatePerSecond: 500});
    const key = 'upyun:fleet';
    await limiter.onThrottle(key);
    let granted = 0;
    const turns = Array.from({length: 60}, async (_, i) => {
      const release = await limiter.acquire(key, {deadlineAt: Date.now() + 15_000});
      granted++;
      if (i === 20) {
        await server.kill();
      }
      await limiter.onSuccess(key, {sentAt: Date.now()});
      release();
    });
    const outcomes = await Promise.allSettled(turns);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(granted).toBe(60);
    expect(store.stats().fallbacks).toBeGreaterThan(0);
    await server.restart();
  });

  test("without Redis a process paces at its share of the fleet's recent rate", async () => {
    const a = await storeOf(await connect(), {leaseSize: 1, offlineMs: 60_000});
    const b = await storeOf(await connect(), {leaseSize: 1, offlineMs: 60_000});
    const rate = {ratePerSecond: 100, burst: 1, reserveMs: 5000};
    await a.admit('k', rate);
    await b.admit('k', rate); // b now knows a fleet of 2 paced at 100/s
    await server.kill();
    // The clock stands still while the process asks: each wait is then its slot, whatever a loaded
    // machine makes the calls take (a running clock made the gaps depend on the event loop's lag).
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    try {
      const slots: number[] = [];
      for (let i = 0; i < 10; i++) {
        slots.push(await b.admit('k', rate));
      }
      expect(b.stats().fallbacks).toBe(10);
      // 50/s alone: reserved slots 20 ms apart (±1 ms of rounding).
      const gaps = slots.slice(1).map((slot, i) => slot - (slots[i] as number));
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(19);
        expect(gap).toBeLessThanOrEqual(21);
      }
    } finally {
      clock.mockRestore();
      await server.restart();
    }
  });
});

describe.skipIf(missing !== undefined)('Redis Cluster (one real node owning every slot)', () => {
  let server: RedisServer;
  let admin: Redis;
  let cluster: Cluster;

  beforeAll(async () => {
    server = await startRedisServer({cluster: true});
    admin = new Redis(server.url);
    admin.on('error', () => {});
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await until(
      async () => (await admin.call('CLUSTER', 'INFO'))?.toString().includes('cluster_state:ok') === true,
    );
    cluster = new Cluster([{host: '127.0.0.1', port: server.port}], {clusterRetryStrategy: () => 50});
    cluster.on('error', () => {});
    await until(() => cluster.status === 'ready');
  }, 40_000);
  afterAll(async () => {
    cluster?.disconnect();
    admin?.disconnect();
    await server?.stop();
  });

  const slotOf = async (key: string): Promise<number> => Number(await admin.call('CLUSTER', 'KEYSLOT', key));

  test.each(['limiter:upyun:photos', 'guard:brightdata:key', 'a}b{c', '{x}', '', '中文:🔑'])(
    'the server puts every key of one call in one slot: %j',
    async (key) => {
      const keys = redisKeys('ky-vendors', key);
      const slots = new Set(await Promise.all([keys.value, keys.gcra, keys.fleet].map(slotOf)));
      expect(slots.size).toBe(1);
    },
  );

  test('different keys spread over slots', async () => {
    const slots = new Set(
      await Promise.all(
        Array.from({length: 50}, (_, i) => slotOf(redisKeys('ky-vendors', `limiter:k${i}`).gcra)),
      ),
    );
    expect(slots.size).toBeGreaterThan(40);
  });

  test('update and admit work through a Cluster client (no CROSSSLOT error)', async () => {
    const store = createRedisStore({client: cluster, prefix: 'cluster', leaseSize: 1});
    expect(await store.update<number, number>('n', (n = 0) => [n + 1, n + 1])).toBe(1);
    expect(await store.update<number, number>('n', (n = 0) => [n + 1, n + 1])).toBe(2);
    const rate = {ratePerSecond: 1, burst: 2};
    expect([await store.admit('k', rate), await store.admit('k', rate)]).toEqual([0, 0]);
    expect(await store.admit('k', rate)).toBeGreaterThan(0);
    expect(store.stats().fallbacks).toBe(0);
  });
});
