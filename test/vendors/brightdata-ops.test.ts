import ky, {type KyInstance} from 'ky';
import {HttpResponse, http} from 'msw';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {AuthError} from '../../src/errors/AuthError.ts';
import {JobFailedError} from '../../src/errors/JobFailedError.ts';
import {NotFoundError} from '../../src/errors/NotFoundError.ts';
import {NotReadyError} from '../../src/errors/NotReadyError.ts';
import {RateLimitError} from '../../src/errors/RateLimitError.ts';
import type {VendorOptions} from '../../src/ky/vendor-options.ts';
import {withVendor} from '../../src/ky/with-vendor.ts';
import type {PollEvent} from '../../src/poll/poll.ts';
import {
  type BrightdataSimulator,
  type BrightdataSimulatorOptions,
  brightdataFetch,
  createBrightdataSimulator,
} from '../../src/testing/brightdata/index.ts';
import {brightdataHandlers} from '../../src/testing/msw.ts';
import {
  brightdata,
  brightdataAuth,
  cancelSnapshot,
  collect,
  deliverSnapshot,
  downloadSnapshot,
  RecordStreamError,
  scrape,
  snapshotJson,
  snapshotParts,
  snapshotRecords,
  triggerCollection,
  waitForDelivery,
  waitForSnapshot,
} from '../../src/vendors/brightdata/index.ts';
import {server} from '../helpers/server.ts';

const BASE = 'https://api.brightdata.com';
const DATASET = 'gd_l1viktl72bvl7bjuj0';

/** A simulator served by msw and a ky instance speaking BrightData's dialect to it. */
const setup = (simOptions: BrightdataSimulatorOptions = {}, vendorOptions: VendorOptions = {}) => {
  const sim = createBrightdataSimulator(simOptions);
  server.use(...brightdataHandlers(sim));
  const api = ky.create({
    prefix: BASE,
    ...withVendor(brightdata, {limiter: false, random: () => 0.5, ...vendorOptions}),
  });
  return {sim, api};
};

type Outcome<T> = {value?: T; error?: unknown; failed: boolean; settledAt: number; startedAt: number};

