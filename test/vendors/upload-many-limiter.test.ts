/**
 * @module `uploadMany()` progress shows the instance's limiter: rate, queue, pause.
 */
import ky from 'ky';
import {describe, expect, test} from 'vitest';
import {createLimiter, upyun, withVendor} from '../../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../../src/testing/index.ts';
import {type UploadManyProgress, uploadMany, upyunAuth} from '../../src/vendors/upyun/index.ts';

const credentials = {operator: 'uploader', password: 'test-password-1'};
const files = Array.from({length: 30}, (_, i) => ({bucket: 'photos', path: `p/${i}.txt`, body: `file ${i}`}));

describe('uploadMany progress', () => {
  test('over a throttling bucket, progress carries the limiter snapshot: queue, and the learned rate once throttled', async () => {
    const sim = createUpyunSimulator({credentials, ratePerSecond: 20, burst: 5});
    const server = await startUpyunServer(sim);
    try {
      const limiter = createLimiter();
      const api = ky.create({
        prefix: server.url,
        timeout: false,
        ...withVendor(upyun, {auth: upyunAuth(credentials), limiter, totalTimeoutMs: 30_000}),
      });
      const events: UploadManyProgress[] = [];
      const {succeeded} = await uploadMany(api, files, {
        concurrency: 8,
        onProgress: (event) => events.push(event),
      });
      expect(succeeded).toBe(files.length);
      expect(sim.counters.throttled).toBeGreaterThan(0);
      const paced = events.filter((event) => event.limiter !== undefined);
      expect(paced.length).toBeGreaterThan(0);
      const key = paced[0]?.limiter?.key ?? '';
      expect(key).toMatch(/^upyun:127\.0\.0\.1:\d+\/photos$/);
      for (const event of paced) {
        expect(event.limiter?.key).toBe(key);
        expect(event.limiter?.queued).toBeGreaterThanOrEqual(0);
        expect(event.limiter?.queued).toBeLessThan(files.length);
        // While the key is open it sends unpaced: no rate; once throttled, the pace it learned.
        if (event.limiter?.engaged) expect(event.limiter.ratePerSecond).toBeGreaterThan(0);
        else expect(event.limiter?.ratePerSecond).toBeUndefined();
      }
      expect(paced.some((event) => event.limiter?.engaged)).toBe(true);
      expect((await limiter.inspect(key)).engaged).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('without a limiter, progress has none', async () => {
    const sim = createUpyunSimulator({credentials});
    const server = await startUpyunServer(sim);
    try {
      const api = ky.create({prefix: server.url, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
      const events: UploadManyProgress[] = [];
      await uploadMany(api, files.slice(0, 3), {onProgress: (event) => events.push(event)});
      expect(events.map((event) => event.limiter)).toEqual([undefined, undefined, undefined]);
    } finally {
      await server.close();
    }
  });
});
