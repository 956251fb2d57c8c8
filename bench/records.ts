/**
 * @module Reading a 200 MB NDJSON snapshot (about 3.4 M records) over loopback: draining the body,
 * a naive decode + split + `JSON.parse` loop, and `snapshotRecords()` read with `for await` and
 * with `.forEach()`. Each reader runs in a fresh
 * process, several times in alternation; time, CPU and peak RSS are medians. Prints ratios;
 * asserts nothing.
 *
 * Run with `node bench/records.ts [--runs 3]`.
 */
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {snapshotRecords} from '../src/vendors/brightdata/index.ts';
import {fixed, median, printTable, runChild} from './measure.ts';

const CHUNK_BYTES = 64 * 1024;
/** The same small heap as the memory bench: peak RSS shows what is retained, not GC lag. */
const NODE_FLAGS = ['--max-old-space-size=32', '--max-semi-space-size=2'];
const READERS = ['drain', 'naive', 'snapshotRecords', 'snapshotRecords.forEach'] as const;
type Reader = (typeof READERS)[number];

/** 1000 distinct records of about 60 bytes, some with multi-byte characters, one per line. */
const pattern = Buffer.from(
  `${Array.from({length: 1000}, (_, i) =>
    JSON.stringify({
      url: `https://example.com/p/${i}`,
      title: i % 7 === 0 ? `Café ${i} ✓` : `Item ${i}`,
      n: i,
    }),
  ).join('\n')}\n`,
);
/** 200 MiB, rounded down to whole records. */
const SNAPSHOT_BYTES = Math.floor((200 * 1024 * 1024) / pattern.length) * pattern.length;
/** The pattern repeated, so any 64 KB window starting inside the first copy can be sent as is. */
const tiled = Buffer.concat(Array.from({length: Math.ceil(CHUNK_BYTES / pattern.length) + 2}, () => pattern));

/**
 * Serves the snapshot in 64 KB writes cut anywhere in the pattern (records and characters split
 * across chunks, as on the wire), honouring backpressure.
 */
const startServer = async () => {
  const server = createServer((_request, response) => {
    response.writeHead(200, {'content-type': 'application/x-ndjson'});
    let sent = 0;
    const pump = () => {
      while (sent < SNAPSHOT_BYTES) {
        const offset = sent % pattern.length;
        const size = Math.min(CHUNK_BYTES, SNAPSHOT_BYTES - sent);
        sent += size;
        if (!response.write(tiled.subarray(offset, offset + size))) return response.once('drain', pump);
      }
      response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/snapshot.ndjson`};
};

type Sample = {bytes: number; records: number; ms: number; cpuMs: number; peakRssMB: number};

/** What a user without the library writes: decode, split on newlines, keep the last piece. */
const naive = async (response: Response, onRecord: (record: unknown) => void) => {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of response.body ?? []) {
    rest += decoder.decode(chunk as Uint8Array, {stream: true});
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onRecord(JSON.parse(line));
  }
  rest += decoder.decode();
  if (rest.trim() !== '') onRecord(JSON.parse(rest));
};

/** Child process: read the snapshot with one reader, print one JSON line. */
const child = async (reader: Reader, url: string) => {
  let records = 0;
  let bytes = 0;
  // Touch each record, so no reader gets away with parsing nothing.
  let sum = 0;
  const onRecord = (record: unknown) => {
    records++;
    sum += (record as {n: number}).n;
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await fetch(url);
  if (reader === 'drain') {
    for await (const chunk of response.body ?? []) bytes += (chunk as Uint8Array).byteLength;
  } else if (reader === 'naive') {
    await naive(response, onRecord);
  } else if (reader === 'snapshotRecords') {
    for await (const record of snapshotRecords(response)) onRecord(record);
  } else {
    await snapshotRecords(response).forEach(onRecord);
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sample: Sample & {sum: number} = {
    bytes,
    records,
    sum,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
};

export const runRecords = async (runs = 3) => {
  const self = new URL(import.meta.url).pathname;
  const {server, url} = await startServer();
  const samples: Record<Reader, Sample[]> = {
    drain: [],
    naive: [],
    snapshotRecords: [],
    'snapshotRecords.forEach': [],
  };
  const failures: string[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      for (const reader of READERS) {
        const result = await runChild<Sample>(self, ['--child', reader, url], {nodeFlags: NODE_FLAGS});
        if (result.ok) samples[reader].push(result.value);
        else failures.push(`${reader} run ${run + 1}: ${result.error}`);
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const summary = READERS.map((reader) => ({
    reader,
    runs: samples[reader].length,
    records: samples[reader][0]?.records ?? 0,
    ms: median(samples[reader].map((sample) => sample.ms)),
    cpuMs: median(samples[reader].map((sample) => sample.cpuMs)),
    peakRssMB: median(samples[reader].map((sample) => sample.peakRssMB)),
  }));
  const [drain, naiveRow] = summary;
  printTable(
    `Reading a 200 MB NDJSON snapshot over loopback (median of ${runs} fresh processes each, ${NODE_FLAGS.join(' ')})`,
    summary.map((row) => ({
      reader: row.reader,
      runs: row.runs,
      records: row.records,
      'time ms': fixed(row.ms, 0),
      'CPU ms': fixed(row.cpuMs, 0),
      'peak RSS MB': fixed(row.peakRssMB, 1),
      'time / drain': fixed(row.ms / (drain?.ms ?? Number.NaN), 2),
      'time / naive': fixed(row.ms / (naiveRow?.ms ?? Number.NaN), 2),
      'CPU / naive': fixed(row.cpuMs / (naiveRow?.cpuMs ?? Number.NaN), 2),
      'RSS / drain': fixed(row.peakRssMB / (drain?.peakRssMB ?? Number.NaN), 2),
    })),
  );
  for (const failure of failures) console.log(`  failed (left out of the medians): ${failure}`);
  return {summary, failures};
};

if (import.meta.main) {
  const index = process.argv.indexOf('--child');
  if (index >= 0) {
    await child((process.argv[index + 1] ?? 'drain') as Reader, process.argv[index + 2] ?? '');
  } else {
    const runsIndex = process.argv.indexOf('--runs');
    await runRecords(runsIndex >= 0 ? Number(process.argv[runsIndex + 1]) : 3);
  }
}
