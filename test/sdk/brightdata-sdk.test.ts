/**
 * The published `@brightdata/sdk` (0.2.0) against the BrightData simulator on a loopback socket.
 *
 * The SDK cannot be pointed at another base URL: `https://api.brightdata.com` is a constant of its
 * `utils/constants` module, the client takes no base URL, and every call passes its own undici
 * `Agent` (composed with undici's `dns` and `retry` interceptors), so neither msw nor undici's
 * global dispatcher sees it. What can be redirected is the connection underneath: undici's `dns`
 * interceptor takes `lookup` from `node:dns` when it loads, and its connector calls `tls.connect`
 * at call time. This file answers `api.brightdata.com` with 127.0.0.1 before the SDK is imported,
 * and hands undici a plain TCP socket to the simulator in place of the TLS one. The SDK's own
 * code, schemas, polling and retry interceptor run unchanged.
 */
import dns, {type LookupAddress, type LookupAllOptions} from 'node:dns';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import net from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import tls from 'node:tls';
import {afterAll, afterEach, beforeAll, describe, expect, test, vi} from 'vitest';
import {
  type BrightdataServer,
  type BrightdataSimulator,
  createBrightdataSimulator,
  startBrightdataServer,
} from '../../src/testing/brightdata/index.ts';

const HOST = 'api.brightdata.com';
const API_KEY = 'bd-sdk-test-key-0123456789';

type Lookup = typeof dns.lookup;
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

const realLookup: Lookup = dns.lookup;
const realTlsConnect = tls.connect;
let lookups = 0;
let loopbackPort = 0;

const fakeLookup = ((hostname: string, options: unknown, callback?: unknown): void => {
  if (hostname !== HOST) {
    (realLookup as (...args: unknown[]) => void)(hostname, options, callback);
    return;
  }
  lookups++;
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  const all = typeof options === 'object' && options !== null && (options as LookupAllOptions).all === true;
  process.nextTick(() =>
    all ? done(null, [{address: '127.0.0.1', family: 4}]) : done(null, '127.0.0.1', 4),
  );
}) as Lookup;

const fakeTlsConnect = ((...args: unknown[]) => {
  const options = args[0] as tls.ConnectionOptions;
  if (options?.servername !== HOST) {
    return (realTlsConnect as (...rest: unknown[]) => tls.TLSSocket)(...args);
  }
  const socket = net.connect({host: '127.0.0.1', port: loopbackPort});
  // undici waits for the TLS handshake; a plain socket to the loopback simulator stands in for it.
  socket.once('connect', () => socket.emit('secureConnect'));
  return socket;
}) as typeof tls.connect;

type Sdk = {
  datasets: {
    linkedin: {collectProfiles(urls: string[], options: {async: true}): Promise<{snapshot_id: string}>};
    snapshot: {
      getStatus(id: string): Promise<{status: string}>;
      download(
        id: string,
        options: {statusPolling?: boolean; format?: string; filename?: string},
      ): Promise<string>;
      cancel(id: string): Promise<void>;
    };
  };
};

let bdclient: new (options: {apiKey: string; logLevel?: string}) => Sdk;
let clock = 1_000_000;
let sim: BrightdataSimulator;
let server: BrightdataServer;
let dir: string;

beforeAll(async () => {
  // Before the SDK (and so undici's dns interceptor) is loaded.
  (dns as {lookup: Lookup}).lookup = fakeLookup;
  ({bdclient} = (await import('@brightdata/sdk')) as unknown as {bdclient: typeof bdclient});
  dir = await mkdtemp(join(tmpdir(), 'bd-sdk-'));
});

afterAll(async () => {
  (dns as {lookup: Lookup}).lookup = realLookup;
  await rm(dir, {recursive: true, force: true});
});

const start = async (options: Parameters<typeof createBrightdataSimulator>[0] = {}): Promise<Sdk> => {
  clock = 1_000_000;
  sim = createBrightdataSimulator({apiKey: API_KEY, now: () => clock, readyAfterMs: 30_000, ...options});
  server = await startBrightdataServer(sim);
  loopbackPort = Number(new URL(server.url).port);
  (tls as {connect: typeof tls.connect}).connect = fakeTlsConnect;
  return new bdclient({apiKey: API_KEY, logLevel: 'CRITICAL'});
};

afterEach(async () => {
  (tls as {connect: typeof tls.connect}).connect = realTlsConnect;
  vi.restoreAllMocks();
  await server?.close();
});

const triggerJob = async (sdk: Sdk): Promise<string> => {
  const {snapshot_id: id} = await sdk.datasets.linkedin.collectProfiles(['https://www.linkedin.com/in/a'], {
    async: true,
  });
  expect(id).toMatch(/^s_/);
  return id;
};

