/**
 * @module The clients compared by the throttled-batch bench: the default one-liner with a pool of
 * `api.put` calls, `uploadMany` on a default instance, ky's default retry, and bottleneck told the
 * true rate. Each uploads every file it can until the deadline and reports what it saw fail.
 */
import Bottleneck from 'bottleneck';
import ky, {HTTPError, type KyInstance} from 'ky';
import {upyun, withVendor} from '../src/index.ts';
import {uploadMany} from '../src/vendors/upyun/index.ts';
import type {BatchScenario} from './batch-scenarios.ts';

/** One file of a batch. */
export type BatchFile = {
  readonly bucket: string;
  readonly path: string;
  readonly body: Uint8Array<ArrayBuffer>;
  readonly contentType: string;
};

/** What a client ran against. */
export type BatchRun = {
  readonly prefix: string;
  readonly files: readonly BatchFile[];
  readonly scenario: BatchScenario;
  readonly concurrency: number;
  /** When the batch stops: no new file starts, and uploads in flight are aborted. */
  readonly deadlineMs: number;
};

/** What a client saw: failures by error name, and files never started before the deadline. */
export type ClientReport = {
  readonly failures: Readonly<Record<string, number>>;
  readonly unstarted: number;
};

/** A client under test. */
export type BatchClient = {
  readonly name: string;
  readonly run: (run: BatchRun) => Promise<ClientReport>;
};

const nameOf = (error: unknown): string =>
  error instanceof Error
    ? error.constructor.name === 'Error'
      ? error.name
      : error.constructor.name
    : typeof error;

/** Runs `upload` over every file with a fixed pool of workers until the deadline. */
const runPool = async (
  run: BatchRun,
  upload: (file: BatchFile, signal: AbortSignal) => Promise<unknown>,
): Promise<ClientReport> => {
  const signal = AbortSignal.timeout(run.deadlineMs);
  const failures: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({length: run.concurrency}, async () => {
      while (next < run.files.length && !signal.aborted) {
        const file = run.files[next++];
        if (file === undefined) break;
        try {
          await upload(file, signal);
        } catch (error) {
          const name = nameOf(error);
          failures[name] = (failures[name] ?? 0) + 1;
        }
      }
    }),
  );
  return {failures, unstarted: run.files.length - Math.min(next, run.files.length)};
};

const put = (api: KyInstance, file: BatchFile, signal: AbortSignal) =>
  api.put(`${file.bucket}/${file.path}`, {
    body: file.body,
    headers: {'content-type': file.contentType},
    signal,
  });

/**
 * One upload through bottleneck, resent through its queue (so paced like any other job) after a
 * 429 at once, after a 5xx in 200 ms, at most 5 times. Bottleneck's own `failed` retries skip the
 * queue and `minTime`, so they are not used.
 */
const throughQueue = async (limiter: Bottleneck, send: () => Promise<unknown>): Promise<unknown> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await limiter.schedule(send);
    } catch (error) {
      const status = error instanceof HTTPError ? error.response.status : 0;
      if (attempt >= 5 || !(status === 429 || status >= 500)) throw error;
      if (status >= 500) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
};

/** Tells a bottleneck limiter (or each of a group's) the true rate as it changes; returns a stop. */
const followTrueRate = (scenario: BatchScenario, apply: (minTime: number) => void): (() => void) => {
  const minTimeOf = (ratePerSecond: number) =>
    ratePerSecond === Number.POSITIVE_INFINITY ? 0 : 1000 / ratePerSecond;
  const timers = scenario.trueRate
    .filter((step) => step.atMs > 0)
    .map((step) => setTimeout(() => apply(minTimeOf(step.ratePerSecond)), step.atMs));
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
};

const firstMinTime = (scenario: BatchScenario): number => {
  const rate = scenario.trueRate[0]?.ratePerSecond ?? Number.POSITIVE_INFINITY;
  return rate === Number.POSITIVE_INFINITY ? 0 : 1000 / rate;
};

/** The clients, in the order they run. */
export const BATCH_CLIENTS: readonly BatchClient[] = [
  {
    name: 'withVendor(upyun), api.put pool',
    run: (run) => {
      const api = ky.create({prefix: run.prefix, ...withVendor(upyun)});
      return runPool(run, (file, signal) => put(api, file, signal));
    },
  },
  {
    name: 'withVendor(upyun), uploadMany',
    run: async (run) => {
      const api = ky.create({prefix: run.prefix, ...withVendor(upyun)});
      const result = await uploadMany(api, run.files, {
        concurrency: run.concurrency,
        timeoutMs: run.deadlineMs,
      });
      const failures: Record<string, number> = {};
      let unstarted = 0;
      for (const entry of result.results) {
        if (entry.ok) continue;
        if (!entry.attempted) {
          unstarted++;
          continue;
        }
        const name = nameOf(entry.error);
        failures[name] = (failures[name] ?? 0) + 1;
      }
      return {failures, unstarted};
    },
  },
  {
    name: "ky's default retry",
    run: (run) => {
      const api = ky.create({prefix: run.prefix});
      return runPool(run, (file, signal) => put(api, file, signal));
    },
  },
  {
    name: 'bottleneck told the true rate',
    run: async (run) => {
      const api = ky.create({prefix: run.prefix, retry: 0});
      const minTime = firstMinTime(run.scenario);
      const group = new Bottleneck.Group({minTime, maxConcurrent: run.concurrency});
      const stop = followTrueRate(run.scenario, (next) => group.updateSettings({minTime: next}));
      // A group applies new settings to limiters it creates later; update the existing ones too.
      const stopExisting = followTrueRate(run.scenario, (next) => {
        for (const limiter of group.limiters()) limiter.limiter.updateSettings({minTime: next});
      });
      try {
        return await runPool(run, (file, signal) =>
          throughQueue(group.key(file.bucket), () => put(api, file, signal)),
        );
      } finally {
        stop();
        stopExisting();
        await Promise.all(group.limiters().map(({limiter}) => limiter.disconnect()));
      }
    },
  },
];
