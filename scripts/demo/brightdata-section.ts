/** @module Demo section 1: a BrightData collect through a throttled trigger, a 500 and a racing download. */
import ky from 'ky';
import {withVendor} from '../../src/index.ts';
import {createBrightdataSimulator, startBrightdataServer} from '../../src/testing/index.ts';
import {brightdata, brightdataAuth, collect, snapshotRecords} from '../../src/vendors/brightdata/index.ts';
import {plainCollect} from './brightdata-plain.ts';
import {plural, seconds} from './format.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Outcome, Row} from './row.ts';
import {section} from './section.ts';

const TOO_MANY_JOBS =
  'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request. Running jobs: 10>=10';

const API_KEY = 'demo-key';
const DATASET = 'gd_demo_products';
const POLL_MS = 500;
const inputs = [
  {url: 'https://example.com/p/1'},
  {url: 'https://example.com/p/2'},
  {url: 'https://example.com/p/3'},
];

/** The account both clients use: the same options, faults and seed each time. */
const simulator = () => {
  const sim = createBrightdataSimulator({
    apiKey: API_KEY,
    startingMs: 800,
    readyAfterMs: 3_000,
    buildingDownloads: 1,
    seed: 7,
  });
  sim.inject('trigger', {status: 429, body: TOO_MANY_JOBS});
  sim.inject('progress', {status: 500, body: 'Internal server error'});
  return sim;
};

const requestsOf = (sim: ReturnType<typeof simulator>): number =>
  Object.values(sim.counters.requests).reduce((sum, count) => sum + count, 0);

/** The collect with plain ky and its default retry. */
const withPlainKy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startBrightdataServer(sim);
  try {
    const outcome = await plainCollect(server.url, API_KEY, DATASET, inputs, POLL_MS);
    out.say(`      plain ky: ${outcome.result}; ${plural(sim.counters.jobsCreated, 'job')} paid`);
    return {...outcome, requests: requestsOf(sim)};
  } finally {
    await server.close();
  }
};

/** The collect through `withVendor(brightdata)` and `collect`. */
const withPolicy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startBrightdataServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs, url}) =>
      `      ${new URL(url).pathname.split('/')[3] ?? ''} answered ${verdict.status} (${verdict.action}): resent in ${delayMs} ms`,
  );
  try {
    const api = ky.create({
      prefix: server.url,
      ...withVendor(brightdata, {auth: brightdataAuth({apiKey: API_KEY}), onRetry: counter.onRetry}),
    });
    let polls = 0;
    const collectStarted = Date.now();
    const {snapshotId, response} = await collect(
      api,
      {datasetId: DATASET, inputs},
      {
        // BrightData asks for 10 s between polls; the simulated job takes 3 s, so poll every 500 ms.
        intervalMs: POLL_MS,
        maxIntervalMs: POLL_MS,
        format: 'ndjson',
        onSnapshotId: (id) => out.say(`      triggered snapshot ${id}`),
        onPoll: ({status, delayMs}) => {
          polls++;
          const elapsed = seconds(Date.now() - collectStarted);
          out.update(`      poll ${polls}: ${status} at ${elapsed}, next in ${delayMs} ms`);
        },
      },
    );
    let records = 0;
    for await (const _record of snapshotRecords(response)) records++;
    const paid = plural(sim.counters.jobsCreated, 'job');
    out.say(
      `      ky-vendors: snapshot ${snapshotId}, ${plural(records, 'record')} streamed after ${plural(polls, 'poll')} (${counter.summary()}); ${paid} paid`,
    );
    return {
      requests: requestsOf(sim),
      lost: inputs.length - records,
      wrongFailures: 0,
      result: `${plural(records, 'record')}, ${paid} paid`,
    };
  } catch (error) {
    out.say(`      ky-vendors: ${String(error)}`);
    return {requests: requestsOf(sim), lost: inputs.length, wrongFailures: 1, result: String(error)};
  } finally {
    await server.close();
  }
};

/** BrightData: a collect whose trigger is throttled, whose progress fails once, and whose download races `ready`. */
export const brightdataSection = async (): Promise<Row> => {
  section(
    1,
    'BrightData: collect a dataset',
    'The trigger meets 429 "too many running jobs" (no job started, so it is resent), a progress',
    'request fails with 500 (waited out, not read as "job failed"), and the download answers 202',
    '"building" right after ready (polled again). Plain ky does not resend a POST.',
  );
  const started = Date.now();
  const plain = await withPlainKy();
  const policy = await withPolicy();
  return {
    vendor: 'BrightData',
    scenario: 'collect: 429 trigger, 500 progress, 202 after ready',
    unit: 'records',
    total: inputs.length,
    plain,
    policy,
    elapsedMs: Date.now() - started,
  };
};
