/**
 * @module Huawei Cloud: an IAM token refreshed once when it expires; a simulation task created once its config is free.
 */
import ky from 'ky';
import {huaweiCloud, type PollEvent, withVendor} from '../src/index.ts';
import {createHuaweiSimulator, startHuaweiServer} from '../src/testing/index.ts';
import {huaweiAuth, waitWhileBusy} from '../src/vendors/huawei/index.ts';

const sim = createHuaweiSimulator({jobDurationMs: 1_500});
const server = await startHuaweiServer(sim);

/** IAM's `POST /v3/auth/tokens`: the token comes back in `X-Subject-Token`. */
const getToken = async (): Promise<string> => {
  const identity = {methods: ['password'], password: {user: {name: 'demo', password: 'demo-password'}}};
  const response = await ky.post(`${server.url}/v3/auth/tokens`, {json: {auth: {identity}}});
  console.log('  fetched an IAM token');
  return response.headers.get('x-subject-token') ?? '';
};

const auth = huaweiAuth({getToken});
const octopus = ky.create({prefix: `${server.url}/v2/demo-project/`, ...withVendor(huaweiCloud, {auth})});
/** Octopus "创建仿真任务" answers with the task; `status` 3 is running. */
type Batch = {id: number; url: string; status: number};
const batch = {name: 'city-run', batch_config: `/v2/demo-project/sim/pm/batch-configs/257/`};

try {
  const first = await octopus.post('sim/pm/batches', {json: batch}).json<Batch>();
  console.log(`task ${first.id} status ${first.status}`);
  sim.expireTokens(); // the next request gets APIGW.0307 "The token must be updated."
  // Octopus names no wait when busy (5 s by default); this task is short: ask every 500 ms.
  const onPoll = ({delayMs}: PollEvent) => console.log(`  config busy, again in ${delayMs} ms`);
  const second = await waitWhileBusy(() => octopus.post('sim/pm/batches', {json: batch}).json<Batch>(), {
    intervalMs: 500,
    maxIntervalMs: 500,
    onPoll,
  });
  console.log(`task ${second.id} status ${second.status} once the first had finished`);
  const {tokensIssued, expired, busy} = sim.counters;
  console.log(`tokens issued: ${tokensIssued}, expired-token answers: ${expired}, busy answers: ${busy}`);
} finally {
  await server.close();
}
