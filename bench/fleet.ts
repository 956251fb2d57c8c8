/**
 * @module Fleet: 4 worker processes share one UPYUN bucket (R = 150/s, burst 15) through a Redis
 * store, beside the same workers pacing alone; then the Redis run with `redis-server` SIGKILLed at
 * 40 % of the files; then BrightData's throttle guard across 4 processes against an all-429 server.
 * Needs Debian's `redis-server`. Prints ratios to N/R, the 429 share, lost/twice and Redis round
 * trips per request; it asserts nothing about time.
 */
import {type ChildProcess, fork} from 'node:child_process';
import {createServer} from 'node:http';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {redisMissing, startRedisServer} from '../test/helpers/redis-server.ts';
import type {FleetJob, FleetMessage} from './fleet-worker.ts';
import {fixed, printTable} from './measure.ts';

const WORKERS = 4;
const FILES = 900;
const RATE = 150;
const BURST = 15;
const CONCURRENCY_PER_WORKER = 10;
const GUARD_CALLS_PER_WORKER = 15;

type Done = Extract<FleetMessage, {type: 'done'}>;

/**
 * Forks the workers and hands each its job; once all are set up, tells them to start together
 * and calls `onStart` (the clock starts there), then collects their reports. `onDone` runs at
 * each report: the fleet's work ends at the last one, whatever the processes' teardown takes.
 */
const runWorkers = async (
  jobs: readonly FleetJob[],
  onProgress: () => void,
  onStart: () => void,
  onDone: () => void = () => {},
): Promise<Done[]> => {
  const children: ChildProcess[] = [];
  let readyCount = 0;
  let allReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    allReady = resolve;
  });
  const reports = jobs.map(
    (job) =>
      new Promise<Done>((resolve, reject) => {
        const child: ChildProcess = fork(new URL('./fleet-worker.ts', import.meta.url), [], {
          stdio: 'inherit',
        });
        children.push(child);
        let done: Done | undefined;
        child.on('message', (message: FleetMessage) => {
          if (message.type === 'progress') onProgress();
          else if (message.type === 'ready') {
            readyCount++;
            if (readyCount === jobs.length) allReady();
          } else {
            done = message;
            onDone();
          }
        });
        child.once('exit', (code) => {
          // A worker that dies before it is ready must not leave the others waiting for the start.
          allReady();
          if (done === undefined) reject(new Error(`worker exited with ${code} before reporting`));
          else resolve(done);
        });
        child.send(job);
      }),
  );
  await ready;
  onStart();
  for (const child of children) {
    if (child.connected) child.send('go');
  }
  return Promise.all(reports);
};

const share = (total: number, index: number) => {
  const size = Math.ceil(total / WORKERS);
  return {first: index * size, count: Math.max(0, Math.min(size, total - index * size))};
};

type Row = Record<string, string | number>;

/** Where the Redis round trips of a run went, per request (the retry budget and breaker included). */
const tripKinds = (label: string, reports: readonly Done[], requests: number): Row => {
  const totals = new Map<string, number>();
  for (const report of reports) {
    for (const [kind, trips] of Object.entries(report.tripsByLabel)) {
      totals.set(kind, (totals.get(kind) ?? 0) + trips);
    }
  }
  const take = (...kinds: string[]) => {
    let sum = 0;
    for (const kind of kinds) {
      sum += totals.get(kind) ?? 0;
      totals.delete(kind);
    }
    return fixed(sum / requests, 2);
  };
  return {
    run: label,
    admission: take('admit', 'limiter:admit'),
    'learning (onSuccess)': take('limiter:learn'),
    onThrottle: take('limiter:throttle'),
    'throttle guard': take('guard:admit', 'guard:settle'),
    'retry budget': take('budget:retry', 'budget:refill'),
    breaker: take('breaker:permit', 'breaker:sync', 'breaker:record', 'breaker:release'),
    'other reads': take(...totals.keys()),
  };
};

const tripRows: Row[] = [];