/** Drives fake time, timer by timer, until `promise` settles (at most `limitMs` of fake time). */
const run = async <T>(promise: Promise<T>, limitMs = 3_600_000): Promise<Outcome<T>> => {
  const startedAt = Date.now();
  let outcome: Outcome<T> | undefined;
  promise.then(
    (value) => {
      outcome = {value, failed: false, settledAt: Date.now(), startedAt};
    },
    (error: unknown) => {
      outcome = {error, failed: true, settledAt: Date.now(), startedAt};
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  for (let step = 0; outcome === undefined && step < 100_000 && Date.now() - startedAt < limitMs; step++) {
    await vi.advanceTimersToNextTimerAsync();
  }
  if (outcome === undefined) throw new Error(`still pending after ${Date.now() - startedAt} ms of fake time`);
  return outcome;
};

/**
 * Awaits `promise` while fake time runs: the HTTP stack keeps timers of its own, and a request
 * awaited with the clock stopped may wait on one of them forever.
 */
const settle = async <T>(promise: Promise<T>): Promise<T> => {
  const outcome = await run(promise);
  if (outcome.failed) throw outcome.error;
  return outcome.value as T;
};

/** Starts a job in the simulator (not through the code under test) and returns its id. */
const startJob = (api: KyInstance): Promise<string> =>
  settle(triggerCollection(api, {datasetId: DATASET, inputs: [{url: 'https://example.com/a'}]}));

/** Times (simulator clock) of the requests to one endpoint. */
const timesOf = (sim: BrightdataSimulator, endpoint: string): number[] =>
  sim.log.filter((entry) => entry.endpoint === endpoint).map((entry) => entry.at);

const gaps = (times: readonly number[]): number[] =>
  times.slice(1).map((time, index) => time - (times[index] ?? 0));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('waitForSnapshot', () => {
  test.each([0, 5, 10, 25, 60, 95, 301])(
    'finds a snapshot ready after %i s with at most ceil(T/H)+2 progress requests, within H of ready',
    async (seconds) => {
      const {sim, api} = setup({readyAfterMs: seconds * 1000});
      const id = await startJob(api);
      const {value, settledAt} = await run(waitForSnapshot(api, id));
      expect(value).toMatchObject({snapshot_id: id, status: 'ready'});
      const progress = timesOf(sim, 'progress');
      expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds / 10) + 2);
      const readyAt = sim.jobs.get(id)?.readyAt ?? Number.NaN;
      expect(settledAt - readyAt).toBeGreaterThanOrEqual(0);
      expect(settledAt - readyAt).toBeLessThanOrEqual(10_000);
    },
  );

  test('polls every 10 s by default, never sooner', async () => {
    const {sim, api} = setup({readyAfterMs: 45_000});
    const id = await startJob(api);
    await run(waitForSnapshot(api, id));
    expect(gaps(timesOf(sim, 'progress'))).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  test('waits exactly the Retry-After of a progress answer when it asks for longer', async () => {
    const {api} = setup();
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/datasets/v3/progress/:id`, () => {
        times.push(Date.now());
        return HttpResponse.json(
          {snapshot_id: 's_1', status: times.length < 4 ? 'running' : 'ready'},
          {headers: {'retry-after': '30'}},
        );
      }),
    );
    await run(waitForSnapshot(api, 's_1'));
    expect(gaps(times)).toEqual([30_000, 30_000, 30_000]);
  });

  test('grows the interval without a hint and caps it at maxIntervalMs', async () => {
    const {sim, api} = setup({readyAfterMs: 200_000});
    const id = await startJob(api);
    await run(waitForSnapshot(api, id, {growth: 2, maxIntervalMs: 50_000}));
    expect(gaps(timesOf(sim, 'progress'))).toEqual([10_000, 20_000, 40_000, 50_000, 50_000, 50_000]);
  });

  test('keeps polling through open-ended statuses it does not know', async () => {
    const statuses = ['starting', 'collecting', 'digesting', 'pending_developer_review', 'ready'];
    let index = 0;
    const {api} = setup();
    server.use(
      http.get(`${BASE}/datasets/v3/progress/:id`, () =>
        HttpResponse.json({status: statuses[Math.min(index++, statuses.length - 1)]}),
      ),
    );
    const events: PollEvent[] = [];
    const {value} = await run(waitForSnapshot(api, 's_1', {onPoll: (event) => events.push(event)}));
    expect(value).toEqual({status: 'ready'});
    expect(events.map((event) => [event.attempt, event.status, event.delayMs, event.elapsedMs])).toEqual([
      [1, 'starting', 10_000, 0],
      [2, 'collecting', 10_000, 10_000],
      [3, 'digesting', 10_000, 20_000],
      [4, 'pending_developer_review', 10_000, 30_000],
    ]);
  });

  test('retries a 500 on progress and never takes it for the end of the job', async () => {
    const {sim, api} = setup({readyAfterMs: 25_000});
    const id = await startJob(api);
    sim.inject('progress', {status: 500, count: 3});
    const {value} = await run(waitForSnapshot(api, id));
    expect(value).toMatchObject({status: 'ready'});
    expect(sim.counters.statuses[500]).toBe(3);
  });

  test('waits out progress failures that outlast the retry limit', async () => {
    const {sim, api} = setup({readyAfterMs: 30_000}, {retryLimit: 1});
    const id = await startJob(api);
    sim.inject('progress', {status: 503, body: 'Service Unavailable', count: 6});
    const events: PollEvent[] = [];
    const {value} = await run(waitForSnapshot(api, id, {onPoll: (event) => events.push(event)}));
    expect(value).toMatchObject({status: 'ready'});
    expect(events.slice(0, 3).map((event) => event.status)).toEqual(['transient', 'transient', 'transient']);
  });

  test.each([
    ['Something went wrong. Our team is looking into it.', JobFailedError, 'something_went_wrong'],
    ['Failed to trigger collector', JobFailedError, 'collector_failed'],
    ['A message nobody documented', JobFailedError, 'job_failed'],
    ['Account is suspended', AuthError, 'account_suspended'],
  ])('throws the error of a failed job: %s', async (message, ErrorClass, code) => {
    const {api} = setup({readyAfterMs: 20_000, failRate: 1, failMessage: message});
    const id = await startJob(api);
    const {error, settledAt, startedAt} = await run(waitForSnapshot(api, id));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({code, vendor: 'brightdata'});
    expect((error as Error).message).toContain(message);
    expect(settledAt - startedAt).toBe(20_000);
  });

  test('throws JobFailedError for a cancelled job', async () => {
    const {api} = setup({readyAfterMs: 60_000});
    const id = await startJob(api);
    expect(await settle(cancelSnapshot(api, id))).toBe(true);
    const {error} = await run(waitForSnapshot(api, id));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({code: 'job_canceled'});
    expect((error as Error).message).toContain('canceled');
  });

  test('gives up at the deadline with NotReadyError naming the last status', async () => {
    const {sim, api} = setup({readyAfterMs: 600_000});
    const id = await startJob(api);
    const {error, settledAt, startedAt} = await run(waitForSnapshot(api, id, {timeoutMs: 60_000}));
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toMatch(/still running after 60000 ms/);
    expect(settledAt - startedAt).toBe(60_000);
    expect(timesOf(sim, 'progress').length).toBe(7);
  });

  test('rejects at once with the abort reason mid-wait and leaves no timer behind', async () => {
    const {sim, api} = setup({readyAfterMs: 600_000});
    const id = await startJob(api);
    const controller = new AbortController();
    let outcome: unknown = 'pending';
    waitForSnapshot(api, id, {signal: controller.signal}).then(
      () => {
        outcome = 'resolved';
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    await vi.advanceTimersByTimeAsync(15_000);
    expect(timesOf(sim, 'progress').length).toBe(2);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('rejects a missing snapshot id before any request', async () => {
    const {sim, api} = setup();
    await expect(waitForSnapshot(api, '')).rejects.toThrow(TypeError);
    expect(sim.log).toEqual([]);
  });

  test('throws NotFoundError for an unknown snapshot without polling on', async () => {
    const {sim, api} = setup();
    const {error} = await run(waitForSnapshot(api, 's_unknown'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(timesOf(sim, 'progress').length).toBe(1);
  });
});

describe('downloadSnapshot', () => {
  test('waits exactly the "try again in 10s" hint between 202 answers', async () => {
    const {sim, api} = setup({readyAfterMs: 35_000, retryAfterHeader: false});
    const id = await startJob(api);
    const {value} = await run(downloadSnapshot(api, id));
    expect(value?.status).toBe(200);
    expect(gaps(timesOf(sim, 'snapshot'))).toEqual([10_000, 10_000, 10_000, 10_000]);
  });

  test('waits a longer hint than the default, never polling sooner', async () => {
    const {sim, api} = setup({readyAfterMs: 60_000, hintSec: 25});
    const id = await startJob(api);
    const events: PollEvent[] = [];
    await run(downloadSnapshot(api, id, {onPoll: (event) => events.push(event)}));
    expect(gaps(timesOf(sim, 'snapshot'))).toEqual([25_000, 25_000, 25_000]);
    expect(events.map((event) => event.status)).toEqual(['starting', 'running', 'running']);
  });

  test('waits out 202 "Snapshot is building" right after ready', async () => {
    const {sim, api} = setup({readyAfterMs: 0, buildingDownloads: 2});
    const id = await startJob(api);
    await vi.advanceTimersByTimeAsync(1);
    const events: PollEvent[] = [];
    const {value} = await run(downloadSnapshot(api, id, {onPoll: (event) => events.push(event)}));
    expect(await snapshotJson(value as Response)).toEqual([{url: 'https://example.com/a', index: 0}]);
    expect(events.map((event) => [event.status, event.delayMs])).toEqual([
      ['building', 10_000],
      ['building', 10_000],
    ]);
    expect(timesOf(sim, 'snapshot').length).toBe(3);
  });

  test('gives up at the deadline while the snapshot is still building', async () => {
    const {api} = setup({readyAfterMs: 0, buildingDownloads: 100});
    const id = await startJob(api);
    const {error} = await run(downloadSnapshot(api, id, {timeoutMs: 30_000}));
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toMatch(/still building after 30000 ms/);
  });

  test('sends format, compression and the part, and refuses a part without batchSize', async () => {
    const {sim, api} = setup({readyAfterMs: 0, minBatchSize: 1, recordsPerInput: 3});
    const id = await startJob(api);
    await vi.advanceTimersByTimeAsync(1);
    const {value} = await run(downloadSnapshot(api, id, {format: 'ndjson', batchSize: 2, part: 2}));
    const records: unknown[] = [];
    for await (const record of snapshotRecords(value as Response)) records.push(record);
    expect(records).toEqual([{url: 'https://example.com/a', index: 2}]);
    expect(sim.log.at(-1)?.path).toBe(`/datasets/v3/snapshot/${id}?format=ndjson&batch_size=2&part=2`);
    await expect(downloadSnapshot(api, id, {part: 1})).rejects.toThrow(TypeError);
  });

  test('refuses an instance without the vendor policy, naming withVendor, and sends nothing', async () => {
    const sim = createBrightdataSimulator({readyAfterMs: 20_000});
    server.use(...brightdataHandlers(sim));
    const plain = ky.create({prefix: BASE});
    const {error} = await run(downloadSnapshot(plain, 's_1'));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('withVendor(brightdata)');
    expect(timesOf(sim, 'snapshot')).toHaveLength(0);
  });

  test('follows a short stated wait: "try again in 1s" means about 1 s, not the documented 10 s', async () => {
    const {sim, api} = setup({readyAfterMs: 0, hintSec: 1, buildingDownloads: 2});
    const id = await startJob(api);
    const {value} = await run(downloadSnapshot(api, id));
    expect(value?.status).toBe(200);
    expect(gaps(timesOf(sim, 'snapshot'))).toEqual([1000, 1000]);
  });
});

describe('snapshotRecords and snapshotJson', () => {
  const ndjsonResponse = (chunks: readonly string[], options: {error?: boolean} = {}) => {
    let pulls = 0;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[pulls++];
        if (chunk !== undefined) {
          controller.enqueue(encoder.encode(chunk));
        } else if (options.error === true) {
          controller.error(new TypeError('terminated'));
        } else {
          controller.close();
        }
      },
    });
    return {response: new Response(stream), pulls: () => pulls};
  };

  test('streams records as they arrive, across chunk boundaries', async () => {
    const tail = Array.from({length: 50}, (_, index) => `{"a":${index + 5}}\n`);
    const {response, pulls} = ndjsonResponse([
      '{"a":1}\n{"a"',
      ':2}\r\n\n{"a":3}\n',
      '{"a":4}',
      '\n',
      ...tail,
    ]);
    const iterator = snapshotRecords(response);
    expect((await iterator.next()).value).toEqual({a: 1});
    expect(pulls()).toBeLessThanOrEqual(3);
    const rest: unknown[] = [];
    for await (const record of iterator) rest.push(record);
    expect(rest).toHaveLength(53);
    expect(rest.slice(0, 4)).toEqual([{a: 2}, {a: 3}, {a: 4}, {a: 5}]);
  });

  test('reads a gzip body', async () => {
    const gzipped = new Blob(['{"a":1}\n{"a":2}\n']).stream().pipeThrough(new CompressionStream('gzip'));
    const records: unknown[] = [];
    for await (const record of snapshotRecords(new Response(gzipped))) records.push(record);
    expect(records).toEqual([{a: 1}, {a: 2}]);
  });

  test.each([
    ['a dropped connection', ['{"a":1}\n{"a":2}\n{"a"'], true, 'truncated', 3, 2],
    ['a last line cut short', ['{"a":1}\n{"a":'], false, 'truncated', 2, 1],
    ['a line that is not JSON', ['{"a":1}\nnot json\n{"a":3}\n'], false, 'malformed', 2, 1],
    ['a line over the limit', ['{"a":1}\n', `{"a":"${'x'.repeat(100)}"}\n`], false, 'line-too-long', 2, 1],
  ] as const)('throws RecordStreamError for %s', async (_name, chunks, breaks, problem, line, records) => {
    const {response} = ndjsonResponse(chunks, {error: breaks});
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const record of snapshotRecords(response, {maxLineBytes: 64})) seen.push(record);
    })().catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RecordStreamError);
    expect(error).toMatchObject({problem, line, records});
    expect(seen.length).toBe(records);
    expect((error as Error).message).not.toContain('xxxx');
  });

  test('cancels the download when the caller stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":1}\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const record of snapshotRecords(new Response(stream))) {
      expect(record).toEqual({a: 1});
      break;
    }
    expect(cancelled).toBe(true);
  });

  test('reports a download cut mid-body as truncated, with the records handed out before', async () => {
    // In-process fetch: the simulator breaks the body after 60 bytes, inside the second record.
    const sim = createBrightdataSimulator({readyAfterMs: 0, recordsPerInput: 3, truncateDownloadBytes: 60});
    const api = ky.create({prefix: BASE, fetch: brightdataFetch(sim), ...withVendor(brightdata)});
    const id = await startJob(api);
    await vi.advanceTimersByTimeAsync(1);
    const {value} = await run(downloadSnapshot(api, id, {format: 'jsonl'}));
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const record of snapshotRecords(value as Response)) seen.push(record);
    })().catch((error_: unknown) => error_);
    // A stream that errors drops what it still had queued, so fewer records may come out than were sent.
    expect(error).toMatchObject({name: 'RecordStreamError', problem: 'truncated', records: seen.length});
    expect(seen.length).toBeLessThan(3);
    expect(seen).toEqual([{url: 'https://example.com/a', index: 0}].slice(0, seen.length));
  });

  test.each([
    ['[{"a":1},{"a"', 'truncated'],
    ['', 'truncated'],
    ['[{"a":1}, oops]', 'malformed'],
  ])('snapshotJson reports %j as %s', async (body, problem) => {
    await expect(snapshotJson(new Response(body))).rejects.toMatchObject({
      name: 'RecordStreamError',
      problem,
    });
  });
});

describe('collect', () => {
  test('triggers, waits and downloads within one deadline, reporting the snapshot id first', async () => {
    const {sim, api} = setup({readyAfterMs: 42_000, buildingDownloads: 1});
    const ids: string[] = [];
    const events: PollEvent[] = [];
    const {value} = await run(
      collect(
        api,
        {datasetId: DATASET, inputs: [{url: 'https://example.com/a'}, {url: 'https://example.com/b'}]},
        {format: 'ndjson', onSnapshotId: (id) => ids.push(id), onPoll: (event) => events.push(event)},
      ),
    );
    expect(ids).toEqual([value?.snapshotId]);
    expect(value?.progress.status).toBe('ready');
    const records: unknown[] = [];
    for await (const record of snapshotRecords((value as {response: Response}).response))
      records.push(record);
    expect(records).toHaveLength(2);
    expect(sim.counters.requests).toMatchObject({trigger: 1, progress: 6, snapshot: 2});
    expect(events.map((event) => event.status)).toEqual([
      'starting',
      'running',
      'running',
      'running',
      'running',
      'building',
    ]);
  });

  test('does not resend the trigger after a 500: it finds the job the trigger started and continues with it', async () => {
    const {sim, api} = setup();
    sim.inject('trigger', {status: 500, apply: true});
    const {value} = await run(collect(api, {datasetId: DATASET, inputs: [{url: 'u'}]}));
    expect(value).toMatchObject({reconciled: true, triggers: 1, snapshotId: [...sim.jobs.keys()][0]});
    expect(sim.counters.requests.trigger).toBe(1);
    expect(sim.counters.jobsCreated).toBe(1);
  });

  test('does not resend the trigger after a network error', async () => {
    let calls = 0;
    const {api} = setup();
    server.use(
      http.post(`${BASE}/datasets/v3/trigger`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const {error} = await run(collect(api, {datasetId: DATASET, inputs: [{url: 'u'}]}));
    expect(error).toMatchObject({name: 'NetworkError'});
    expect(calls).toBe(1);
  });

  test('resends the trigger on "too many running jobs" until a slot frees', async () => {
    const {sim, api} = setup({maxRunningJobs: 1, readyAfterMs: 5_000});
    await startJob(api);
    const {value} = await run(collect(api, {datasetId: DATASET, inputs: [{url: 'u'}]}));
    expect(value?.progress.status).toBe('ready');
    const triggers = sim.log.filter((entry) => entry.endpoint === 'trigger');
    // Full jitter at random 0.5 over 2, 4, 8 s ceilings, never below the 2 s floor of the table.
    expect(triggers.map((entry) => entry.status)).toEqual([200, 429, 429, 429, 200]);
    expect(gaps(triggers.slice(1).map((entry) => entry.at))).toEqual([2_000, 2_000, 4_000]);
    expect(sim.counters.jobsCreated).toBe(2);
  });

  test('throws RateLimitError when the cap outlasts the retries', async () => {
    const {sim, api} = setup({maxRunningJobs: 1, readyAfterMs: 3_600_000}, {retryLimit: 2});
    await startJob(api);
    const {error} = await run(collect(api, {datasetId: DATASET, inputs: [{url: 'u'}]}));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({code: 'too_many_running_jobs', attempts: 3, processed: false});
    expect(sim.counters.throttled).toBe(3);
    expect(sim.counters.jobsCreated).toBe(1);
  });

  test('shares one deadline between the wait and the download', async () => {
    const {api} = setup({readyAfterMs: 50_000, buildingDownloads: 100});
    const {error, settledAt, startedAt} = await run(
      collect(api, {datasetId: DATASET, inputs: [{url: 'u'}]}, {timeoutMs: 80_000}),
    );
    expect(error).toBeInstanceOf(NotReadyError);
    expect(settledAt - startedAt).toBeLessThanOrEqual(80_000);
  });

  test('sends the trigger options as the query and the inputs as a JSON array', async () => {
    const {sim, api} = setup();
    await settle(
      triggerCollection(api, {
        datasetId: DATASET,
        inputs: [{url: 'u'}],
        includeErrors: true,
        customOutputFields: ['url', 'name'],
        discoverBy: 'keyword',
        limitPerInput: 5,
      }),
    );
    expect(sim.log[0]?.path).toBe(
      `/datasets/v3/trigger?dataset_id=${DATASET}&include_errors=true&custom_output_fields=url%7Cname&type=discover_new&discover_by=keyword&limit_per_input=5`,
    );
    expect(sim.jobs.values().next().value?.inputs).toEqual([{url: 'u'}]);
    await expect(settle(triggerCollection(api, {datasetId: DATASET, inputs: []}))).rejects.toThrow(TypeError);
  });
});

describe('scrape', () => {
  test('returns the records of a quick synchronous scrape directly', async () => {
    const {sim, api} = setup({readyAfterMs: 20_000});
    const {value} = await run(scrape(api, {datasetId: DATASET, inputs: [{url: 'u'}]}));
    expect(value?.snapshotId).toBeUndefined();
    expect(await snapshotJson((value as {response: Response}).response)).toEqual([{url: 'u', index: 0}]);
    expect(sim.counters.requests.progress).toBe(0);
  });

  test('hands a 202 over to polling, after its Retry-After', async () => {
    const {sim, api} = setup({readyAfterMs: 95_000});
    const {value} = await run(scrape(api, {datasetId: DATASET, inputs: [{url: 'u'}], format: 'jsonl'}));
    expect(value?.snapshotId).toMatch(/^s_/);
    const records: unknown[] = [];
    for await (const record of snapshotRecords((value as {response: Response}).response))
      records.push(record);
    expect(records).toEqual([{url: 'u', index: 0}]);
    const [scraped] = timesOf(sim, 'scrape');
    const progress = timesOf(sim, 'progress');
    expect((progress[0] ?? 0) - (scraped ?? 0)).toBe(10_000);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(95 / 10) + 2);
    expect(sim.log.at(-1)?.path).toMatch(/format=jsonl/);
  });
});

describe('cancelSnapshot, snapshotParts, deliverSnapshot and waitForDelivery', () => {
  test('cancels a running job, then reports false once it is not running', async () => {
    const {api} = setup();
    const id = await startJob(api);
    expect(await settle(cancelSnapshot(api, id))).toBe(true);
    expect(await settle(cancelSnapshot(api, id))).toBe(false);
    await expect(settle(cancelSnapshot(api, 's_missing'))).rejects.toBeInstanceOf(NotFoundError);
  });

  test('resends a cancel after a 500, since cancelling twice does no harm', async () => {
    const {sim, api} = setup();
    const id = await startJob(api);
    sim.inject('cancel', {status: 500});
    const {value} = await run(cancelSnapshot(api, id));
    expect(value).toBe(true);
    expect(sim.counters.requests.cancel).toBe(2);
  });

  test('counts parts once the snapshot is ready, waiting while it is not', async () => {
    const {sim, api} = setup({readyAfterMs: 15_000, recordsPerInput: 2500});
    const id = await startJob(api);
    const {value} = await run(snapshotParts(api, id, {format: 'ndjson', batchSize: 1000}));
    expect(value).toBe(3);
    expect(sim.log.filter((entry) => entry.endpoint === 'parts').map((entry) => entry.status)).toEqual([
      400, 400, 200,
    ]);
  });

  test('delivers a snapshot and waits until the delivery is done', async () => {
    const {api} = setup({readyAfterMs: 0, deliveryMs: 25_000});
    const id = await startJob(api);
    await vi.advanceTimersByTimeAsync(1);
    const deliveryId = await settle(
      deliverSnapshot(api, id, {
        type: 's3',
        bucket: 'b',
        credentials: {'aws-secret-key': 'very-secret-value-1'},
        filename: {template: '{[snapshot_id]}', extension: 'jsonl'},
      }),
    );
    const {value} = await run(waitForDelivery(api, deliveryId));
    expect(value).toMatchObject({status: 'done', delivery_files: [{filename: `${id}_0.jsonl`}]});
  });

  test.each([
    ['failed', {deliveryFailRate: 1}],
    ['canceled', {}],
  ])('throws JobFailedError for a %s delivery', async (status, simOptions) => {
    const {api} = setup({readyAfterMs: 0, deliveryMs: 0, ...simOptions});
    if (status === 'canceled') {
      server.use(http.get(`${BASE}/datasets/v3/delivery/:id`, () => HttpResponse.json({id: 'd_1', status})));
    }
    const id = await startJob(api);
    await vi.advanceTimersByTimeAsync(1);
    const deliveryId = await settle(
      deliverSnapshot(api, id, {type: 'webhook', endpoint: 'https://example.com/in'}),
    );
    const {error} = await run(waitForDelivery(api, deliveryId));
    expect(error).toBeInstanceOf(JobFailedError);
  });
});

describe('brightdataAuth', () => {
  test('authenticates every attempt, retries included', async () => {
    const apiKey = 'bd-test-key-0123456789';
    const sim = createBrightdataSimulator({apiKey, readyAfterMs: 0});
    server.use(...brightdataHandlers(sim));
    const api = ky.create({
      prefix: BASE,
      ...withVendor(brightdata, {auth: brightdataAuth({apiKey}), random: () => 0.5}),
    });
    const id = await startJob(api);
    await vi.advanceTimersByTimeAsync(1);
    sim.inject('progress', {status: 500, count: 2});
    const {value} = await run(waitForSnapshot(api, id));
    expect(value).toMatchObject({status: 'ready'});
    expect(sim.log.filter((entry) => entry.endpoint === 'progress').map((entry) => entry.status)).toEqual([
      500, 500, 200,
    ]);
    expect(sim.counters.unauthorized).toBe(0);
  });

  test('keeps the key out of error messages and their JSON', async () => {
    const apiKey = 'bd-secret-key-9876543210';
    server.use(
      http.get(`${BASE}/datasets/v3/progress/:id`, ({request}) =>
        HttpResponse.text(`Invalid credentials: ${request.headers.get('authorization')}`, {status: 401}),
      ),
    );
    const api = ky.create({prefix: BASE, ...withVendor(brightdata, {auth: brightdataAuth({apiKey})})});
    const {error} = await run(waitForSnapshot(api, 's_1'));
    expect(error).toBeInstanceOf(AuthError);
    expect(String(error)).not.toContain(apiKey);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  test.each(['', 'key with space', 'key\n'])('refuses the api key %j', (apiKey) => {
    expect(() => brightdataAuth({apiKey})).toThrow(TypeError);
  });
});
