/**
 * Jobs that survive: a trigger with an unknown outcome is reconciled before anything is sent
 * again, one deadline covers the whole job, and a killed worker resumes from its handle.
 */
import ky from 'ky';
import {delay, HttpResponse, http} from 'msw';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {isVendorError} from '../../src/errors/is-vendor-error.ts';
import {NotReadyError} from '../../src/errors/NotReadyError.ts';
import {RateLimitError} from '../../src/errors/RateLimitError.ts';
import {ServerError} from '../../src/errors/ServerError.ts';
import {ValidationError} from '../../src/errors/ValidationError.ts';
import type {VendorError, VendorErrorInit} from '../../src/errors/VendorError.ts';
import {withVendor} from '../../src/ky/with-vendor.ts';
import {
  type BrightdataSimulator,
  type BrightdataSimulatorOptions,
  createBrightdataSimulator,
} from '../../src/testing/brightdata/index.ts';
import {brightdataHandlers} from '../../src/testing/msw.ts';
import {
  brightdata,
  collect,
  isUnknownOutcome,
  reconcileTrigger,
  resumeCollect,
  type SnapshotHandle,
  snapshotJson,
  triggerCollection,
  waitForSnapshot,
} from '../../src/vendors/brightdata/index.ts';
import {server} from '../helpers/server.ts';

const BASE = 'https://api.brightdata.com';
const DATASET = 'gd_l1viktl72bvl7bjuj0';
const REQUEST = {datasetId: DATASET, inputs: [{url: 'https://example.com/ours'}]};

const setup = (simOptions: BrightdataSimulatorOptions = {}) => {
  const sim = createBrightdataSimulator({listVisibilityMs: 20_000, ...simOptions});
  server.use(...brightdataHandlers(sim));
  const instance = () => ky.create({prefix: BASE, ...withVendor(brightdata, {random: () => 0.5})});
  return {sim, api: instance(), instance};
};

type Outcome<T> = {value?: T; error?: unknown; failed: boolean};

