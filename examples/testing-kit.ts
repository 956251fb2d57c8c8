/**
 * @module The testing kit with ky alone (no msw): the same production code runs against a loopback
 * simulator by swapping the origin of its `prefix`, or in process with the simulator's `fetch`.
 * Signed requests with a query (`?usage`, `?metadata=merge`) pass the simulator's signature check,
 * which verifies path and query the way UPYUN does.
 */
import ky, {type KyInstance} from 'ky';
import {upyun, withVendor} from '../src/index.ts';
import {createUpyunSimulator, startUpyunServer, UPYUN_LIST_END, upyunFetch} from '../src/testing/index.ts';
import {upload, upyunAuth} from '../src/vendors/upyun/index.ts';

const credentials = {operator: 'tester', password: 'test-password'};
const sim = createUpyunSimulator({credentials, transientErrorRate: 0});

/** The code under test: it only knows its ky instance. */
const backup = async (api: KyInstance): Promise<string> => {
  for (const name of ['a.txt', 'b.txt', 'c.txt']) {
    await upload(api, {bucket: 'backups', path: `2024/${name}`, body: `contents of ${name}`});
  }
  await api.patch('backups/2024/a.txt?metadata=merge', {headers: {'x-upyun-meta-kept': 'yes'}});
  const names: string[] = [];
  let iter = '';
  // A listing page by page (x-list-limit / x-list-iter), bounded.
  for (let page = 0; page < 10 && iter !== UPYUN_LIST_END; page++) {
    const response = await api.get('backups/2024/', {headers: {'x-list-limit': '2', 'x-list-iter': iter}});
    names.push(...(await response.text()).split('\n').map((line) => line.split('\t')[0] ?? ''));
    iter = response.headers.get('x-upyun-list-iter') ?? UPYUN_LIST_END;
  }
  const usage = await api.get('backups/?usage').text();
  return `${names.join(', ')} (${usage} bytes)`;
};

const server = await startUpyunServer(sim);
try {
  // Production uses prefix 'https://v0.api.upyun.com'; the server's url is a host root too.
  const overSockets = ky.create({prefix: server.url, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
  console.log(`over a socket: ${await backup(overSockets)}, ${sim.counters.requests} requests`);
} finally {
  await server.close();
}

sim.reset(); // files, counters and limits start afresh
const inProcess = ky.create({
  prefix: 'https://v0.api.upyun.com',
  fetch: upyunFetch(sim),
  ...withVendor(upyun, {auth: upyunAuth(credentials)}),
});
console.log(`in process:    ${await backup(inProcess)}, ${sim.counters.requests} requests`);
console.log(`signature failures: ${sim.counters.authFailures}`);
