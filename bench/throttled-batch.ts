/**
 * @module Throttled batch: 600 distinct uploads at concurrency 40 into an UPYUN simulator that
 * accepts R = 150 uploads/s (burst 15) and fails 1% of requests with a transient 503. Compares
 * ky-vendors (limiter on) with ky's default retry and with p-retry's defaults, in the same run.
 */
import ky, {type KyInstance} from 'ky';
import pRetry from 'p-retry';
import {upyun, withVendor} from '../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {uploadMany} from '../src/vendors/upyun/index.ts';
import {fixed, printTable} from './measure.ts';

const FILES = 600;
const CONCURRENCY = 40;
const RATE = 150;
const BURST = 15;

type Outcome = {
  client: string;
  seconds: number;
  ideal: number;
  requests: number;
  throttled: number;
  uploaded: number;
  lost: number;
  storedTwice: number;
};

const files = Array.from({length: FILES}, (_, i) => ({
  bucket: 'bench',
  path: `batch/file-${i}.txt`,
  body: new TextEncoder().encode(`file ${i}\n`),
  contentType: 'text/plain',
}));

/** Runs `upload` over every file with a fixed worker pool; counts what the caller saw succeed. */
const runPool = async (upload: (file: (typeof files)[number]) => Promise<unknown>) => {
  let next = 0;
  let ok = 0;
  await Promise.all(
    Array.from({length: CONCURRENCY}, async () => {
      while (next < files.length) {
        const file = files[next++];
        if (file === undefined) break;
        try {
          await upload(file);
          ok++;
        } catch {
          // A lost upload: counted below from what the simulator stored.
        }
      }
    }),
  );
  return ok;
};

const measure = async (client: string, run: (prefix: string) => Promise<number>): Promise<Outcome> => {
  const sim = createUpyunSimulator({
    ratePerSecond: RATE,
    burst: BURST,
    transientErrorRate: 0.01,
    storeBodies: false,
    seed: 7,
  });
  const server = await startUpyunServer(sim);
  const started = performance.now();
  let reported = 0;
  try {
    reported = await run(server.url);
  } finally {
    await server.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = sim.counters;
  const stored = [...sim.files.values()].filter((file) => file.path.startsWith('/bench/batch/'));
  return {
    client,
    seconds,
    ideal: FILES / RATE,
    requests: stats.requests,
    throttled: stats.throttled,
    uploaded: reported,
    lost: FILES - stored.length,
    storedTwice: stored.filter((file) => file.writes > 1).length,
  };
};

const put = (api: KyInstance, file: (typeof files)[number]) =>
  api.put(`${file.bucket}/${file.path}`, {body: file.body, headers: {'content-type': file.contentType}});

export const runThrottledBatch = async () => {
  const outcomes = [
    await measure('ky-vendors (withVendor + limiter)', async (prefix) => {
      const api = ky.create({
        prefix,
        timeout: false,
        ...withVendor(upyun, {limiter: true, totalTimeoutMs: 120_000}),
      });
      const result = await uploadMany(api, files, {concurrency: CONCURRENCY});
      return result.succeeded;
    }),
    await measure('ky default retry', async (prefix) => {
      const api = ky.create({prefix});
      return runPool((file) => put(api, file));
    }),
    await measure('p-retry defaults around ky', async (prefix) => {
      const api = ky.create({prefix, retry: 0});
      return runPool((file) => pRetry(() => put(api, file)));
    }),
  ];
  printTable(
    `Throttled batch: ${FILES} uploads, concurrency ${CONCURRENCY}, simulator R = ${RATE}/s burst ${BURST}, 1% transient 503s`,
    outcomes.map((o) => ({
      client: o.client,
      seconds: fixed(o.seconds),
      'time / ideal': fixed(o.seconds / o.ideal),
      requests: o.requests,
      '429 share': `${fixed((o.throttled / o.requests) * 100, 1)}%`,
      'reported ok': o.uploaded,
      lost: o.lost,
      'stored twice': o.storedTwice,
    })),
  );
  return outcomes;
};

if (import.meta.main) {
  await runThrottledBatch();
}
