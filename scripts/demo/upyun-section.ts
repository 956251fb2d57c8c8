/** @module Demo section 2: an UPYUN batch upload through a bucket's rate limit, paced by the limiter. */
import ky from 'ky';
import {createLimiter, upyun, withVendor} from '../../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../../src/testing/index.ts';
import {uploadMany, upyunAuth} from '../../src/vendors/upyun/index.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Outcome, Row} from './row.ts';
import {section} from './section.ts';
import {isWaitOrResend, plainUpyun} from './upyun-plain.ts';

const FILES = 240;
const CONCURRENCY = 24;
const RATE_PER_SECOND = 60;
const credentials = {operator: 'demo-operator', password: 'demo-password'};

/** The bucket both clients upload to: the same options and seed each time. */
const simulator = () =>
  createUpyunSimulator({
    credentials,
    ratePerSecond: RATE_PER_SECOND,
    burst: 10,
    transientErrorRate: 0.02,
    seed: 11,
  });

const batch = Array.from({length: FILES}, (_, index) => ({
  bucket: 'demo-bucket',
  path: `photos/${String(index).padStart(4, '0')}.jpg`,
  body: new Uint8Array(512).fill(index % 256),
  contentType: 'image/jpeg',
}));

/** The batch through `withVendor(upyun, {limiter})` and `uploadMany`. */
const withPolicy = async (): Promise<Outcome> => {
  const sim = simulator();
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
    // The limiter's state is read asynchronously; the tally shows the latest reading.
    let pace = '-';
    const result = await uploadMany(api, batch, {
      concurrency: CONCURRENCY,
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
      `      ky-vendors: ${result.succeeded}/${FILES} stored (${storedOnce} exactly once), ${result.failed} failed; ${stats.throttled} 429s and ${stats.transient} 503s were resent (${counter.summary()})`,
    );
    return {
      requests: stats.requests,
      lost: FILES - result.succeeded,
      // Counted as for plain ky: a file given up on after a 429 or a 503.
      wrongFailures: result.results.filter(
        (entry) => !entry.ok && isWaitOrResend((entry.error as {status?: unknown}).status),
      ).length,
      result: `${result.succeeded}/${FILES} stored`,
    };
  } finally {
    await server.close();
  }
};

/** The same batch through plain ky with its default retry (two retries, honouring Retry-After). */
const withPlainKy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startUpyunServer(sim);
  try {
    const outcome = await plainUpyun(server.url, credentials, batch, CONCURRENCY);
    const stats = sim.counters;
    out.say(`      plain ky: ${outcome.result}; the bucket answered ${stats.throttled} 429s`);
    return {...outcome, requests: stats.requests};
  } finally {
    await server.close();
  }
};

/** UPYUN: a batch through a bucket's rate limit, plain ky first, then paced by the adaptive limiter. */
export const upyunSection = async (): Promise<Row> => {
  section(
    2,
    'UPYUN: upload a batch through throttling',
    `${FILES} files at concurrency ${CONCURRENCY} into a bucket that accepts ${RATE_PER_SECOND} requests/s (burst 10) and fails`,
    '2% with a transient 503. Plain ky retries twice and gives up; the limiter learns the rate',
    'from the 429s and sends at it.',
  );
  const started = Date.now();
  const plain = await withPlainKy();
  const policy = await withPolicy();
  return {
    vendor: 'UPYUN',
    scenario: `${FILES} uploads at ${RATE_PER_SECOND}/s, 2% transient 503s`,
    unit: 'uploads',
    total: FILES,
    plain,
    policy,
    elapsedMs: Date.now() - started,
  };
};
