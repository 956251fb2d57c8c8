/** @module Demo section 4: a Supametas.AI error hidden in HTTP 200, then a task through maintenance. */
import ky, {isHTTPError} from 'ky';
import {isVendorError, supametas, withVendor} from '../../src/index.ts';
import {createSupametasSimulator, startSupametasServer} from '../../src/testing/index.ts';
import {supametasAuth, waitForTask} from '../../src/vendors/supametas/index.ts';
import {plural, seconds} from './format.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Outcome, Row} from './row.ts';
import {section} from './section.ts';

const accessKey = 'demo-access-key';
const MAINTENANCE_MS = 1_000;
const POLL_MS = 400;

/** The service both clients use: the same options and seed each time. */
const simulator = () => createSupametasSimulator({accessKey, taskDurationMs: 2_000, seed: 4});

const form = (demandFormat: string): FormData => {
  const body = new FormData();
  body.append('file', new Blob(['# Notes\n'], {type: 'text/markdown'}), 'notes.md');
  body.append('data', JSON.stringify({getDemandFormat: demandFormat, title: 1, contentDetails: 1}));
  return body;
};

type Answer = {code: string; message?: string; data?: {taskId?: string; state?: string} | null};

/** A bad import, then a task polled through maintenance, with plain ky and its default retry. */
const withPlainKy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startSupametasServer(sim);
  try {
    const plain = ky.create({prefix: server.url, headers: {'Access-Key': accessKey}});
    const raw = await plain.post('file-task', {body: form('9')});
    const hidden = await raw.json<Answer>();
    // OPS40001 came back as data: the caller's code sees a success.
    const missed = hidden.code === '0' ? 0 : 1;
    out.say(`      plain ky: HTTP ${raw.status}, code ${hidden.code}, no error raised`);

    const created = await plain.post('file-task', {body: form('1')}).json<Answer>();
    const taskId = created.data?.taskId ?? '';
    sim.startMaintenance(MAINTENANCE_MS);
    let state = 'PENDING';
    let failure = '';
    // A plain polling loop, bounded: query until the task ends, or a query fails.
    for (
      let poll = 0;
      poll < 50 && (state === 'PENDING' || state === 'PENGDING' || state === 'RUNNING');
      poll++
    ) {
      try {
        const answer = await plain.post('query-task', {json: {taskId}}).json<Answer>();
        state = answer.data?.state ?? state;
      } catch (error) {
        failure = isHTTPError(error) ? `HTTPError ${error.response.status}` : String(error);
        break;
      }
      if (state === 'PENDING' || state === 'PENGDING' || state === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    out.say(`      plain ky: task ${taskId} ${failure === '' ? `ended ${state}` : `lost to ${failure}`}`);
    return {
      requests: sim.counters.requests,
      lost: state === 'SUCCESS' ? 0 : 1,
      // A 503 with Retry-After on a read-only query is a wait to honour, not the task's end.
      wrongFailures: missed + (failure === '' ? 0 : 1),
      result: `OPS40001 read as data; ${failure === '' ? state : failure}`,
    };
  } finally {
    await server.close();
  }
};

/** The same calls through `withVendor(supametas)` and `waitForTask`. */
const withPolicy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startSupametasServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs}) => `      query-task answered ${verdict.status}: resent in ${delayMs} ms`,
  );
  try {
    const api = ky.create({
      prefix: `${server.url}/openapi/open/v1`,
      ...withVendor(supametas, {auth: supametasAuth({accessKey}), onRetry: counter.onRetry}),
    });
    const hidden = await api.post('file-task', {body: form('9')}).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const caught = isVendorError(hidden, supametas) && hidden.code === 'OPS40001';
    out.say(
      `      ky-vendors: ${caught ? `${hidden.name} ${hidden.code} thrown (HTTP ${hidden.status})` : 'the hidden error was missed'}`,
    );

    const {taskId} = (await api.post('file-task', {body: form('1')}).json<{data: {taskId: string}}>()).data;
    sim.startMaintenance(MAINTENANCE_MS);
    let polls = 0;
    const task = await waitForTask(api, taskId, {
      intervalMs: POLL_MS,
      maxIntervalMs: 2 * POLL_MS,
      onPoll: ({status, elapsedMs}) => {
        polls++;
        out.update(`      task ${taskId}: ${status}, poll ${polls}, ${seconds(elapsedMs)}`);
      },
    }).catch((error: unknown) => ({state: error instanceof Error ? error.name : 'error'}));
    out.say(
      `      ky-vendors: task ${taskId} ${task.state} after ${plural(polls, 'poll')} (${counter.summary()})`,
    );
    return {
      requests: sim.counters.requests,
      lost: task.state === 'SUCCESS' ? 0 : 1,
      wrongFailures:
        (caught ? 0 : 1) + (task.state === 'ServerError' || task.state === 'RateLimitError' ? 1 : 0),
      result: `${caught ? 'ValidationError caught' : 'OPS40001 missed'}; ${task.state}`,
    };
  } finally {
    await server.close();
  }
};

/** Supametas: an error hidden in HTTP 200, caught; then a task waited out through maintenance. */
export const supametasSection = async (): Promise<Row> => {
  section(
    4,
    'Supametas.AI: a hidden error, caught',
    'A bad import answers HTTP 200 with {"code":"OPS40001"}: plain ky returns it as data, the policy',
    'throws ValidationError. Then a task, queried through a 503 with Retry-After (a read-only POST):',
    'plain ky does not resend a POST, the policy does for query-task.',
  );
  const started = Date.now();
  const plain = await withPlainKy();
  const policy = await withPolicy();
  return {
    vendor: 'Supametas.AI',
    scenario: 'OPS40001 in HTTP 200; a task through a 503',
    unit: 'tasks',
    total: 1,
    plain,
    policy,
    elapsedMs: Date.now() - started,
  };
};
