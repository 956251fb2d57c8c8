/** @module Demo section 4: a Supametas.AI error hidden in HTTP 200, then a task through maintenance. */
import ky from 'ky';
import {isVendorError, supametas, withVendor} from '../../src/index.ts';
import {createSupametasSimulator, startSupametasServer} from '../../src/testing/index.ts';
import {supametasAuth, waitForTask} from '../../src/vendors/supametas/index.ts';
import {plural, seconds} from './format.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Row} from './row.ts';
import {section} from './section.ts';

/** Supametas: an error hidden in HTTP 200, caught; then a task waited out through maintenance. */
export const supametasSection = async (): Promise<Row> => {
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
    const plain = ky.create({prefix: `${server.url}/openapi/open/v1`, headers: {'Access-Key': accessKey}});
    const raw = await plain.post('file-task', {body: form('9')});
    const data = await raw.json<{code: string}>();
    out.say(`      plain ky: HTTP ${raw.status}, code ${data.code}, no error raised`);

    const api = ky.create({
      prefix: `${server.url}/openapi/open/v1`,
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
      requests: sim.counters.requests,
      retries: `${counter.summary()}, ${plural(polls, 'poll')}`,
      outcome: `ValidationError caught; ${task.state}`,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await server.close();
  }
};
