/**
 * @module `npm run demo`: each vendor's policy at work against its loopback simulator, narrated,
 * ending with a summary table. No keys, no network; about 15 seconds.
 *
 * Run with `node scripts/demo.ts` (Node 24 strips the types). On a terminal the progress of each
 * section is one line updated in place; piped, every event is a line of its own.
 */
import ky from 'ky';
import {
  createLimiter,
  huaweiCloud,
  isVendorError,
  type RetryEvent,
  supametas,
  upyun,
  withVendor,
} from '../src/index.ts';
import {
  createBrightdataSimulator,
  createHuaweiSimulator,
  createSupametasSimulator,
  createUpyunSimulator,
  startBrightdataServer,
  startHuaweiServer,
  startSupametasServer,
  startUpyunServer,
} from '../src/testing/index.ts';
import {brightdata, brightdataAuth, collect, snapshotRecords} from '../src/vendors/brightdata/index.ts';
import {huaweiAuth} from '../src/vendors/huawei/index.ts';
import {supametasAuth, waitForTask} from '../src/vendors/supametas/index.ts';
import {uploadMany, upyunAuth} from '../src/vendors/upyun/index.ts';

/** One row of the summary table. */
type Row = {
  readonly vendor: string;
  readonly scenario: string;
  readonly requests: number;
  readonly retries: string;
  readonly outcome: string;
  readonly elapsedMs: number;
};

const tty = process.stdout.isTTY === true;
const CLEAR = '\r\u001B[2K';

/**
 * The narration: `say` prints a line for good (replacing the live line), `update` rewrites the
 * live progress line on a terminal; piped, it prints the updates marked as events, one line each.
 */
const narrator = () => {
  let live = false;
  const clear = (): void => {
    if (live) process.stdout.write(CLEAR);
    live = false;
  };
  return {
    say: (line: string): void => {
      clear();
      console.log(line);
    },
    update: (line: string, event = true): void => {
      if (tty) {
        process.stdout.write(`${CLEAR}${line}`);
        live = true;
      } else if (event) {
        console.log(line);
      }
    },
  };
};

const out = narrator();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const plural = (count: number, noun: string, nouns = `${noun}s`): string =>
  `${count} ${count === 1 ? noun : nouns}`;

/** Counts the retries and throttles an instance reports, and narrates each. */
const retryCounter = (describe: (event: RetryEvent) => string | undefined) => {
  const counts = {retries: 0, throttles: 0};
  const onRetry = (event: RetryEvent): void => {
    if (event.verdict.action === 'throttle') counts.throttles++;
    else counts.retries++;
    const line = describe(event);
    if (line !== undefined) out.say(line);
  };
  const summary = (): string =>
    `${plural(counts.retries, 'retry', 'retries')}, ${plural(counts.throttles, 'throttle')}`;
  return {counts, onRetry, summary};
};

const section = (index: number, title: string, ...narration: string[]): void => {
  out.say('');
  out.say(`[${index}/4] ${title}`);
  for (const line of narration) out.say(`      ${line}`);
};

const TOO_MANY_JOBS =
  'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request. Running jobs: 10>=10';

/** BrightData: a collect whose trigger is throttled, whose progress fails once, and whose download races `ready`. */
const brightdataSection = async (): Promise<Row> => {
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

/** UPYUN: a batch through a bucket's rate limit, paced by the adaptive limiter. */
const upyunSection = async (): Promise<Row> => {
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
        const {throttled, transient} = sim.stats();
        const tally = `${succeeded} stored, ${failed} failed | 429s ${throttled}, 503s ${transient}`;
        out.update(`      ${done}/${total}: ${tally} | pace ${pace}/s`, done % 60 === 0);
      },
    });
    const stats = sim.stats();
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

