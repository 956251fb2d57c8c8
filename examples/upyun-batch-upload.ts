/**
 * @module UPYUN: upload a batch through the bucket's rate limit; the limiter learns the rate from its 429s.
 */
import ky from 'ky';
import {upyun, withVendor} from '../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {uploadMany, upyunAuth} from '../src/vendors/upyun/index.ts';

const credentials = {operator: 'uploader', password: 'demo-password'};
// A bucket that accepts 40 uploads a second (burst 10) and fails 2% of them with a transient 503.
const sim = createUpyunSimulator({credentials, ratePerSecond: 40, burst: 10, transientErrorRate: 0.02});
const server = await startUpyunServer(sim);
const api = ky.create({
  prefix: server.url,
  timeout: false,
  ...withVendor(upyun, {auth: upyunAuth(credentials), totalTimeoutMs: 30_000}),
});

const files = Array.from({length: 80}, (_, i) => ({
  bucket: 'photos',
  path: `batch/${i}.txt`,
  body: `file ${i}`,
}));

try {
  const {succeeded, failed} = await uploadMany(api, files, {
    concurrency: 16,
    onProgress: ({done, total}) => {
      if (done % 20 === 0) console.log(`  ${done}/${total} uploaded`);
    },
  });
  const {requests, throttled, transient} = sim.counters;
  console.log(`uploaded ${succeeded}, failed ${failed}`);
  console.log(`${requests} requests: ${throttled} throttled (429), ${transient} transient (503), all resent`);
} finally {
  await server.close();
}
