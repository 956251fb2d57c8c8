/**
 * @module One worker process of `bench/fleet.ts` and `examples/fleet.ts`: uploads its share of the
 * files to the UPYUN simulator (or, in `guard` mode, calls a BrightData endpoint), through a Redis
 * store when given one, and reports progress and counters to the parent over IPC.
 */
import {Redis} from 'ioredis';
import ky from 'ky';
import {brightdata, createLimiter, upyun, type VendorOptions, withVendor} from '../src/index.ts';
import {createRedisStore, type RedisStore} from '../src/redis/index.ts';
import {uploadMany} from '../src/vendors/upyun/index.ts';

/** What the parent asks of a worker. */
export type FleetJob = {
  readonly mode: 'upload' | 'guard';
  readonly url: string;
  readonly redisUrl: string | undefined;
  readonly prefix: string;
  readonly first: number;
  readonly count: number;
  readonly concurrency: number;
};

/** What a worker tells the parent. */
export type FleetMessage =
  | {readonly type: 'ready'}
  | {readonly type: 'progress'}
  | {
      readonly type: 'done';
      readonly succeeded: number;
      readonly failed: number;
      readonly roundTrips: number;
      readonly fallbacks: number;
      readonly tripsByLabel: Readonly<Record<string, number>>;
      readonly errors: string[];
    };

const send = (message: FleetMessage) => process.send?.(message);

/**
 * Tells the parent this worker is set up (imports loaded, Redis connected), and waits for the
 * word to start: the fleet starts together and the clock does not count Node's startup.
 */
const ready = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('message', () => resolve());
    send({type: 'ready'});
  });

/** The store and vendor options of a worker: the Redis store when given one. */
const optionsFor = async (
  job: FleetJob,
): Promise<{options: VendorOptions; store?: RedisStore; close: () => void}> => {
  if (job.redisUrl === undefined) {
    return {options: {limiter: true, circuitBreaker: true}, close: () => {}};
  }
  const client = new Redis(job.redisUrl, {maxRetriesPerRequest: 1, retryStrategy: () => 200});
  // Redis may be killed on purpose: the store answers locally, the errors are expected.
  client.on('error', () => {});
  const deadline = Date.now() + 10_000;
  while (client.status !== 'ready' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const store = createRedisStore({client, prefix: job.prefix});
  // `store` puts the throttle guard, the retry budget and the breaker (on here, to count what it
  // costs) in Redis too; the limiter is given explicitly so its state is shared either way.
  const limiter = createLimiter({store});
  const options = {store, limiter, circuitBreaker: true};
  return {options, store, close: () => client.disconnect()};
};

const upload = async (job: FleetJob): Promise<void> => {
  const {options, store, close} = await optionsFor(job);
  const api = ky.create({
    prefix: job.url,
    timeout: false,
    ...withVendor(upyun, {...options, totalTimeoutMs: 120_000}),
  });
  const files = Array.from({length: job.count}, (_, i) => ({
    bucket: 'fleet',
    path: `f/file-${job.first + i}.txt`,
    body: `file ${job.first + i}\n`,
  }));
  await ready();
  const result = await uploadMany(api, files, {
    concurrency: job.concurrency,
    onProgress: () => send({type: 'progress'}),
  });
  const stats = store?.stats();
  send({
    type: 'done',
    succeeded: result.succeeded,
    failed: result.failed,
    roundTrips: stats?.roundTrips ?? 0,
    fallbacks: stats?.fallbacks ?? 0,
    tripsByLabel: stats?.tripsByLabel ?? {},
    errors: result.results.flatMap((entry) => (entry.ok ? [] : [String(entry.error)])).slice(0, 3),
  });
  close();
};

const guard = async (job: FleetJob): Promise<void> => {
  const {options, store, close} = await optionsFor(job);
  const api = ky.create({
    prefix: job.url,
    timeout: 5000,
    ...withVendor(brightdata, {...options, retryLimit: 0}),
  });
  let failed = 0;
  const errors = new Set<string>();
  await ready();
  for (let i = 0; i < job.count; i++) {
    try {
      await api.get(`datasets/v3/progress/s_${job.first + i}`, {
        headers: {authorization: 'Bearer bench-token'},
      });
    } catch (error) {
      failed++;
      errors.add(error instanceof Error ? error.name : String(error));
    }
  }
  const stats = store?.stats();
  send({
    type: 'done',
    succeeded: job.count - failed,
    failed,
    roundTrips: stats?.roundTrips ?? 0,
    fallbacks: stats?.fallbacks ?? 0,
    tripsByLabel: stats?.tripsByLabel ?? {},
    errors: [...errors],
  });
  close();
};

process.once('message', (job: FleetJob) => {
  void (job.mode === 'upload' ? upload(job) : guard(job)).finally(() => process.disconnect());
});
