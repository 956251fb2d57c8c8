import ky from 'ky';
import {http, passthrough} from 'msw';
import {describe, expect, test} from 'vitest';
import {classify, withVendor} from '../../src/index.ts';
import {supametasHandlers} from '../../src/testing/msw.ts';
import {
  createSupametasSimulator,
  SUPAMETAS_BASE_URL,
  type SupametasSimulatorOptions,
  startSupametasServer,
} from '../../src/testing/supametas/index.ts';
import {supametas, supametasAuth, waitForTask} from '../../src/vendors/supametas/index.ts';
import {server} from '../helpers/server.ts';

const KEY = 'sk-supametas-simulator';

/** A simulator on a hand-moved clock. */
const setup = (options: SupametasSimulatorOptions = {}) => {
  let nowMs = 1_000_000;
  const sim = createSupametasSimulator({now: () => nowMs, ...options});
  const post = async (endpoint: string, body?: BodyInit, headers: Record<string, string> = {}) => {
    const response = await sim.handle(
      new Request(`${SUPAMETAS_BASE_URL}/${endpoint}`, {
        method: 'POST',
        headers: {'Access-Key': KEY, ...headers},
        ...(body === undefined ? {} : {body}),
      }),
    );
    return {status: response.status, headers: response.headers, body: await response.text()};
  };
  const postJson = (endpoint: string, value: unknown) =>
    post(endpoint, JSON.stringify(value), {'Content-Type': 'application/json'});
  const json = (text: string) =>
    JSON.parse(text) as {
      code: string;
      message: string | null;
      data: {readonly [key: string]: unknown; readonly taskId?: string; readonly state?: string};
    };
  return {
    sim,
    post,
    postJson,
    json,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
};

const fileForm = (data: Record<string, unknown>, fileName = 'notes.md') => {
  const form = new FormData();
  form.set('file', new Blob(['# notes'], {type: 'text/markdown'}), fileName);
  form.set('data', JSON.stringify(data));
  return form;
};

describe('Supametas simulator', () => {
  test('file-task creates a task in the success envelope', async () => {
    const {sim, post, json} = setup();
    const answer = await post('file-task', fileForm({getDemandFormat: '1', title: 1}));
    expect(answer.status).toBe(200);
    const body = json(answer.body);
    expect(body).toMatchObject({
      code: '0',
      message: null,
      data: {num: 1, taskId: expect.stringMatching(/^\d{19}$/)},
    });
    expect(sim.tasks.get(String(body.data.taskId))).toMatchObject({taskName: 'notes.md'});
    expect(sim.counters.tasksCreated).toBe(1);
  });

  test.each([
    ['getDemandFormat outside 1/2', fileForm({getDemandFormat: '3', title: 1}), 'OPS40001'],
    ['a file type it does not take', fileForm({getDemandFormat: '1', title: 1}, 'song.mp3'), 'OPS40002'],
    ['no field asked for', fileForm({getDemandFormat: '2'}), 'OPS40003'],
    ['no file', new FormData(), 'OPS40004'],
  ])('file-task with %s answers %s hidden in HTTP 200', async (_case, form, code) => {
    const {sim, post, json} = setup();
    const answer = await post('file-task', form);
    expect(answer.status).toBe(200);
    expect(json(answer.body)).toMatchObject({code, data: null});
    expect(sim.counters.opsErrors).toBe(1);
    expect(sim.counters.tasksCreated).toBe(0);
  });

  test('file-task sent as JSON is the wrong content type (OPS40002)', async () => {
    const {postJson, json} = setup();
    expect(json((await postJson('file-task', {getDemandFormat: '1'})).body).code).toBe('OPS40002');
  });

  test('the hidden business errors are errors to the vendor definition', async () => {
    const {postJson} = setup();
    const answer = await postJson('query-task', {});
    const verdict = classify(supametas, {status: answer.status, headers: answer.headers, body: answer.body});
    expect(verdict).toMatchObject({action: 'fail', category: 'validation', code: 'OPS40004'});
  });

  test('business errors can come with HTTP 400 instead', async () => {
    const {postJson} = setup({opsErrorStatus: 400});
    const answer = await postJson('query-task', {taskId: 'nope'});
    expect(answer.status).toBe(400);
  });

  test.each([
    ['PENGDING', undefined],
    ['PENDING', 'PENDING'],
  ] as const)('a task reads %s until its duration passes, then its outcome', async (pending, option) => {
    const {sim, postJson, json, advance} = setup({
      taskDurationMs: 10_000,
      ...(option === undefined ? {} : {pendingState: option}),
    });
    const taskId = sim.createTask({outcome: 'FAIL', taskName: 'The first task'});
    const state = async () => json((await postJson('query-task', {taskId})).body).data;
    expect(await state()).toEqual({taskId, taskName: 'The first task', state: pending});
    advance(9_999);
    expect((await state()).state).toBe(pending);
    advance(1);
    expect((await state()).state).toBe('FAIL');
  });

  test('a canceled task reads CANCEL at once', async () => {
    const {sim} = setup();
    const taskId = sim.createTask();
    sim.cancelTask(taskId);
    expect(sim.stateOf(taskId)).toBe('CANCEL');
  });

  test('outcomes follow their weights and the seed', () => {
    const outcomes = (seed: number) => {
      const {sim} = setup({seed, outcomes: {SUCCESS: 1, FAIL: 1, CANCEL: 1}});
      return Array.from({length: 60}, () => sim.tasks.get(sim.createTask())?.outcome);
    };
    const first = outcomes(7);
    expect(outcomes(7)).toEqual(first);
    expect(outcomes(8)).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['SUCCESS', 'FAIL', 'CANCEL']));
    const {sim} = setup({outcomes: {FAIL: 1}});
    expect(sim.tasks.get(sim.createTask())?.outcome).toBe('FAIL');
  });

  test('durations get a seeded random extra', () => {
    const {sim} = setup({taskDurationMs: 1000, taskDurationJitterMs: 5000});
    const durations = Array.from({length: 20}, () => {
      const task = sim.tasks.get(sim.createTask());
      return (task?.doneAtMs ?? 0) - (task?.createdAtMs ?? 0);
    });
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...durations)).toBeLessThan(6000);
    expect(new Set(durations).size).toBeGreaterThan(1);
  });

  test('query-task without a taskId answers OPS40004', async () => {
    const {postJson, json} = setup();
    expect(json((await postJson('query-task', {})).body)).toEqual({
      code: 'OPS40004',
      message: '参数值不正确',
      data: null,
    });
  });

  test.each([
    ['https://example.com/hook', '0'],
    ['http://example.com/hook', 'OPS40004'],
    ['https://example.com/hook?token=1', 'OPS40004'],
    ['not a url', 'OPS40004'],
  ])('set-webhook %s answers %s', async (url, code) => {
    const {sim, postJson, json} = setup();
    const body = json((await postJson('set-webhook', {url})).body);
    expect(body.code).toBe(code);
    if (code === '0') {
      expect(body.data).toEqual({optResult: 'success'});
      expect(sim.webhookUrl()).toBe(url);
    }
  });

  test.each([
    ['no key', {}],
    ['a wrong key', {'Access-Key': 'sk-wrong'}],
  ])('%s gets 401 Access-Key invalid', async (_case, headers) => {
    const {sim, json} = setup();
    const response = await sim.handle(
      new Request(`${SUPAMETAS_BASE_URL}/query-task`, {method: 'POST', headers, body: '{"taskId":"1"}'}),
    );
    expect(response.status).toBe(401);
    expect(json(await response.text())).toEqual({code: '401', message: 'Access-Key invalid', data: null});
    expect(sim.counters.unauthorized).toBe(1);
  });

  test('with accessKey null any request is let in', async () => {
    const {sim, postJson} = setup({accessKey: null});
    const taskId = sim.createTask();
    const response = await sim.handle(
      new Request(`${SUPAMETAS_BASE_URL}/query-task`, {method: 'POST', body: JSON.stringify({taskId})}),
    );
    expect(response.status).toBe(200);
    expect((await postJson('query-task', {taskId})).status).toBe(200);
  });

  test('maintenance answers 503 with the remaining time in Retry-After, then ends', async () => {
    const {sim, postJson, advance} = setup();
    sim.startMaintenance(90_500);
    const during = await postJson('query-task', {taskId: '1'});
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('91');
    advance(90_500);
    expect((await postJson('query-task', {taskId: '1'})).status).toBe(200);
    expect(sim.counters.maintenance).toBe(1);
  });

  test('unknown endpoints answer 404 and other methods 405, both in the envelope', async () => {
    const {sim, post, json} = setup();
    const missing = await post('image-task-v9');
    expect(missing.status).toBe(404);
    expect(json(missing.body).code).toBe('404');
    const wrongMethod = await sim.handle(new Request(`${SUPAMETAS_BASE_URL}/query-task`));
    expect(wrongMethod.status).toBe(405);
    expect(sim.counters.byEndpoint).toEqual({'image-task-v9': 1, 'query-task': 1});
  });

  test('answers ky through msw handlers', async () => {
    const sim = createSupametasSimulator({taskDurationMs: 0});
    server.use(...supametasHandlers(sim));
    const api = ky.create({
      prefix: SUPAMETAS_BASE_URL,
      ...withVendor(supametas, {auth: supametasAuth({accessKey: KEY})}),
    });
    const created = await api
      .post('file-task', {body: fileForm({getDemandFormat: '2', contentDetails: 1})})
      .json<{data: {taskId: string}}>();
    await expect(waitForTask(api, created.data.taskId)).resolves.toMatchObject({state: 'SUCCESS'});
    expect(sim.counters.requests).toBe(2);
  });

  test('answers ky over a loopback HTTP server', async () => {
    const sim = createSupametasSimulator({taskDurationMs: 0});
    const {url, close} = await startSupametasServer(sim);
    try {
      // The host root, like every simulator server: the real prefix works with the origin swapped.
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The request really goes over the socket: msw lets the loopback server answer.
      server.use(http.all(`${url}/*`, () => passthrough()));
      const api = ky.create({
        prefix: `${url}/openapi/open/v1`,
        ...withVendor(supametas, {auth: supametasAuth({accessKey: KEY})}),
      });
      const created = await api
        .post('file-task', {body: fileForm({getDemandFormat: '1', customKeys: [{key: 'a', desc: 'b'}]})})
        .json<{data: {taskId: string}}>();
      await expect(waitForTask(api, created.data.taskId)).resolves.toMatchObject({state: 'SUCCESS'});
      const hidden = await api.post('query-task', {json: {}}).catch((error: unknown) => error);
      expect(hidden).toMatchObject({name: 'ValidationError', code: 'OPS40004'});
      expect(sim.counters.byEndpoint).toEqual({'file-task': 1, 'query-task': 2});
    } finally {
      await close();
    }
  });
});