/**
 * Runs the SDK's sleeps of 10–30 s at once and records them; after `maxSleeps` it stops answering,
 * so a loop that never ends stays parked instead of spinning.
 */
const captureSleeps = (maxSleeps: number): number[] => {
  const sleeps: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    handler: () => void,
    ms?: number,
    ...rest: unknown[]
  ) => {
    if (typeof ms === 'number' && ms >= 10_000 && ms <= 30_000) {
      sleeps.push(ms);
      if (sleeps.length <= maxSleeps) {
        queueMicrotask(handler);
      }
      return realSetTimeout(() => undefined, 0);
    }
    return realSetTimeout(handler, ms, ...rest);
  }) as typeof setTimeout);
  return sleeps;
};

const waitUntil = async (condition: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 2000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => globalThis.setTimeout(resolve, 5));
  }
  expect(condition()).toBe(true);
};

describe('@brightdata/sdk 0.2.0 against the BrightData simulator', () => {
  test('its requests reach the simulator: trigger, progress, download of the records', async () => {
    const sdk = await start();
    const id = await triggerJob(sdk);
    expect(lookups).toBeGreaterThan(0);
    await expect(sdk.datasets.snapshot.getStatus(id)).resolves.toMatchObject({status: 'starting'});
    clock += 30_000;
    await expect(sdk.datasets.snapshot.getStatus(id)).resolves.toMatchObject({status: 'ready'});
    const file = await sdk.datasets.snapshot.download(id, {
      statusPolling: false,
      format: 'json',
      filename: join(dir, 'records.json'),
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([
      {url: 'https://www.linkedin.com/in/a', index: 0},
    ]);
    expect(sim.counters.requests).toMatchObject({trigger: 1, progress: 2, snapshot: 1});
  });

  test('it polls progress with a random 10–30 s sleep between answers, not a fixed 10 s', async () => {
    const sdk = await start();
    const id = await triggerJob(sdk);
    const sleeps = captureSleeps(5);
    const download = sdk.datasets.snapshot.download(id, {format: 'json', filename: join(dir, 'poll.json')});
    download.catch(() => undefined);
    await waitUntil(() => sleeps.length === 6);
    for (const ms of sleeps) {
      expect(ms).toBeGreaterThanOrEqual(10_000);
      expect(ms).toBeLessThanOrEqual(30_000);
    }
    // Six draws from 20 001 values: all equal only with a chance of about 1 in 10^21.
    expect(new Set(sleeps).size).toBeGreaterThan(1);
    expect(sim.counters.requests.progress).toBe(6);
  });

  test.each(['canceled', 'cancelled'] as const)(
    'a %s job is polled without end: only ready and failed stop it',
    async (canceledStatus) => {
      const sdk = await start({canceledStatus, readyAfterMs: 60_000});
      const id = await triggerJob(sdk);
      await sdk.datasets.snapshot.cancel(id);
      await expect(sdk.datasets.snapshot.getStatus(id)).resolves.toMatchObject({status: canceledStatus});
      const sleeps = captureSleeps(5);
      let settled = false;
      sdk.datasets.snapshot
        .download(id, {format: 'json', filename: join(dir, 'canceled.json')})
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          settled = true;
        });
      await waitUntil(() => sleeps.length === 6);
      // Six progress answers of `canceled` and it is still waiting; our waitForSnapshot throws at the first.
      expect(sim.counters.requests.progress).toBe(7);
      expect(settled).toBe(false);
    },
  );

  test('it throws on the 202 that can follow "ready" instead of waiting for the snapshot', async () => {
    const sdk = await start({buildingDownloads: 1});
    const id = await triggerJob(sdk);
    clock += 30_000;
    await expect(
      sdk.datasets.snapshot.download(id, {format: 'json', filename: join(dir, 'race.json')}),
    ).rejects.toThrow('snapshot is not ready yet');
    expect(sim.counters.requests).toMatchObject({progress: 1, snapshot: 1});
  });

  test('its retry interceptor resends a GET after a 503, never the trigger POST', async () => {
    const sdk = await start();
    sim.inject('trigger', {status: 503, body: 'Service unavailable'});
    await expect(triggerJob(sdk)).rejects.toThrow();
    expect(sim.counters.requests.trigger).toBe(1);
    const id = await triggerJob(sdk);
    sim.inject('progress', {status: 503, body: 'Service unavailable'});
    await expect(sdk.datasets.snapshot.getStatus(id)).resolves.toMatchObject({status: 'starting'});
    expect(sim.counters.requests.progress).toBe(2);
  });
});
