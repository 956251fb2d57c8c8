/**
 * @module A fleet: 4 worker processes upload into one UPYUN bucket and share its quota through
 * Redis. The parent starts the bucket (the simulator) and, unless `REDIS_URL` is set, a throwaway
 * `redis-server`; each worker is this file again, forked.
 */
import {type ChildProcess, execFileSync, fork, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Redis} from 'ioredis';
import ky from 'ky';
import {createLimiter, upyun, withVendor} from '../src/index.ts';
import {createRedisStore} from '../src/redis/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {uploadMany, upyunAuth} from '../src/vendors/upyun/index.ts';

const WORKERS = 4;
const FILES = 60;
const credentials = {operator: 'uploader', password: 'demo-password'};

type Job = {url: string; redisUrl: string; first: number; count: number};
type Report = {succeeded: number; failed: number; roundTrips: number};

/** A worker: one process of the fleet. Everything shared lives in Redis. */
const work = async ({url, redisUrl, first, count}: Job): Promise<Report> => {
  const client = new Redis(redisUrl, {maxRetriesPerRequest: 1});
  client.on('error', () => {}); // the store answers locally while Redis is away
  const store = createRedisStore({client, prefix: 'fleet-example'});
  const api = ky.create({
    prefix: url,
    timeout: false,
    // `limiter: createLimiter({store})` shares the pace; `store` shares the guards where supported.
    ...withVendor(upyun, {
      auth: upyunAuth(credentials),
      limiter: createLimiter({store}),
      totalTimeoutMs: 60_000,
    }),
  });
  const files = Array.from({length: count}, (_, i) => ({
    bucket: 'photos',
    path: `fleet/${first + i}.txt`,
    body: 'x',
  }));
  const {succeeded, failed} = await uploadMany(api, files, {concurrency: 8});
  client.disconnect();
  return {succeeded, failed, roundTrips: store.stats().roundTrips};
};

/** Starts a throwaway redis-server on a free loopback port (no persistence). */
const startRedis = async (): Promise<{url: string; stop: () => void} | undefined> => {
  try {
    execFileSync('sh', ['-c', 'command -v redis-server'], {stdio: 'ignore'});
  } catch {
    return undefined;
  }
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'fleet-example-'));
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {stdio: ['ignore', 'pipe', 'inherit']},
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      server.kill('SIGKILL');
      rmSync(dir, {recursive: true, force: true});
    },
  };
};

if (process.send !== undefined) {
  // A worker: do the job the parent sends, report, and leave.
  process.once('message', async (job: Job) => {
    process.send?.(await work(job));
    process.disconnect();
  });
} else {
  const external = process.env.REDIS_URL;
  const redis = external === undefined ? await startRedis() : {url: external, stop: () => {}};
  if (redis === undefined) {
    console.log('skipped: redis-server is not installed and REDIS_URL is not set');
  } else {
    // One bucket for the whole fleet: 60 uploads a second, bursts of 10.
    const sim = createUpyunSimulator({credentials, ratePerSecond: 60, burst: 10, storeBodies: false});
    const bucket = await startUpyunServer(sim);
    try {
      const share = FILES / WORKERS;
      const reports = await Promise.all(
        Array.from(
          {length: WORKERS},
          (_, i) =>
            new Promise<Report>((resolve, reject) => {
              const worker = fork(new URL(import.meta.url));
              worker.once('message', (report: Report) => resolve(report));
              worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
              worker.send({
                url: bucket.url,
                redisUrl: redis.url,
                first: i * share,
                count: share,
              } satisfies Job);
            }),
        ),
      );
      const sum = (pick: (report: Report) => number) =>
        reports.reduce((total, report) => total + pick(report), 0);
      const {requests, throttled} = sim.counters;
      console.log(`${WORKERS} workers uploaded ${sum((r) => r.succeeded)}, failed ${sum((r) => r.failed)}`);
      console.log(
        `${requests} requests, ${throttled} throttled (429), ${sum((r) => r.roundTrips)} Redis round trips`,
      );
    } finally {
      await bucket.close();
      redis.stop();
    }
  }
}