/** Huawei: a burst past the gateway's stated limit, then a token the gateway refuses. */
const huaweiSection = async (): Promise<Row> => {
  const calls = 15;
  section(
    3,
    'Huawei Cloud: gateway throttling and a typed error',
    `${calls} calls at once against a gateway limit of 5/s. The first APIGW.0308 states the limit`,
    '("limit:5,time:1 second"): the limiter adopts it and paces the rest instead of bouncing them.',
    'Then a wrong token: APIGW.0301 is never retried (the gateway locks a key after five failures).',
  );
  const started = Date.now();
  const sim = createHuaweiSimulator({rateLimit: {limit: 5, windowMs: 1_000}});
  const server = await startHuaweiServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs}) =>
      `      ${verdict.code} "${/limit:.*$/.exec(verdict.message ?? '')?.[0]}": resent in ${delayMs} ms`,
  );
  let outcome = '';
  try {
    const prefix = `${server.url}/v1.0/demo-project/`;
    const token = sim.issueToken();
    const limiter = createLimiter({key: () => 'huawei:demo'});
    const octopus = ky.create({
      prefix,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({token}), limiter, onRetry: counter.onRetry}),
    });
    let done = 0;
    await Promise.all(
      Array.from({length: calls}, async () => {
        await octopus.get('data/packages').json();
        done++;
        const pace = (await limiter.state('huawei:demo'))?.ratePerSecond ?? 0;
        const line = `      ${done}/${calls} answered, ${sim.counts.throttled} throttled | pace ${pace.toFixed(1)}/s`;
        out.update(line, done % 5 === 0);
      }),
    );
    out.say(
      `      ${calls}/${calls} answered, ${plural(sim.counts.throttled, 'APIGW.0308 throttle')} waited out`,
    );

    const stranger = ky.create({
      prefix,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({token: 'not-a-token'})}),
    });
    const error = await stranger.get('data/packages').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isVendorError(error, huaweiCloud) || error.code !== 'APIGW.0301') throw error;
    const message = error.message.replace(/ \(GET [^)]*\)$/, '');
    out.say(`      ${error.name} after ${plural(error.attempts, 'attempt')}: ${message}`);
    outcome = `${calls}/${calls} ok; ${error.name} ${error.code}`;
    return {
      vendor: 'Huawei Cloud',
      scenario: `${calls} calls at limit 5/s, then a bad token`,
      requests: sim.counts.requests,
      retries: counter.summary(),
      outcome,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await server.close();
  }
};

/** Supametas: an error hidden in HTTP 200, caught; then a task waited out through maintenance. */
const supametasSection = async (): Promise<Row> => {
  section(
    4,
    'Supametas.AI: a hidden error, caught',
    'A bad import answers HTTP 200 with {"code":"OPS40001"}: plain ky returns it as data, the policy',
    'throws ValidationError. Then a task, queried through a 503 with Retry-After (a read-only POST).',
  );
  const started = Date.now();
  const accessKey = 'demo-access-key';
  const sim = createSupametasSimulator({accessKey, taskDurationMs: 2_000});
  const server = await startSupametasServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs}) => `      query-task answered ${verdict.status}: resent in ${delayMs} ms`,
  );
  const form = (demandFormat: string): FormData => {
    const body = new FormData();
    body.append('file', new Blob(['# Notes\n'], {type: 'text/markdown'}), 'notes.md');
    body.append('data', JSON.stringify({getDemandFormat: demandFormat, title: 1, contentDetails: 1}));
    return body;
  };
  try {
    const plain = ky.create({prefix: server.url, headers: {'Access-Key': accessKey}});
    const raw = await plain.post('file-task', {body: form('9')});
    const data = await raw.json<{code: string}>();
    out.say(`      plain ky: HTTP ${raw.status}, code ${data.code}, no error raised`);

    const api = ky.create({
      prefix: server.url,
      ...withVendor(supametas, {auth: supametasAuth({accessKey}), onRetry: counter.onRetry}),
    });
    const hidden = await api.post('file-task', {body: form('9')}).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isVendorError(hidden, supametas) || hidden.code !== 'OPS40001') throw hidden;
    out.say(`      with the policy: ${hidden.name} ${hidden.code} thrown (HTTP ${hidden.status})`);

    const {taskId} = (await api.post('file-task', {body: form('1')}).json<{data: {taskId: string}}>()).data;
    sim.startMaintenance(1_000);
    let polls = 0;
    const task = await waitForTask(api, taskId, {
      intervalMs: 400,
      maxIntervalMs: 800,
      onPoll: ({status, elapsedMs}) => {
        polls++;
        out.update(`      task ${taskId}: ${status}, poll ${polls}, ${seconds(elapsedMs)}`);
      },
    });
    out.say(`      task ${taskId}: ${task.state} after ${plural(polls, 'poll')}`);
    return {
      vendor: 'Supametas.AI',
      scenario: 'OPS40001 in HTTP 200; task through a 503',
      requests: sim.counts.requests,
      retries: `${counter.summary()}, ${plural(polls, 'poll')}`,
      outcome: `ValidationError caught; ${task.state}`,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await server.close();
  }
};

/** The summary as a plain-text table. */
const printTable = (rows: readonly Row[]): void => {
  const header = ['vendor', 'scenario', 'requests', 'retries / throttles', 'outcome', 'elapsed'];
  const cells = rows.map((row) => [
    row.vendor,
    row.scenario,
    String(row.requests),
    row.retries,
    row.outcome,
    seconds(row.elapsedMs),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const format = (line: readonly string[]): string =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  out.say('');
  out.say('Summary');
  out.say(format(header));
  out.say(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const line of cells) out.say(format(line));
};

const started = Date.now();
out.say('ky-vendors demo: four vendors, each against its simulator on 127.0.0.1 (no keys, no network).');
const rows = [
  await brightdataSection(),
  await upyunSection(),
  await huaweiSection(),
  await supametasSection(),
];
printTable(rows);
out.say('');
out.say(`Done in ${seconds(Date.now() - started)}.`);
