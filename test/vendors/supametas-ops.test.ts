import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {
  AuthError,
  JobFailedError,
  NotFoundError,
  NotReadyError,
  ValidationError,
  withVendor,
} from '../../src/index.ts';
import type {PollEvent} from '../../src/poll/poll.ts';
import {supametasHandlers} from '../../src/testing/msw.ts';
import {
  createSupametasSimulator,
  SUPAMETAS_BASE_URL,
  type SupametasSimulatorOptions,
} from '../../src/testing/supametas/index.ts';
import {supametas, supametasAuth, waitForTask} from '../../src/vendors/supametas/index.ts';
import {server} from '../helpers/server.ts';
import {settleWithFakeTime} from '../helpers/settle-with-fake-time.ts';

const ACCESS_KEY = 'sk-supametas-test-key-0001';

const client = (retryLimit?: number) =>
  ky.create({
    prefix: SUPAMETAS_BASE_URL,
    ...withVendor(supametas, {
      auth: supametasAuth({accessKey: ACCESS_KEY}),
      random: () => 0.5,
      ...(retryLimit === undefined ? {} : {retryLimit}),
    }),
  });

const simulate = (options: SupametasSimulatorOptions = {}) => {
  const sim = createSupametasSimulator({accessKey: ACCESS_KEY, ...options});
  server.use(...supametasHandlers(sim));
  return sim;
};

const settle = settleWithFakeTime;

