/**
 * @module Supametas.AI: import a file as a task and wait for it to finish.
 */
import ky from 'ky';
import {supametas, withVendor} from '../src/index.ts';
import {createSupametasSimulator, startSupametasServer} from '../src/testing/index.ts';
import {supametasAuth, waitForTask} from '../src/vendors/supametas/index.ts';

const accessKey = 'demo-access-key';
const sim = createSupametasSimulator({accessKey, taskDurationMs: 1_500});
const server = await startSupametasServer(sim);
const api = ky.create({
  prefix: `${server.url}/openapi/open/v1`,
  ...withVendor(supametas, {auth: supametasAuth({accessKey})}),
});

try {
  const form = new FormData();
  form.append('file', new Blob(['# Quarterly report\n'], {type: 'text/markdown'}), 'report.md');
  form.append('data', JSON.stringify({getDemandFormat: '1', title: 1, contentDetails: 1}));
  const {data} = await api.post('file-task', {body: form}).json<{data: {taskId: string}}>();
  console.log(`task ${data.taskId} created`);

  // Supametas publishes no polling interval (5 s, growing, by default); this task is short.
  const task = await waitForTask(api, data.taskId, {
    intervalMs: 400,
    onPoll: ({status, elapsedMs}) => console.log(`  ${status} after ${elapsedMs} ms`),
  });
  console.log(
    `task ${task.taskName} ended ${task.state} after ${sim.counters.byEndpoint['query-task']} queries`,
  );
} finally {
  await server.close();
}
