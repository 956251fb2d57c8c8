/**
 * @module Hundreds of concurrent PUTs through the README's one-liner into a rate-limited bucket
 * of the UPYUN simulator over real loopback sockets: the limiter learns the limit while they run,
 * and no file is lost or written twice on the way (throttles it paced do not spend the retry limit).
 */
import ky from 'ky';
import {expect, test} from 'vitest';
import {upyun, withVendor} from '../../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../../src/testing/index.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';

failOnUnhandledRejections();

const FILES = 300;

test('300 concurrent PUTs into a bucket of 200/s burst 10 with retryLimit 1: every file stored once, none failed', {
  // The pace is the simulator's clock; a slow machine sends slower and meets fewer throttles.
  timeout: 120_000,
}, async () => {
  const sim = createUpyunSimulator({
    ratePerSecond: 200,
    burst: 10,
    transientErrorRate: 0,
    storeBodies: false,
    seed: 3,
  });
  const server = await startUpyunServer(sim);
  try {
    // Per-attempt timeout off: a loaded machine must not turn a wait for the limiter into a failure.
    // One resend of its own per file: without paced throttles on top, 20-odd files failed here.
    const api = ky.create({prefix: server.url, timeout: false, ...withVendor(upyun, {retryLimit: 1})});
    const outcomes = await Promise.allSettled(
      Array.from({length: FILES}, (_, index) =>
        api.put(`batch/file-${index}.txt`, {body: `file ${index}`, headers: {'content-type': 'text/plain'}}),
      ),
    );
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failed.map((outcome) => (outcome as PromiseRejectedResult).reason?.name)).toEqual([]);
    const files = Array.from({length: FILES}, (_, index) => sim.files.get(`/batch/file-${index}.txt`));
    expect(files.every((file) => file?.writes === 1)).toBe(true);
    // The batch did meet the limit: this is the learning under load, not an unlimited run.
    expect(sim.counters.throttled).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
});
