import ky from 'ky';
import {http, passthrough} from 'msw';
import {describe, expect, test} from 'vitest';
import {classify} from '../../src/classify/classify.ts';
import {
  type BrightdataSimulatorOptions,
  brightdataFetch,
  createBrightdataSimulator,
  type SimResponse,
  startBrightdataServer,
} from '../../src/testing/brightdata/index.ts';
import {brightdataHandlers} from '../../src/testing/msw.ts';
import {brightdata} from '../../src/vendors/brightdata/brightdata.ts';
import {server} from '../helpers/server.ts';

/** A simulator on a hand-driven clock. */
const simulator = (options: BrightdataSimulatorOptions = {}) => {
  let now = 1_000_000;
  const sim = createBrightdataSimulator({now: () => now, ...options});
  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    sim.handle({method, url, headers, ...(body === undefined ? {} : {body: JSON.stringify(body)})});
  const trigger = (inputs: unknown[] = [{url: 'https://example.com/a'}]) => {
    const answer = call('POST', '/datasets/v3/trigger?dataset_id=gd_test', inputs);
    return JSON.parse(answer.body) as {snapshot_id: string};
  };
  return {
    sim,
    call,
    trigger,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

const jsonOf = (answer: SimResponse): unknown => JSON.parse(answer.body);

describe('BrightData simulator', () => {
  test('moves a job from starting to running to ready by its clock', () => {
    const {call, trigger, advance} = simulator({startingMs: 2_000, readyAfterMs: 30_000});
    const {snapshot_id: id} = trigger();
    const statusAt = () => (jsonOf(call('GET', `/datasets/v3/progress/${id}`)) as {status: string}).status;
    expect(statusAt()).toBe('starting');
    advance(2_000);
    expect(statusAt()).toBe('running');
    advance(27_999);
    expect(statusAt()).toBe('running');
    advance(1);
    expect(statusAt()).toBe('ready');
  });

  test('reports a failed job with its error message', () => {
    const {call, trigger, advance} = simulator({failRate: 1, failMessage: 'Account is suspended'});
    const {snapshot_id: id} = trigger();
    advance(30_000);
    const answer = call('GET', `/datasets/v3/progress/${id}`);
    expect(answer.status).toBe(200);
    expect(jsonOf(answer)).toMatchObject({status: 'failed', error_message: 'Account is suspended'});
  });

  test('answers 429 in plain text past the running-jobs cap, and counts it', () => {
    const {sim, call, trigger, advance} = simulator({maxRunningJobs: 2, throttleRetryAfterSec: 5});
    trigger();
    trigger();
    const answer = call('POST', '/datasets/v3/trigger?dataset_id=gd_test', [{url: 'x'}]);
    expect(answer.status).toBe(429);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.body).toMatch(/^You have too many running jobs for this dataset\..*Running jobs: 2>=2$/);
    expect(sim.counters.throttled).toBe(1);
    expect(sim.counters.jobsCreated).toBe(2);
    advance(30_000);
    expect(call('POST', '/datasets/v3/trigger?dataset_id=gd_test', [{url: 'x'}]).status).toBe(200);
  });

  test('answers the snapshot with 202 and the 10 s hint until ready, then N more 202 building', () => {
    const {call, trigger, advance} = simulator({readyAfterMs: 20_000, buildingDownloads: 2});
    const {snapshot_id: id} = trigger();
    const early = call('GET', `/datasets/v3/snapshot/${id}?format=json`);
    expect(early.status).toBe(202);
    expect(early.headers['retry-after']).toBe('10');
    expect(jsonOf(early)).toEqual({
      status: 'starting',
      message: 'Snapshot is not ready yet, try again in 10s',
    });
    advance(20_000);
    for (let index = 0; index < 2; index++) {
      const building = call('GET', `/datasets/v3/snapshot/${id}?format=json`);
      expect(building.status).toBe(202);
      expect(jsonOf(building)).toEqual({
        status: 'building',
        message: 'Snapshot is building, try again in 10s',
      });
    }
    const ready = call('GET', `/datasets/v3/snapshot/${id}?format=json`);
    expect(ready.status).toBe(200);
    expect(jsonOf(ready)).toEqual([{url: 'https://example.com/a', index: 0}]);
  });

  test('serves NDJSON, CSV and parts of a snapshot', () => {
    const {call, trigger, advance} = simulator({readyAfterMs: 0, recordsPerInput: 5, minBatchSize: 2});
    const {snapshot_id: id} = trigger([{q: 'a'}]);
    advance(1);
    const ndjson = call('GET', `/datasets/v3/snapshot/${id}?format=ndjson`);
    expect(ndjson.body.split('\n')).toEqual([
      '{"q":"a","index":0}',
      '{"q":"a","index":1}',
      '{"q":"a","index":2}',
      '{"q":"a","index":3}',
      '{"q":"a","index":4}',
      '',
    ]);
    expect(call('GET', `/datasets/v3/snapshot/${id}?format=csv`).body).toBe(
      'q,index\na,0\na,1\na,2\na,3\na,4\n',
    );
    expect(jsonOf(call('GET', `/datasets/v3/snapshot/${id}/parts?format=json&batch_size=2`))).toEqual({
      parts: 3,
    });
    const last = call('GET', `/datasets/v3/snapshot/${id}?format=json&batch_size=2&part=3`);
    expect(jsonOf(last)).toEqual([{q: 'a', index: 4}]);
    expect(call('GET', `/datasets/v3/snapshot/${id}?format=json&batch_size=1`).status).toBe(400);
  });

  test('cancels a running job once, then answers "Snapshot is not running"', () => {
    const {call, trigger, sim} = simulator();
    const {snapshot_id: id} = trigger();
    expect(call('POST', `/datasets/v3/snapshot/${id}/cancel`).status).toBe(200);
    expect(sim.statusOf(id)).toBe('canceled');
    const again = call('POST', `/datasets/v3/snapshot/${id}/cancel`);
    expect([again.status, again.body]).toEqual([400, 'Snapshot is not running']);
    const unknown = call('POST', '/datasets/v3/snapshot/s_nope/cancel');
    expect([unknown.status, unknown.body]).toEqual([404, 'Snapshot does not exist']);
  });

  test.each(['canceled', 'cancelled'] as const)(
    'a cancelled job reads %s on progress, which the vendor table ends as job_canceled',
    (canceledStatus) => {
      const {call, trigger} = simulator({canceledStatus, readyAfterMs: 60_000});
      const {snapshot_id: id} = trigger();
      expect(call('POST', `/datasets/v3/snapshot/${id}/cancel`).status).toBe(200);
      const answer = call('GET', `/datasets/v3/progress/${id}`);
      expect(jsonOf(answer)).toMatchObject({status: canceledStatus});
      const verdict = classify(brightdata, {status: answer.status, body: jsonOf(answer)});
      expect(verdict).toMatchObject({action: 'fail', category: 'job_failed', code: 'job_canceled'});
    },
  );

  test.each(['canceled', 'cancelled'] as const)(
    'deliveryCancelRate: 1 ends a delivery %s',
    (canceledStatus) => {
      const {call, trigger, advance} = simulator({
        canceledStatus,
        deliveryCancelRate: 1,
        readyAfterMs: 10_000,
      });
      const {snapshot_id: id} = trigger();
      advance(10_000);
      const target = {deliver: {type: 'webhook', endpoint: 'https://example.com/in'}};
      const {delivery_id: deliveryId} = jsonOf(call('POST', `/datasets/v3/deliver/${id}`, target)) as {
        delivery_id: string;
      };
      advance(5_000);
      const answer = call('GET', `/datasets/v3/delivery/${deliveryId}`);
      expect(jsonOf(answer)).toEqual({id: deliveryId, status: canceledStatus});
      expect(classify(brightdata, {status: 200, body: jsonOf(answer)})).toMatchObject({code: 'job_canceled'});
    },
  );

  test('delivers a ready snapshot after deliveryMs, and refuses one still running', () => {
    const {call, trigger, advance} = simulator({readyAfterMs: 10_000, deliveryMs: 5_000});
    const {snapshot_id: id} = trigger();
    const target = {deliver: {type: 'webhook', endpoint: 'https://example.com/in'}};
    expect(call('POST', `/datasets/v3/deliver/${id}`, target).body).toBe('Snapshot is not ready');
    advance(10_000);
    expect(call('POST', `/datasets/v3/deliver/${id}`, {}).body).toBe('Deliver options are missing');
    const {delivery_id: deliveryId} = jsonOf(call('POST', `/datasets/v3/deliver/${id}`, target)) as {
      delivery_id: string;
    };
    expect(jsonOf(call('GET', `/datasets/v3/delivery/${deliveryId}`))).toMatchObject({status: 'in_progress'});
    advance(5_000);
    expect(jsonOf(call('GET', `/datasets/v3/delivery/${deliveryId}`))).toMatchObject({
      status: 'done',
      delivery_files: [{filename: `${id}_0.json`}],
    });
  });

  test('answers a quick sync scrape with data and a slow one with 202 and its snapshot_id', () => {
    const quick = simulator({readyAfterMs: 5_000});
    const direct = quick.call('POST', '/datasets/v3/scrape?dataset_id=gd_test', {input: [{url: 'u'}]});
    expect([direct.status, jsonOf(direct)]).toEqual([200, [{url: 'u', index: 0}]]);
    const slow = simulator({readyAfterMs: 120_000});
    const handed = slow.call('POST', '/datasets/v3/scrape?dataset_id=gd_test', {input: [{url: 'u'}]});
    expect(handed.status).toBe(202);
    expect(handed.headers['retry-after']).toBe('10');
    expect(jsonOf(handed)).toMatchObject({snapshot_id: expect.stringMatching(/^s_/)});
  });

  test.each([
    [undefined, 'Credentials are missing'],
    ['Basic abc', 'Auth method is not supported'],
    ['Bearer wrong-key', 'Invalid credentials'],
  ])('answers 401 for authorization %s', (authorization, message) => {
    const {call, sim} = simulator({apiKey: 'right-key-123'});
    const headers: Record<string, string> = authorization === undefined ? {} : {Authorization: authorization};
    const answer = call('GET', '/datasets/v3/progress/s_x', undefined, headers);
    expect([answer.status, answer.body]).toEqual([401, message]);
    expect(sim.counters.unauthorized).toBe(1);
  });

  test('injects faults for a number of requests, optionally after carrying the request out', () => {
    const {call, sim} = simulator();
    sim.inject('trigger', {status: 500, count: 2, apply: true});
    expect(call('POST', '/datasets/v3/trigger?dataset_id=gd_test', [{url: 'x'}]).status).toBe(500);
    expect(call('POST', '/datasets/v3/trigger?dataset_id=gd_test', [{url: 'x'}]).status).toBe(500);
    expect(call('POST', '/datasets/v3/trigger?dataset_id=gd_test', [{url: 'x'}]).status).toBe(200);
    expect(sim.counters.jobsCreated).toBe(3);
    expect(sim.counters.serverErrors).toBe(2);
    expect(sim.counters.requests.trigger).toBe(3);
  });

  test('fails progress requests at the configured rate from the seeded source', () => {
    const {call, trigger, sim} = simulator({progressErrorRate: 0.5, seed: 42});
    const {snapshot_id: id} = trigger();
    const statuses = Array.from({length: 200}, () => call('GET', `/datasets/v3/progress/${id}`).status);
    const errors = statuses.filter((status) => status === 500).length;
    expect(errors).toBeGreaterThan(60);
    expect(errors).toBeLessThan(140);
    expect(sim.counters.statuses[500]).toBe(errors);
    const replay = simulator({progressErrorRate: 0.5, seed: 42});
    const again = replay.trigger();
    expect(again.snapshot_id).toBe(id);
    expect(Array.from({length: 200}, () => replay.call('GET', `/datasets/v3/progress/${id}`).status)).toEqual(
      statuses,
    );
  });

  test('logs requests with the simulator clock and resets', () => {
    const {call, trigger, advance, sim} = simulator();
    const {snapshot_id: id} = trigger();
    advance(10_000);
    call('GET', `/datasets/v3/progress/${id}`);
    expect(sim.log.map((entry) => [entry.endpoint, entry.at, entry.status])).toEqual([
      ['trigger', 1_000_000, 200],
      ['progress', 1_010_000, 200],
    ]);
    sim.reset();
    expect(sim.log).toEqual([]);
    expect(sim.counters.requests.progress).toBe(0);
    expect(sim.counters.statuses).toEqual({});
    expect(sim.jobs.size).toBe(0);
  });

  test.each([
    [
      'a snapshot 202',
      {method: 'GET', readyAfterMs: 60_000},
      {action: 'poll', code: 'snapshot_not_ready', statedDelayMs: 10_000},
    ],
    [
      'a running-jobs 429',
      {method: 'POST', readyAfterMs: 60_000},
      {action: 'throttle', code: 'too_many_running_jobs'},
    ],
    ['a failed progress', {method: 'PROGRESS', readyAfterMs: 0}, {action: 'fail', category: 'permission'}],
  ])('speaks the dialect the vendor table reads: %s', (_name, setup, expected) => {
    const {call, trigger, advance, sim} = simulator({
      readyAfterMs: setup.readyAfterMs,
      maxRunningJobs: 1,
      failRate: setup.method === 'PROGRESS' ? 1 : 0,
      failMessage: 'Account is suspended',
    });
    const {snapshot_id: id} = trigger();
    advance(1);
    const answer =
      setup.method === 'GET'
        ? call('GET', `/datasets/v3/snapshot/${id}`)
        : setup.method === 'POST'
          ? call('POST', '/datasets/v3/trigger?dataset_id=gd_test', [{url: 'x'}])
          : call('GET', `/datasets/v3/progress/${id}`);
    expect(sim.log.length).toBe(2);
    expect(
      classify(brightdata, {status: answer.status, headers: answer.headers, body: answer.body}),
    ).toMatchObject(expected);
  });
});

describe('BrightData simulator adapters', () => {
  test('serves through msw handlers', async () => {
    const sim = createBrightdataSimulator({readyAfterMs: 0});
    server.use(...brightdataHandlers(sim));
    const {snapshot_id: id} = await ky
      .post('https://api.brightdata.com/datasets/v3/trigger', {
        searchParams: {dataset_id: 'gd_x'},
        json: [{a: 1}],
      })
      .json<{snapshot_id: string}>();
    await expect(
      ky.get(`https://api.brightdata.com/datasets/v3/progress/${id}`).json(),
    ).resolves.toMatchObject({
      status: 'ready',
    });
    expect(sim.counters.requests).toMatchObject({trigger: 1, progress: 1});
  });

  test('serves through a fetch function, gzipping compressed downloads', async () => {
    const sim = createBrightdataSimulator({readyAfterMs: 0});
    const api = ky.create({prefix: 'https://api.brightdata.com', fetch: brightdataFetch(sim)});
    const {snapshot_id: id} = await api
      .post('datasets/v3/trigger', {searchParams: {dataset_id: 'gd_x'}, json: [{a: 1}]})
      .json<{snapshot_id: string}>();
    const response = await api.get(`datasets/v3/snapshot/${id}`, {
      searchParams: {format: 'ndjson', compress: true},
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const text = await new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
    ).text();
    expect(text).toBe('{"a":1,"index":0}\n');
  });

  test('serves on a loopback port and drops a truncated download mid-body', async () => {
    const sim = createBrightdataSimulator({
      readyAfterMs: 0,
      apiKey: 'loopback-key-1',
      truncateDownloadBytes: 10,
    });
    const {url, close} = await startBrightdataServer(sim);
    server.use(http.all(`${url}/*`, () => passthrough()));
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const api = ky.create({prefix: url, headers: {authorization: 'Bearer loopback-key-1'}, retry: 0});
      const {snapshot_id: id} = await api
        .post('datasets/v3/trigger', {searchParams: {dataset_id: 'gd_x'}, json: [{a: 1}, {a: 2}]})
        .json<{snapshot_id: string}>();
      const response = await api.get(`datasets/v3/snapshot/${id}`, {searchParams: {format: 'ndjson'}});
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      const denied = await ky.get(`${url}/datasets/v3/progress/${id}`, {throwHttpErrors: false, retry: 0});
      expect([denied.status, await denied.text()]).toEqual([401, 'Credentials are missing']);
    } finally {
      await close();
    }
  });
});