/** Drives fake time, timer by timer, until `promise` settles (bounded in steps and fake time). */
const run = async <T>(promise: Promise<T>, limitMs = 3_600_000): Promise<Outcome<T>> => {
  const startedAt = Date.now();
  let outcome: Outcome<T> | undefined;
  promise.then(
    (value) => {
      outcome = {value, failed: false};
    },
    (error: unknown) => {
      outcome = {error, failed: true};
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  for (let step = 0; outcome === undefined && step < 100_000 && Date.now() - startedAt < limitMs; step++) {
    await vi.advanceTimersToNextTimerAsync();
  }
  if (outcome === undefined) throw new Error(`still pending after ${Date.now() - startedAt} ms of fake time`);
  return outcome;
};

/** Carries out a trigger in the simulator, then answers as `lose` says (the caller never learns the id). */
const applyThenLose = (sim: BrightdataSimulator, lose: () => Response | Promise<Response>) =>
  http.post(
    `${BASE}/datasets/v3/trigger`,
    async ({request}) => {
      sim.handle({method: 'POST', url: request.url, headers: request.headers, body: await request.text()});
      return lose();
    },
    {once: true},
  );

const records = async (response: Response) => (await snapshotJson(response)) as unknown[];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('collect after a trigger with an unknown outcome', () => {
  test.each([
    ['a 500', () => new HttpResponse('Internal server error', {status: 500})],
    ['a reset connection', () => HttpResponse.error()],
    [
      'a timeout',
      async () => {
        await delay('infinite');
        return new HttpResponse(null, {status: 204});
      },
    ],
  ])('after %s once the job was created: exactly one job, its data delivered', async (_name, lose) => {
    const {sim, api} = setup();
    server.use(applyThenLose(sim, lose));
    const {value, error} = await run(collect(api, REQUEST, {timeoutMs: 30 * 60_000}));
    expect(error).toBeUndefined();
    expect(sim.counters.jobsCreated).toBe(1);
    expect(sim.counters.requests.trigger).toBe(1); // the lost one: never sent again
    expect(value).toMatchObject({reconciled: true, triggers: 1, snapshotId: [...sim.jobs.keys()][0]});
    expect(await records(value?.response as Response)).toEqual([{url: 'https://example.com/ours', index: 0}]);
    // The listing was asked before anything else, filtered by the dataset and a time window.
    const listed = sim.log.filter((entry) => entry.endpoint === 'snapshots');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed[0]?.path).toMatch(/dataset_id=gd_l1viktl72bvl7bjuj0&from_date=.+&to_date=/);
  });

  test('a trigger that failed before creating a job: one job after the re-trigger the caller allowed', async () => {
    const {sim, api} = setup();
    sim.inject('trigger', {status: 500});
    const {value, error} = await run(collect(api, REQUEST, {retrigger: 'if-absent'}));
    expect(error).toBeUndefined();
    expect(value).toMatchObject({reconciled: false, triggers: 2});
    expect(sim.counters.requests.trigger).toBe(2);
    expect(sim.counters.jobsCreated).toBe(1);
    // The second trigger waited until a job of the first would have been listed.
    const [first, second] = sim.log.filter((entry) => entry.endpoint === 'trigger').map((entry) => entry.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(60_000);
  });

  test('by default a job that is not found is not paid for again: the trigger error, with what was found', async () => {
    const {sim, api} = setup();
    sim.inject('trigger', {status: 500});
    const {error} = await run(collect(api, REQUEST));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({reconciliation: {status: 'absent'}});
    expect(sim.counters.requests.trigger).toBe(1);
    expect(sim.counters.jobsCreated).toBe(0);
  });

  test('a job of the same dataset with other inputs is not taken for ours', async () => {
    const {sim, api} = setup();
    await run(triggerCollection(api, {datasetId: DATASET, inputs: [{url: 'https://example.com/theirs'}]}));
    server.use(applyThenLose(sim, () => HttpResponse.error()));
    const {value} = await run(collect(api, REQUEST));
    const ours = [...sim.jobs.values()].find((job) => JSON.stringify(job.inputs).includes('ours'));
    expect(value?.snapshotId).toBe(ours?.id);
    expect(sim.counters.jobsCreated).toBe(2);
  });

  test('two candidate jobs with our inputs are ambiguous: nothing is sent again, even with if-absent', async () => {
    const {sim, api} = setup();
    await run(triggerCollection(api, REQUEST)); // another worker sent the same request
    server.use(applyThenLose(sim, () => HttpResponse.error()));
    const {error} = await run(collect(api, REQUEST, {retrigger: 'if-absent'}));
    expect(error).toMatchObject({name: 'NetworkError', reconciliation: {status: 'ambiguous'}});
    expect((error as {reconciliation: {snapshotIds: string[]}}).reconciliation.snapshotIds).toHaveLength(2);
    expect(sim.counters.jobsCreated).toBe(2);
  });

  test('reconcileTrigger() waits for the listing to show a late job, and no longer than its visibility delay', async () => {
    const {sim, api} = setup({listVisibilityMs: 45_000});
    const sentAt = Date.now();
    sim.handle({
      method: 'POST',
      url: `/datasets/v3/trigger?dataset_id=${DATASET}`,
      body: JSON.stringify(REQUEST.inputs),
    });
    const {value} = await run(reconcileTrigger(api, REQUEST, {sentAt}));
    expect(value).toEqual({status: 'found', snapshotId: [...sim.jobs.keys()][0]});
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(45_000);
    expect(Date.now() - sentAt).toBeLessThanOrEqual(60_000);
    const empty = setup();
    const start = Date.now();
    const {value: absent} = await run(
      reconcileTrigger(empty.api, REQUEST, {sentAt: start, visibilityDelayMs: 30_000}),
    );
    expect(absent).toEqual({status: 'absent'});
    expect(Date.now() - start).toBe(30_000);
  });
});

describe('one deadline for the whole job', () => {
  test('a trigger that never answers ends at the job deadline with a BrightData NotReadyError', async () => {
    const {api} = setup();
    server.use(
      http.post(`${BASE}/datasets/v3/trigger`, async () => {
        await delay('infinite');
        return new HttpResponse(null);
      }),
    );
    const noKyTimeout = api.extend({timeout: false});
    const startedAt = Date.now();
    const {error} = await run(collect(noKyTimeout, REQUEST, {timeoutMs: 5_000}));
    expect(error).toBeInstanceOf(NotReadyError);
    expect(isVendorError(error, brightdata)).toBe(true);
    expect(Date.now() - startedAt).toBe(5_000);
  });

  test('a wait deadline carries the vendor and the last status seen', async () => {
    const {api} = setup({readyAfterMs: 3_600_000});
    const {value: id} = await run(triggerCollection(api, REQUEST));
    const {error} = await run(waitForSnapshot(api, id as string, {timeoutMs: 60_000}));
    expect(isVendorError(error, brightdata)).toBe(true);
    expect(error).toMatchObject({name: 'NotReadyError', envelope: {status: 'running'}});
    expect((error as Error).message).toContain('still running after 60000 ms');
  });

  test('the trigger, the wait and the 202 after ready share one budget', async () => {
    const {api} = setup({readyAfterMs: 50_000, buildingDownloads: 100});
    const startedAt = Date.now();
    const {error} = await run(collect(api, REQUEST, {timeoutMs: 90_000}));
    expect(isVendorError(error, brightdata)).toBe(true);
    expect(Date.now() - startedAt).toBeLessThanOrEqual(90_000);
  });
});

describe('cancelOnAbort', () => {
  test.each([true, false])(
    'cancelOnAbort %s: the job is cancelled only when asked',
    async (cancelOnAbort) => {
      const {sim, api} = setup({readyAfterMs: 600_000});
      const controller = new AbortController();
      const {error} = await run(
        collect(api, REQUEST, {
          signal: controller.signal,
          cancelOnAbort,
          onPoll: ({attempt}) => {
            if (attempt === 2) controller.abort(new Error('shutting down'));
          },
        }),
      );
      expect(error).toMatchObject({message: 'shutting down'});
      const [id] = sim.jobs.keys();
      expect(sim.counters.requests.cancel).toBe(cancelOnAbort ? 1 : 0);
      expect(sim.statusOf(id as string)).toBe(cancelOnAbort ? 'canceled' : 'running');
    },
  );
});

describe('resuming from a handle', () => {
  test('a worker stopped mid-poll and restarted from its saved handle downloads the same snapshot, with no second trigger', async () => {
    const {sim, api, instance} = setup({readyAfterMs: 120_000, buildingDownloads: 1});
    let saved = '';
    const crash = new AbortController();
    const first = await run(
      collect(api, REQUEST, {
        timeoutMs: 30 * 60_000,
        format: 'json',
        signal: crash.signal,
        onHandle: (handle) => {
          saved = JSON.stringify(handle);
        },
        onPoll: ({attempt}) => {
          if (attempt === 3) crash.abort(new Error('killed'));
        },
      }),
    );
    expect(first.failed).toBe(true);
    const handle = JSON.parse(saved) as SnapshotHandle;
    expect(handle).toMatchObject({
      kind: 'brightdata.snapshot',
      datasetId: DATASET,
      download: {format: 'json'},
    });
    // A new process: a new ky instance, only the handle carried over.
    const {value} = await run(resumeCollect(instance(), handle));
    expect(value?.snapshotId).toBe(handle.id);
    expect(await records(value?.response as Response)).toHaveLength(1);
    expect(sim.counters.requests.trigger).toBe(1);
    expect(sim.counters.jobsCreated).toBe(1);
  });

  test('a resumed job keeps the original deadline', async () => {
    const {api} = setup({readyAfterMs: 3_600_000});
    const {value: id} = await run(triggerCollection(api, REQUEST));
    const handle: SnapshotHandle = {
      kind: 'brightdata.snapshot',
      id: id as string,
      deadline: Date.now() + 40_000,
    };
    const startedAt = Date.now();
    const {error} = await run(resumeCollect(api, handle));
    expect(isVendorError(error, brightdata)).toBe(true);
    expect(Date.now() - startedAt).toBeLessThanOrEqual(40_000);
  });

  test('a value that is not a snapshot handle is refused with a TypeError', async () => {
    const {api} = setup();
    await expect(resumeCollect(api, {kind: 'supametas.task', id: 'x', deadline: 1} as never)).rejects.toThrow(
      TypeError,
    );
    await expect(resumeCollect(api, {kind: 'brightdata.snapshot', id: '', deadline: 1})).rejects.toThrow(
      TypeError,
    );
  });
});

describe('what counts as an unknown outcome', () => {
  const vendorError = (
    Class: new (init: VendorErrorInit) => VendorError,
    category: 'server' | 'validation' | 'rate_limited',
    processed?: boolean,
  ) => new Class({vendor: 'brightdata', action: 'fail', category, status: 500, processed});
  test.each([
    ['a 500', vendorError(ServerError, 'server'), true],
    ['a 500 the vendor proved unprocessed', vendorError(ServerError, 'server', false), false],
    ['a validation error', vendorError(ValidationError, 'validation'), false],
    ['the running-jobs 429', vendorError(RateLimitError, 'rate_limited'), false],
    ['a NetworkError', Object.assign(new Error('reset'), {name: 'NetworkError'}), true],
    ['a TimeoutError', new DOMException('late', 'TimeoutError'), true],
    ['a TypeError (bad input, never sent)', new TypeError('bad'), false],
  ])('%s: %s', (_name, error, unknown) => {
    expect(isUnknownOutcome(error)).toBe(unknown);
  });

  test('bad input is refused before anything is sent or looked up', async () => {
    const {sim, api} = setup();
    await expect(collect(api, {datasetId: DATASET, inputs: []})).rejects.toThrow(TypeError);
    await expect(collect(api, {datasetId: '', inputs: [{}]})).rejects.toThrow(TypeError);
    await expect(collect(api, REQUEST, {retrigger: 'always' as never})).rejects.toThrow(TypeError);
    expect(sim.log).toHaveLength(0);
  });
});
