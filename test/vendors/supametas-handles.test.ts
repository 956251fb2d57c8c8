/**
 * Supametas task handles: a wait stopped mid-way continues from its saved handle, and a deadline
 * error names the vendor and the last state.
 */
import ky from 'ky';
import {afterEach, beforeEach, expect, test, vi} from 'vitest';
import {isVendorError, withVendor} from '../../src/index.ts';
import {supametasHandlers} from '../../src/testing/msw.ts';
import {createSupametasSimulator, SUPAMETAS_BASE_URL} from '../../src/testing/supametas/index.ts';
import {
  resumeWaitForTask,
  supametas,
  supametasAuth,
  type TaskHandle,
  waitForTask,
} from '../../src/vendors/supametas/index.ts';
import {server} from '../helpers/server.ts';
import {settleWithFakeTime} from '../helpers/settle-with-fake-time.ts';

const ACCESS_KEY = 'sk-supametas-test-key-0001';

const client = () =>
  ky.create({
    prefix: SUPAMETAS_BASE_URL,
    ...withVendor(supametas, {auth: supametasAuth({accessKey: ACCESS_KEY}), random: () => 0.5}),
  });

const simulate = (taskDurationMs: number) => {
  const sim = createSupametasSimulator({accessKey: ACCESS_KEY, taskDurationMs});
  server.use(...supametasHandlers(sim));
  return sim;
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a wait stopped after two queries continues from its saved handle in a new instance and ends SUCCESS', async () => {
  const sim = simulate(40_000);
  const taskId = sim.createTask({taskName: 'report.pdf'});
  let saved = '';
  const stop = new AbortController();
  const first = await settleWithFakeTime(
    waitForTask(client(), taskId, {
      timeoutMs: 300_000,
      signal: stop.signal,
      onHandle: (handle) => {
        saved = JSON.stringify(handle);
      },
      onPoll: ({attempt}) => {
        if (attempt === 2) stop.abort(new Error('redeploy'));
      },
    }),
  );
  expect(first.error).toMatchObject({message: 'redeploy'});
  const handle = JSON.parse(saved) as TaskHandle;
  expect(handle).toMatchObject({kind: 'supametas.task', id: taskId});
  const resumed = await settleWithFakeTime(resumeWaitForTask(client(), handle), 1_000, 400);
  expect(resumed.value).toMatchObject({taskId, state: 'SUCCESS'});
  expect(sim.counters.byEndpoint['file-task'] ?? 0).toBe(0);
});

test('the deadline of a resumed wait is the handle deadline, and its error names supametas and the last state', async () => {
  const sim = simulate(3_600_000);
  const taskId = sim.createTask({taskName: 'slow.pdf'});
  const handle: TaskHandle = {kind: 'supametas.task', id: taskId, deadline: Date.now() + 60_000};
  const startedAt = Date.now();
  const outcome = await settleWithFakeTime(resumeWaitForTask(client(), handle), 1_000, 400);
  expect(isVendorError(outcome.error, supametas)).toBe(true);
  expect(outcome.error).toMatchObject({
    name: 'NotReadyError',
    envelope: {status: expect.stringMatching(/PEN/)},
  });
  expect(Date.now() - startedAt).toBeLessThanOrEqual(61_000);
});
