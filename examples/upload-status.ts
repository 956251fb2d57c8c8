/**
 * @module UPYUN: a live one-line status of an upload batch (done, failed, rate, queued, throttles)
 * from the progress events and the `ky-vendors:throttle` diagnostics channel.
 */
import {subscribe} from 'node:diagnostics_channel';
import ky from 'ky';
import {CHANNELS, createLimiter, diagnosticsChannels, upyun, withVendor} from '../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {type UploadManyProgress, uploadMany, upyunAuth} from '../src/vendors/upyun/index.ts';

const credentials = {operator: 'uploader', password: 'demo-password'};
// A bucket that accepts 40 uploads a second (burst 10).
const sim = createUpyunSimulator({credentials, ratePerSecond: 40, burst: 10});
const server = await startUpyunServer(sim);
const limiter = createLimiter();
const api = ky.create({
  prefix: server.url,
  timeout: false,
  ...withVendor(upyun, {
    auth: upyunAuth(credentials),
    limiter,
    observers: [diagnosticsChannels({limiter})],
    totalTimeoutMs: 30_000,
  }),
});

let throttles = 0;
subscribe(CHANNELS.throttle, () => {
  throttles++;
});

const status = ({done, total, failed, limiter: snapshot}: UploadManyProgress): string => {
  const rate = snapshot?.ratePerSecond === undefined ? 'open' : `${snapshot.ratePerSecond.toFixed(1)}/s`;
  return `done ${done}/${total} failed ${failed} rate ${rate} queued ${snapshot?.queued ?? 0} throttles ${throttles}`;
};

// On a terminal the line is rewritten in place; piped, one line per 20 files.
const live = process.stdout.isTTY === true;
const files = Array.from({length: 80}, (_, i) => ({
  bucket: 'photos',
  path: `status/${i}.txt`,
  body: `file ${i}`,
}));
try {
  let last: UploadManyProgress | undefined;
  await uploadMany(api, files, {
    concurrency: 16,
    onProgress: (progress) => {
      last = progress;
      if (live) process.stdout.write(`\r${status(progress)}\u001B[K`);
      else if (progress.done % 20 === 0) console.log(status(progress));
    },
  });
  if (live) process.stdout.write('\n');
  if (last !== undefined) {
    // Progress reads the limiter after each file; ask it once more for the last word.
    const key = last.limiter?.key;
    const now = key === undefined ? last.limiter : await limiter.inspect(key);
    console.log(`final: ${status({...last, limiter: now})}`);
  }
} finally {
  await server.close();
}
