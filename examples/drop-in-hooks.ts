/**
 * @module Drop-in: give an existing ky instance a vendor's policy with `withVendor()`, or take only
 * the hooks with `vendorHooks()` for options you assemble yourself.
 */
import ky from 'ky';
import {type RetryEvent, upyun, vendorHooks, withVendor} from '../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';

// A bucket that takes 5 requests a second, two at once.
const sim = createUpyunSimulator({ratePerSecond: 5, burst: 2, transientErrorRate: 0});
const server = await startUpyunServer(sim);
const onRetry = ({verdict, delayMs}: RetryEvent) => console.log(`  ${verdict.code}: resent in ${delayMs} ms`);

const existing = ky.create({prefix: server.url, headers: {'user-agent': 'my-app/1.0'}});
const api = existing.extend(withVendor(upyun, {onRetry}));
const hooksOnly = existing.extend({hooks: vendorHooks(upyun), retry: {limit: 4, statusCodes: []}});

try {
  const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt'];
  await Promise.all(names.map((name) => api.put(`photos/${name}`, {body: name})));
  console.log(`stored ${names.length} files through ${sim.counters.throttled} throttles`);
  // A HEAD error has no body: UPYUN puts its code in X-Error-Code, which plain ky never reads.
  const plain = await existing.head('photos/missing.txt').catch((error: Error) => error);
  const typed = await hooksOnly.head('photos/missing.txt').catch((error: Error) => error);
  console.log(`plain ky: ${plain instanceof Error ? plain.message : 'ok'}`);
  console.log(`with the hooks: ${typed instanceof Error ? `${typed.name}: ${typed.message}` : 'ok'}`);
} finally {
  await server.close();
}