const queryCount = (sim: ReturnType<typeof createSupametasSimulator>) =>
  sim.counters.byEndpoint['query-task'] ?? 0;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('waitForTask', () => {
  test('waits through PENGDING at 5 s growing by half, then resolves with the task data', async () => {
    const sim = simulate({taskDurationMs: 12_000, pendingState: 'PENGDING'});
    const taskId = sim.createTask({taskName: 'report.pdf'});
    const events: PollEvent[] = [];
    const outcome = await settle(waitForTask(client(), taskId, {onPoll: (event) => events.push(event)}));
    expect(outcome.value).toEqual({taskId, taskName: 'report.pdf', state: 'SUCCESS'});
    expect(events.map(({status, delayMs}) => [status, delayMs])).toEqual([
      ['PENGDING', 5000],
      ['PENGDING', 7500],
    ]);
    expect(queryCount(sim)).toBe(3);
    expect(sim.counters.unauthorized).toBe(0);
  });

  test('also waits on the PENDING spelling', async () => {
    const sim = simulate({taskDurationMs: 4000, pendingState: 'PENDING'});
    const taskId = sim.createTask();
    const events: PollEvent[] = [];
    const outcome = await settle(waitForTask(client(), taskId, {onPoll: (event) => events.push(event)}));
    expect(outcome.value).toMatchObject({state: 'SUCCESS'});
    expect(events.map((event) => event.status)).toEqual(['PENDING']);
  });

  test('a FAIL state throws JobFailedError with the state as code', async () => {
    const sim = simulate({taskDurationMs: 3000});
    const taskId = sim.createTask({taskName: 'broken.docx', outcome: 'FAIL'});
    const {error} = await settle(waitForTask(client(), taskId));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({
      vendor: 'supametas',
      code: 'FAIL',
      category: 'job_failed',
      action: 'fail',
      status: 200,
      attempts: 2,
      message: expect.stringContaining(`task ${taskId} (broken.docx) failed`),
    });
    expect(queryCount(sim)).toBe(2);
  });

  test('a CANCEL state (task deleted) throws NotFoundError with code CANCEL', async () => {
    const sim = simulate({taskDurationMs: 60_000});
    const taskId = sim.createTask();
    const promise = waitForTask(client(), taskId);
    await vi.advanceTimersByTimeAsync(1000);
    expect(queryCount(sim)).toBe(1);
    sim.cancelTask(taskId);
    const {error} = await settle(promise);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({code: 'CANCEL', category: 'not_found', vendor: 'supametas'});
    expect(queryCount(sim)).toBe(2);
  });

  test('keeps polling through states it does not know', async () => {
    const states = ['QUEUED', 'PENGDING', 'SUCCESS'];
    let count = 0;
    server.use(
      http.post(`${SUPAMETAS_BASE_URL}/query-task`, () => {
        const state = states[Math.min(count++, states.length - 1)];
        return HttpResponse.json({code: '0', message: null, data: {taskId: '1', taskName: 't', state}});
      }),
    );
    const events: PollEvent[] = [];
    const outcome = await settle(waitForTask(client(), '1', {onPoll: (event) => events.push(event)}));
    expect(outcome.value).toMatchObject({state: 'SUCCESS'});
    expect(events.map((event) => event.status)).toEqual(['QUEUED', 'PENGDING']);
  });

  test('a business error hidden in a 200 during polling ends the wait with ValidationError', async () => {
    let count = 0;
    server.use(
      http.post(`${SUPAMETAS_BASE_URL}/query-task`, () => {
        count++;
        return count === 1
          ? HttpResponse.json({
              code: '0',
              message: null,
              data: {taskId: '1', taskName: 't', state: 'PENGDING'},
            })
          : HttpResponse.json({code: 'OPS40004', message: '参数值不正确', data: null});
      }),
    );
    const {error} = await settle(waitForTask(client(), '1'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({code: 'OPS40004', status: 200, attempts: 1});
    expect(count).toBe(2);
  });

  test('refuses an instance without the vendor policy, naming withVendor, and sends nothing', async () => {
    const sim = simulate();
    const bare = ky.create({prefix: SUPAMETAS_BASE_URL, headers: {'Access-Key': ACCESS_KEY}});
    const {error} = await settle(waitForTask(bare, 'no-such-task'));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('withVendor(supametas)');
    expect(queryCount(sim)).toBe(0);
  });

  test('waits out a 503 maintenance window at the pace of its Retry-After', async () => {
    const sim = simulate({taskDurationMs: 10_000});
    const taskId = sim.createTask();
    const events: PollEvent[] = [];
    // No retries inside ky: the poll itself has to wait the 503 out.
    const promise = waitForTask(client(0), taskId, {onPoll: (event) => events.push(event)});
    await vi.advanceTimersByTimeAsync(0);
    expect(queryCount(sim)).toBe(1);
    sim.startMaintenance(20_000);
    const outcome = await settle(promise);
    expect(outcome.value).toMatchObject({state: 'SUCCESS'});
    expect(sim.counters.maintenance).toBe(1);
    expect(events.map(({status, delayMs}) => [status, delayMs])).toEqual([
      ['PENGDING', 5000],
      ['transient', 15_000],
    ]);
  });

  test('a 503 inside one question is resent by the instance, since query-task is marked idempotent', async () => {
    const sim = simulate({taskDurationMs: 0, maintenanceUntilMs: Date.now() + 3000});
    const taskId = sim.createTask();
    const outcome = await settle(waitForTask(client(), taskId));
    expect(outcome.value).toMatchObject({state: 'SUCCESS'});
    expect(sim.counters.maintenance).toBe(1);
    expect(queryCount(sim)).toBe(2);
  });

  test('ends with NotReadyError and the last state when the deadline passes', async () => {
    const sim = simulate({taskDurationMs: 3_600_000});
    const taskId = sim.createTask();
    const {error} = await settle(waitForTask(client(), taskId, {timeoutMs: 20_000}));
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toContain('still PENGDING after 20000 ms');
    // Questions at 0, 5 s and 12.5 s; the next wait (11.25 s) would pass the deadline.
    expect(queryCount(sim)).toBe(3);
  });

  test('an abort rejects with its reason and leaves no timer behind', async () => {
    const sim = simulate({taskDurationMs: 3_600_000});
    const taskId = sim.createTask();
    const controller = new AbortController();
    const promise = waitForTask(client(), taskId, {signal: controller.signal});
    const result = promise.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(queryCount(sim)).toBe(1);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(result).resolves.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(queryCount(sim)).toBe(1);
  });

  test('refuses an empty task id without a request', async () => {
    const sim = simulate();
    await expect(waitForTask(client(), '')).rejects.toThrow(TypeError);
    expect(sim.counters.requests).toBe(0);
  });
});

describe('supametasAuth', () => {
  test('sends the Access-Key header', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.post(`${SUPAMETAS_BASE_URL}/set-webhook`, ({request}) => {
        seen.push(request.headers.get('access-key'));
        return HttpResponse.json({code: '0', message: null, data: {optResult: 'success'}});
      }),
    );
    await client()
      .post('set-webhook', {json: {url: 'https://example.com/hook'}})
      .json();
    expect(seen).toEqual([ACCESS_KEY]);
  });

  test('a rejected key fails with AuthError that never shows the key', async () => {
    server.use(
      http.post(`${SUPAMETAS_BASE_URL}/query-task`, ({request}) =>
        HttpResponse.json(
          {code: '401', message: `Access-Key invalid: ${request.headers.get('access-key')}`, data: null},
          {status: 401},
        ),
      ),
    );
    const error = await client()
      .post('query-task', {json: {taskId: '1'}})
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(String(error)).not.toContain(ACCESS_KEY);
    expect(JSON.stringify(error)).not.toContain(ACCESS_KEY);
    expect((error as Error).message).toContain('Access-Key invalid');
  });

  test('refuses an empty key', () => {
    expect(() => supametasAuth({accessKey: ''})).toThrow(TypeError);
  });
});
