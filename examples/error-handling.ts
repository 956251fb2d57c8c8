/**
 * @module Error handling: a typed error per category, and `isVendorError()` narrowing codes per vendor.
 */
import ky from 'ky';
import {isVendorError, RateLimitError, supametas, upyun, withVendor} from '../src/index.ts';
import * as testing from '../src/testing/index.ts';
import {supametasAuth} from '../src/vendors/supametas/index.ts';
import {upyunAuth} from '../src/vendors/upyun/index.ts';

const explain = (error: unknown): string => {
  if (error instanceof RateLimitError) return `${error.name}, retry after ${error.retryAt?.toISOString()}`;
  // `error.code` narrows to UPYUN's numeric codes, then to Supametas's string codes.
  if (isVendorError(error, upyun) && error.code === 40100005) return `${error.name}: ${error.message}`;
  if (isVendorError(error, supametas)) return `${error.name} ${error.code} in an HTTP ${error.status}`;
  throw error;
};

const credentials = {operator: 'op', password: 'right-password'};
// A bucket that lets two requests through, then one every 5 s.
const upyunSim = testing.createUpyunSimulator({credentials, ratePerSecond: 0.2, burst: 2});
const bucket = await testing.startUpyunServer(upyunSim);
const openApi = await testing.startSupametasServer(testing.createSupametasSimulator({accessKey: 'key'}));
// UPYUN's throttle wait is at least 1 s, so a deadline just under it cannot fit even the first
// wait, and still leaves the requests themselves nearly a second.
const storage = (password: string, auth = upyunAuth({...credentials, password})) =>
  ky.create({prefix: bucket.url, ...withVendor(upyun, {auth, totalTimeoutMs: 990})});
const tasks = ky.create({
  prefix: `${openApi.url}/openapi/open/v1`,
  ...withVendor(supametas, {auth: supametasAuth({accessKey: 'key'})}),
});

const cases: [string, () => Promise<unknown>][] = [
  ['wrong password, not retried', () => storage('wrong').put('photos/a.txt', {body: 'a'})],
  ['first upload', () => storage('right-password').put('photos/b.txt', {body: 'b'})],
  ['throttled past the deadline', () => storage('right-password').put('photos/c.txt', {body: 'c'})],
  ['unknown task', () => tasks.post('query-task', {json: {taskId: 'no-such-task'}})],
];
try {
  for (const [what, run] of cases) console.log(`${what}: ${await run().then(() => 'ok', explain)}`);
} finally {
  await Promise.all([bucket.close(), openApi.close()]);
}
