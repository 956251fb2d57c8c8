/** @module Demo section 2: an UPYUN batch upload through a bucket's rate limit, paced by the limiter. */
import ky from 'ky';
import {createLimiter, upyun, withVendor} from '../../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../../src/testing/index.ts';
import {uploadMany, upyunAuth} from '../../src/vendors/upyun/index.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Row} from './row.ts';
import {section} from './section.ts';

/** UPYUN: a batch through a bucket's rate limit, paced by the adaptive limiter. */
export const upyunSection = async (): Promise<Row> => {
  const files = 240;
  const ratePerSecond = 60;
  section(
    2,
    'UPYUN: upload a batch through throttling',
    `${files} files at concurrency 24 into a bucket that accepts ${ratePerSecond} requests/s (burst 10) and fails`,
    '2% with a transient 503. The limiter learns the rate from the 429s and sends at it.',
  );
  const started = Date.now();
  const credentials = {operator: 'demo-operator', password: 'demo-password'};
  const sim = createUpyunSimulator({
    credentials,
    ratePerSecond,
    burst: 10,
    transientErrorRate: 0.02,
    seed: 11,
  });
  const server = await startUpyunServer(sim);
  const limiter = createLimiter({key: () => 'upyun:demo'});
  const counter = retryCounter(() => undefined);
  try {
    const api = ky.create({
      prefix: server.url,
      timeout: false,
      ...withVendor(upyun, {
        auth: upyunAuth(credentials),
        limiter,
        totalTimeoutMs: 60_000,
        onRetry: counter.onRetry,
      }),
    });
    const batch = Array.from({length: files}, (_, index) => ({
      bucket: 'demo-bucket',
      path: `photos/${String(index).padStart(4, '0')}.jpg`,
      body: new Uint8Array(512).fill(index % 256),
      contentType: 'image/jpeg',
    }));
    // The limiter's state is read asynchronously; the tally shows the latest reading.
    let pace = '-';
    const result = await uploadMany(api, batch, {
      concurrency: 24,
      onProgress: ({done, total, succeeded, failed}) => {
        void limiter.state('upyun:demo').then((state) => {
          pace = state === undefined ? pace : state.ratePerSecond.toFixed(0);
        });
        const {throttled, transient} = sim.counters;
        const tally = `${succeeded} stored, ${failed} failed | 429s ${throttled}, 503s ${transient}`;
        out.update(`      ${done}/${total}: ${tally} | pace ${pace}/s`, done % 60 === 0);
      },
    });
    const stats = sim.counters;
    const storedOnce = [...sim.files.values()].filter((file) => file.writes === 1).length;
    out.say(
      `      ${result.succeeded}/${files} stored (${storedOnce} exactly once), ${result.failed} failed; ${stats.throttled} 429s and ${stats.transient} 503s were resent`,
    );
    return {
      vendor: 'UPYUN',
      scenario: `${files} uploads at ${ratePerSecond}/s, limiter on`,
      requests: stats.requests,
      retries: counter.summary(),
      outcome: `${result.succeeded}/${files} stored`,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await server.close();
  }
};
