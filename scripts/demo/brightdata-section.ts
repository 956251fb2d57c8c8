/** @module Demo section 1: a BrightData collect through a throttled trigger, a 500 and a racing download. */
import ky from 'ky';
import {withVendor} from '../../src/index.ts';
import {createBrightdataSimulator, startBrightdataServer} from '../../src/testing/index.ts';
import {brightdata, brightdataAuth, collect, snapshotRecords} from '../../src/vendors/brightdata/index.ts';
import {plural, seconds} from './format.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Row} from './row.ts';
import {section} from './section.ts';

const TOO_MANY_JOBS =
  'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request. Running jobs: 10>=10';

/** BrightData: a collect whose trigger is throttled, whose progress fails once, and whose download races `ready`. */
export const brightdataSection = async (): Promise<Row> => {
  section(
    1,
    'BrightData: collect a dataset',
    'The trigger meets 429 "too many running jobs" (no job started, so it is resent), a progress',
    'request fails with 500 (waited out, not read as "job failed"), and the download answers 202',
    '"building" right after ready (polled again).',
  );
  const started = Date.now();
  const sim = createBrightdataSimulator({
    apiKey: 'demo-key',
    startingMs: 800,
    readyAfterMs: 3_000,
    buildingDownloads: 1,
  });
  sim.inject('trigger', {status: 429, body: TOO_MANY_JOBS});
  sim.inject('progress', {status: 500, body: 'Internal server error'});
  const server = await startBrightdataServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs, url}) =>
      `      ${new URL(url).pathname.split('/')[3] ?? ''} answered ${verdict.status} (${verdict.action}): resent in ${delayMs} ms`,
  );
  try {
    const api = ky.create({
      prefix: server.url,
      ...withVendor(brightdata, {auth: brightdataAuth({apiKey: 'demo-key'}), onRetry: counter.onRetry}),
    });
    let polls = 0;
    const collectStarted = Date.now();
    const inputs = [
      {url: 'https://example.com/p/1'},
      {url: 'https://example.com/p/2'},
      {url: 'https://example.com/p/3'},
    ];
    const {snapshotId, response} = await collect(
      api,
      {datasetId: 'gd_demo_products', inputs},
      {
        // BrightData asks for 10 s between polls; the simulated job takes 3 s, so poll every 500 ms.
        intervalMs: 500,
        maxIntervalMs: 500,
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
    out.say(
      `      snapshot ${snapshotId}: ${plural(records, 'record')} streamed after ${plural(polls, 'poll')}`,
    );
    const requests = Object.values(sim.counters.requests).reduce((sum, count) => sum + count, 0);
    return {
      vendor: 'BrightData',
      scenario: 'collect: 429 trigger, 500 progress, 202 after ready',
      requests,
      retries: `${counter.summary()}, ${plural(polls, 'poll')}`,
      outcome: `${plural(records, 'record')}, ${plural(sim.counters.jobsCreated, 'job')} paid`,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await server.close();
  }
};