const uploadRun = async (
  label: string,
  redisUrl: string | undefined,
  killAt?: {fraction: number; kill: () => Promise<void>},
): Promise<Row> => {
  const sim = createUpyunSimulator({ratePerSecond: RATE, burst: BURST, storeBodies: false, seed: 16});
  const server = await startUpyunServer(sim);
  const prefix = `fleet-${Date.now()}`;
  let progress = 0;
  let killed: Promise<void> | undefined;
  let killedAt: number | undefined;
  const forked = performance.now();
  let started = forked;
  let finished = forked;
  let reports: Done[];
  try {
    reports = await runWorkers(
      Array.from({length: WORKERS}, (_, i) => ({
        mode: 'upload' as const,
        url: server.url,
        redisUrl,
        prefix,
        ...share(FILES, i),
        concurrency: CONCURRENCY_PER_WORKER,
      })),
      () => {
        progress++;
        if (killAt !== undefined && killed === undefined && progress >= FILES * killAt.fraction) {
          killedAt = performance.now();
          killed = killAt.kill();
        }
      },
      () => {
        started = performance.now();
      },
      () => {
        finished = performance.now();
      },
    );
  } finally {
    await killed;
    await server.close();
  }
  // Until the last worker reported its work done, not until the processes exit: with Redis killed
  // a worker exits about 2 s after its report (a timer outlives the work), time no upload waits for.
  const seconds = (finished - started) / 1000;
  const {requests, throttled} = sim.counters;
  const stored = [...sim.files.values()].filter((file) => file.path.startsWith('/fleet/f/'));
  const roundTrips = reports.reduce((sum, report) => sum + report.roundTrips, 0);
  const errors = reports.flatMap((report) => report.errors);
  if (redisUrl !== undefined) tripRows.push(tripKinds(label, reports, requests));
  if (errors.length > 0) console.log(`${label}: first errors: ${errors.slice(0, 3).join(' | ')}`);
  return {
    run: label,
    seconds: fixed(seconds),
    'time / (N/R)': fixed(seconds / (FILES / RATE)),
    requests,
    '429 share': `${fixed((throttled / requests) * 100, 1)}%`,
    'reported ok': reports.reduce((sum, report) => sum + report.succeeded, 0),
    lost: FILES - stored.length,
    twice: stored.filter((file) => file.writes > 1).length,
    'redis trips / request': redisUrl === undefined ? '-' : fixed(roundTrips / requests, 2),
    'local answers': reports.reduce((sum, report) => sum + report.fallbacks, 0),
    // Forking 4 Node processes and connecting to Redis, before the start: not the fleet's pacing.
    'startup s': fixed((started - forked) / 1000),
    'killed at s': killedAt === undefined ? '-' : fixed((killedAt - started) / 1000),
  };
};

/** BrightData's guard across the fleet: a server that answers 429 to everything counts what reaches it. */
const guardRun = async (label: string, redisUrl: string | undefined): Promise<Row> => {
  let received = 0;
  const server = createServer((_request, response) => {
    received++;
    response.writeHead(429, {'content-type': 'text/plain'}).end('Too Many Requests');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  let reports: Done[];
  try {
    reports = await runWorkers(
      Array.from({length: WORKERS}, (_, i) => ({
        mode: 'guard' as const,
        url,
        redisUrl,
        prefix: `guard-${Date.now()}`,
        first: i * GUARD_CALLS_PER_WORKER,
        count: GUARD_CALLS_PER_WORKER,
        concurrency: 1,
      })),
      () => {},
      () => {},
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  if (redisUrl !== undefined) tripRows.push(tripKinds(label, reports, WORKERS * GUARD_CALLS_PER_WORKER));
  return {
    run: label,
    calls: WORKERS * GUARD_CALLS_PER_WORKER,
    '429s that reached the server': received,
    'errors seen': [...new Set(reports.flatMap((report) => report.errors))].join(', '),
  };
};

export const runFleet = async () => {
  const missing = redisMissing();
  if (missing !== undefined) {
    console.log(`fleet bench skipped: ${missing}`);
    return undefined;
  }
  const redis = await startRedisServer();
  try {
    const uploads = [
      await uploadRun('4 workers, Redis store', redis.url),
      await uploadRun('4 workers, each alone', undefined),
      await uploadRun('4 workers, Redis SIGKILLed at 40%', redis.url, {fraction: 0.4, kill: redis.kill}),
    ];
    printTable(
      `Fleet: ${WORKERS} processes × ${CONCURRENCY_PER_WORKER} in flight, ${FILES} uploads, one bucket at R = ${RATE}/s burst ${BURST} (N/R = ${FILES / RATE} s)`,
      uploads,
    );
    await redis.restart();
    const guards = [
      await guardRun('BrightData guard, Redis store', redis.url),
      await guardRun('BrightData guard, each alone', undefined),
    ];
    printTable(`BrightData guard: ${WORKERS} processes against a server answering 429 to everything`, guards);
    printTable(
      'Redis round trips per request (per call for the guard), by kind; the retry budget and breaker are shared too',
      tripRows,
    );
    return {uploads, guards, trips: tripRows};
  } finally {
    await redis.stop();
  }
};

if (import.meta.main) {
  await runFleet();
}
