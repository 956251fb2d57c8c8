/**
 * @module Polling cost and latency: `waitForSnapshot()` against a fixed 1 s loop and BrightData's
 * own 10 s default, on the BrightData simulator under a virtual clock. Prints tables; asserts nothing.
 *
 * Run with `node bench/polling.ts` (Node 24 strips the types). The clock is virtual: every timer
 * fires at once in time order, so hours of polling take well under a second, and the times in the
 * tables are simulated time, exact to the millisecond.
 */
import {printTable} from './measure.ts';

type Timer = {readonly at: number; readonly seq: number; readonly run: () => void};

/** Replaces the global timers and `Date.now` with a clock that only moves when everything waits. */
const installVirtualClock = () => {
  const realSetImmediate = globalThis.setImmediate;
  const timers = new Map<number, Timer>();
  let now = Date.UTC(2026, 0, 1);
  let sequence = 0;
  const handle = (id: number) => ({
    id,
    ref: () => handle(id),
    unref: () => handle(id),
    hasRef: () => true,
    refresh: () => handle(id),
    [Symbol.toPrimitive]: () => id,
  });
  const idOf = (value: unknown): number =>
    typeof value === 'number' ? value : Number((value as {id?: unknown} | undefined)?.id);
  const setTimeoutVirtual = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = ++sequence;
    timers.set(id, {at: now + Math.max(0, Number(ms) || 0), seq: id, run: () => callback(...args)});
    return handle(id);
  };
  Object.assign(globalThis, {
    setTimeout: setTimeoutVirtual,
    clearTimeout: (value: unknown) => timers.delete(idOf(value)),
  });
  Date.now = () => now;
  const idle = async (): Promise<void> => {
    // Several macrotask turns: in-process fetches and streams settle through microtasks only.
    for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => realSetImmediate(resolve));
  };
  /** Runs `task` to completion, firing timers in time order whenever nothing else can run. */
  const drive = async <T>(task: Promise<T>): Promise<T> => {
    let settled = false;
    const watched = task.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    for (let step = 0; step < 1_000_000; step++) {
      await idle();
      if (settled) break;
      const next = [...timers.values()].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) throw new Error('deadlock: the task waits on something other than a timer');
      timers.delete(next.seq);
      now = Math.max(now, next.at);
      next.run();
    }
    return watched;
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeoutVirtual(() => resolve(), ms));
  return {drive, sleep, now: () => now};
};

const clock = installVirtualClock();

// Imported after the clock is installed, so every timer the library and ky set is virtual.
const {default: ky} = await import('ky');
const {withVendor} = await import('../src/ky/with-vendor.ts');
const {brightdataFetch, createBrightdataSimulator} = await import('../src/testing/brightdata/index.ts');
const {brightdata, downloadSnapshot, waitForSnapshot} = await import('../src/vendors/brightdata/index.ts');
type Sim = ReturnType<typeof createBrightdataSimulator>;

/** Simulated time one request takes, there and back. */
const REQUEST_MS = 150;
const READY_AFTER_S = [5, 30, 95, 300, 900];
const RUNS = 20;

/** An in-process BrightData whose every answer takes `REQUEST_MS` of virtual time. */
const slowFetch = (sim: Sim): typeof fetch => {
  const answer = brightdataFetch(sim);
  return async (input, init) => {
    await clock.sleep(REQUEST_MS / 2);
    const response = await answer(input, init);
    await clock.sleep(REQUEST_MS / 2);
    return response;
  };
};

type Strategy = {
  readonly name: string;
  readonly wait: (sim: Sim, snapshotId: string) => Promise<unknown>;
};

/** A fixed-interval loop on plain ky, as the CLI (1 s) and the official SDKs (10 s) poll. */
const fixedLoop =
  (intervalMs: number) =>
  async (sim: Sim, snapshotId: string): Promise<unknown> => {
    const api = ky.create({prefix: 'https://api.brightdata.com', fetch: slowFetch(sim)});
    for (let attempt = 0; attempt < 100_000; attempt++) {
      const {status} = await api.get(`datasets/v3/progress/${snapshotId}`).json<{status: string}>();
      if (status === 'ready') return status;
      if (status === 'failed') throw new Error('failed');
      await clock.sleep(intervalMs);
    }
    throw new Error('gave up');
  };

const strategies: readonly Strategy[] = [
  {
    name: 'waitForSnapshot',
    wait: (sim, snapshotId) => {
      const api = ky.create({
        prefix: 'https://api.brightdata.com',
        fetch: slowFetch(sim),
        ...withVendor(brightdata, {random: () => 0.5}),
      });
      return waitForSnapshot(api, snapshotId, {timeoutMs: 3_600_000});
    },
  },
  {name: 'fixed 1 s loop (ky)', wait: fixedLoop(1_000)},
  {name: 'SDK default 10 s loop (ky)', wait: fixedLoop(10_000)},
];

type Result = {readonly requests: number; readonly latencyMs: number; readonly completed: boolean};

