/**
 * @module Reading an inspected body: CPU per call of `readOnce()` plus the caller's `.json()`
 * through `reuseParsedJson()`, against `clone()` + `text()` + `JSON.parse` for classification
 * plus the caller's own `.json()` of the original (the price of reading a body twice). In
 * process, 200 B and 64 KB JSON bodies, with a declared length and streamed. Alternating rounds,
 * medians; asserts nothing.
 *
 * Run with `node bench/read-once.ts`.
 */
import {parseBody} from '../src/core/parse-body.ts';
import {readOnce} from '../src/ky/read-once.ts';
import {reuseParsedJson} from '../src/ky/reuse-parsed-json.ts';
import {fixed, median, printTable} from './measure.ts';

const LIMITS = {maxBytes: 1024 * 1024, timeoutMs: 10_000};
const ROUNDS = 7;
const request = new Request('https://bench.invalid/query-task');
const parseJson = reuseParsedJson();

/** A Supametas-like envelope of about `size` bytes: a list of small records, as real payloads are. */
const bodyOf = (size: number): Uint8Array => {
  const items: unknown[] = [];
  const envelope = {code: '0', message: null, data: {taskId: '1', state: 'PENDING', items}};
  while (JSON.stringify(envelope).length < size - 60) {
    items.push({id: items.length, name: `item ${items.length}`, ok: items.length % 2 === 0, score: 0.5});
  }
  return new TextEncoder().encode(JSON.stringify(envelope));
};

/** A fresh response over `bytes`: one body with its length declared, or streamed in 16 KB chunks. */
const responseOf = (bytes: Uint8Array, declared: boolean): Response => {
  if (declared) {
    return new Response(bytes.slice(), {
      headers: {'content-type': 'application/json', 'content-length': String(bytes.byteLength)},
    });
  }
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
  return new Response(stream, {headers: {'content-type': 'application/json'}});
};

const ways = {
  /** What an inspected 2xx costs with a clone: classify the clone, the caller parses the original. */
  'clone + text + JSON.parse': async (response: Response) => {
    const copy = response.clone();
    parseBody(await copy.text());
    return JSON.parse(await response.text());
  },
  /** Read once; the caller's `.json()` as ky runs it with `parseJson: reuseParsedJson()`. */
  'readOnce + reused parse': async (response: Response) => {
    const read = await readOnce(response, LIMITS);
    return parseJson(await read.response.text(), {request, response: read.response});
  },
};
type Way = keyof typeof ways;

const cpuPerCall = async (way: Way, bytes: Uint8Array, declared: boolean, calls: number): Promise<number> => {
  const run = ways[way];
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) await run(responseOf(bytes, declared));
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
};

export const runReadOnce = async () => {
  const rows: Record<string, string | number>[] = [];
  for (const size of [200, 64 * 1024]) {
    const bytes = bodyOf(size);
    const calls = size > 1024 ? 400 : 4000;
    for (const declared of [true, false]) {
      const samples: Record<Way, number[]> = {'clone + text + JSON.parse': [], 'readOnce + reused parse': []};
      for (const way of Object.keys(ways) as Way[]) await cpuPerCall(way, bytes, declared, calls);
      for (let round = 0; round < ROUNDS; round++) {
        for (const way of Object.keys(ways) as Way[]) {
          samples[way].push(await cpuPerCall(way, bytes, declared, calls));
        }
      }
      const cloned = median(samples['clone + text + JSON.parse']);
      const once = median(samples['readOnce + reused parse']);
      rows.push({
        body: size > 1024 ? '64 KB' : '200 B',
        length: declared ? 'declared' : 'streamed',
        'clone + text + JSON.parse µs': fixed(cloned, 1),
        'readOnce + reused parse µs': fixed(once, 1),
        ratio: fixed(once / cloned, 2),
      });
    }
  }
  printTable(`CPU per call, in process (median of ${ROUNDS} alternating rounds)`, rows);
  return rows;
};

if (import.meta.main) {
  await runReadOnce();
}
