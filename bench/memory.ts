/**
 * @module Memory: peak RSS while streaming a 200 MB snapshot through `withVendor(brightdata)`
 * against bare ky (each in its own process), and heap growth over 100k classified responses.
 */
import {execFile} from 'node:child_process';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import ky from 'ky';
import {brightdata, classify, huaweiCloud, supametas, upyun, withVendor} from '../src/index.ts';
import {fixed, printTable} from './measure.ts';

const SNAPSHOT_BYTES = 200 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, '{"url":"https://example.com","title":"x"}\n');

/** Serves one 200 MB NDJSON snapshot per request, honouring backpressure. */
const startSnapshotServer = async () => {
  const server = createServer((_request, response) => {
    response.writeHead(200, {'content-type': 'application/x-ndjson'});
    let sent = 0;
    const pump = () => {
      while (sent < SNAPSHOT_BYTES) {
        sent += CHUNK.length;
        if (!response.write(CHUNK)) return response.once('drain', pump);
      }
      response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, prefix: `http://127.0.0.1:${(server.address() as AddressInfo).port}`};
};

/** Child process: download the snapshot through one client, print bytes and peak RSS. */
const child = async (mode: 'bare' | 'withVendor', prefix: string) => {
  const api = mode === 'bare' ? ky.create({prefix}) : ky.create({prefix, ...withVendor(brightdata)});
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const response = await api.get('datasets/v3/snapshot/s_1?format=ndjson', {timeout: false});
  let bytes = 0;
  for await (const chunk of response.body ?? []) {
    bytes += (chunk as Uint8Array).byteLength;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  process.stdout.write(JSON.stringify({bytes, peak}));
};

const heapAfterClassifications = () => {
  const inputs = [
    [
      upyun,
      {
        status: 429,
        headers: {'x-request-id': 'r'},
        body: {msg: 'too many requests', code: 42900001, id: 'a'},
      },
    ],
    [huaweiCloud, {status: 429, body: {error_code: 'APIG.0308', error_msg: 'limit:5,time:1 second'}}],
    [
      brightdata,
      {status: 202, body: {status: 'building', message: 'Snapshot is building, try again in 10s'}},
    ],
    [supametas, {status: 200, body: {code: 'OPS40001', message: 'x', data: null}}],
    [brightdata, {status: 400, body: 'Snapshot is expired'}],
  ] as const;
  const gc = (globalThis as {gc?: () => void}).gc;
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const [vendor, input] = inputs[i % inputs.length] ?? inputs[0];
      classify(vendor, input);
    }
  };
  run(10_000);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  run(100_000);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  return {before, after, gcExposed: gc !== undefined};
};

export const runMemory = async () => {
  const self = new URL(import.meta.url).pathname;
  const {server, prefix} = await startSnapshotServer();
  const measure = (mode: string) =>
    new Promise<{bytes: number; peak: number}>((resolve, reject) => {
      // A small heap makes the collector run often, so peak RSS shows what is retained, not GC lag;
      // a client that buffered the 200 MB body would die here.
      execFile(
        process.execPath,
        ['--max-old-space-size=32', '--max-semi-space-size=2', self, '--child', mode, prefix],
        {encoding: 'utf8'},
        (error, stdout) =>
          error ? reject(error) : resolve(JSON.parse(stdout) as {bytes: number; peak: number}),
      );
    });
  const bare = await measure('bare');
  const wrapped = await measure('withVendor');
  server.close();
  const heap = heapAfterClassifications();
  const mb = (bytes: number) => fixed(bytes / 1024 / 1024, 1);
  printTable('Peak RSS while streaming a 200 MB snapshot (separate processes, 32 MB old-space cap)', [
    {client: 'bare ky', 'MB received': mb(bare.bytes), 'peak RSS MB': mb(bare.peak), ratio: '1.000'},
    {
      client: 'withVendor(brightdata)',
      'MB received': mb(wrapped.bytes),
      'peak RSS MB': mb(wrapped.peak),
      ratio: fixed(wrapped.peak / bare.peak, 3),
    },
  ]);
  printTable(
    `Heap over 100k classify() calls${heap.gcExposed ? '' : ' (run with --expose-gc for exact numbers)'}`,
    [
      {
        'heap before MB': mb(heap.before),
        'heap after MB': mb(heap.after),
        'growth MB': mb(heap.after - heap.before),
      },
    ],
  );
  return {bare, withVendor: wrapped, ratio: wrapped.peak / bare.peak, heap};
};

if (import.meta.main) {
  const index = process.argv.indexOf('--child');
  if (index >= 0) {
    await child(process.argv[index + 1] === 'bare' ? 'bare' : 'withVendor', process.argv[index + 2] ?? '');
  } else {
    await runMemory();
  }
}