const measure = async (strategy: Strategy, readyAfterMs: number, errorRate: number, seed: number) => {
  const sim = createBrightdataSimulator({readyAfterMs, progressErrorRate: errorRate, seed});
  const answer = sim.handle({
    method: 'POST',
    url: '/datasets/v3/trigger?dataset_id=gd_bench',
    body: JSON.stringify([{url: 'https://example.com/'}]),
  });
  const {snapshot_id: snapshotId} = JSON.parse(answer.body) as {snapshot_id: string};
  const readyAt = sim.jobs.get(snapshotId)?.readyAt ?? clock.now();
  let completed = true;
  try {
    await clock.drive(strategy.wait(sim, snapshotId));
  } catch {
    completed = false;
  }
  return {
    requests: sim.counters.requests.progress,
    latencyMs: clock.now() - readyAt,
    completed,
  } satisfies Result;
};

const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

const table = async (title: string, errorRate: number): Promise<void> => {
  const rows: Record<string, string | number>[] = [];
  for (const seconds of READY_AFTER_S) {
    for (const strategy of strategies) {
      const results: Result[] = [];
      for (let run = 0; run < RUNS; run++) {
        results.push(await measure(strategy, seconds * 1000, errorRate, run + 1));
      }
      const done = results.filter((result) => result.completed);
      rows.push({
        'ready after': `${seconds} s`,
        strategy: strategy.name,
        'progress requests': mean(done.map((result) => result.requests)).toFixed(1),
        'bound ceil(T/H)+2': Math.ceil(seconds / 10) + 2,
        'detection latency': `${(mean(done.map((result) => result.latencyMs)) / 1000).toFixed(2)} s`,
        'max latency': `${(Math.max(...done.map((result) => result.latencyMs)) / 1000).toFixed(2)} s`,
        completed: `${done.length}/${results.length}`,
      });
    }
  }
  printTable(title, rows);
};

/**
 * The short-hint case: the snapshot answers 202 "try again in 1s" (and `Retry-After: 1`) until it
 * is ready, and once more right after (the race both official SDKs meet). The policy follows the
 * stated 1 s; a naive loop on plain ky asks every second. Latency is ready → data in hand.
 */
const shortHint = async (): Promise<void> => {
  const HINT_S = 1;
  const rows: Record<string, string | number>[] = [];
  const downloadLoop = async (sim: Sim, snapshotId: string): Promise<unknown> => {
    const api = ky.create({prefix: 'https://api.brightdata.com', fetch: slowFetch(sim)});
    for (let attempt = 0; attempt < 100_000; attempt++) {
      const response = await api.get(`datasets/v3/snapshot/${snapshotId}`, {searchParams: {format: 'json'}});
      if (response.status === 200) return await response.text();
      await response.body?.cancel();
      await clock.sleep(1000);
    }
    throw new Error('gave up');
  };
  const policy = async (sim: Sim, snapshotId: string): Promise<unknown> => {
    const api = ky.create({
      prefix: 'https://api.brightdata.com',
      fetch: slowFetch(sim),
      ...withVendor(brightdata, {random: () => 0.5}),
    });
    const response = await downloadSnapshot(api, snapshotId, {format: 'json', timeoutMs: 3_600_000});
    return await response.text();
  };
  for (const seconds of [3, 8]) {
    const medians: Record<string, number> = {};
    for (const [name, wait] of [
      ['downloadSnapshot (policy)', policy],
      ['naive 1 s loop (ky)', downloadLoop],
    ] as const) {
      const latencies: number[] = [];
      const requests: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const sim = createBrightdataSimulator({
          readyAfterMs: seconds * 1000,
          hintSec: HINT_S,
          buildingDownloads: 1,
          seed: run + 1,
        });
        const answer = sim.handle({
          method: 'POST',
          url: '/datasets/v3/trigger?dataset_id=gd_bench',
          body: JSON.stringify([{url: 'https://example.com/'}]),
        });
        const {snapshot_id: snapshotId} = JSON.parse(answer.body) as {snapshot_id: string};
        const readyAt = sim.jobs.get(snapshotId)?.readyAt ?? clock.now();
        await clock.drive(wait(sim, snapshotId));
        latencies.push(clock.now() - readyAt);
        requests.push(sim.counters.requests.snapshot);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
      medians[name] = median;
      rows.push({
        'ready after': `${seconds} s`,
        strategy: name,
        'median ready→data': `${(median / 1000).toFixed(2)} s`,
        'max requests per job': Math.max(...requests),
        'bound ceil(T/H)+3': Math.ceil(seconds / HINT_S) + 3,
      });
    }
    const [policyMedian, naiveMedian] = Object.values(medians) as [number, number];
    rows.push({
      'ready after': `${seconds} s`,
      strategy: 'policy ÷ naive (median latency)',
      'median ready→data': (policyMedian / naiveMedian).toFixed(2),
      'max requests per job': '',
      'bound ceil(T/H)+3': '',
    });
  }
  printTable(`Short hint (202 "try again in ${HINT_S}s", one 202 after ready, ${RUNS} runs per cell)`, rows);
};

const started = performance.now();
await table(`Healthy API (hint H = 10 s, ${REQUEST_MS} ms per request, ${RUNS} runs per cell)`, 0);
await shortHint();
await table(`10% of progress requests answer 500 (${RUNS} runs per cell; latency over completed runs)`, 0.1);
console.log(`\nVirtual clock; wall time ${((performance.now() - started) / 1000).toFixed(1)} s.`);
