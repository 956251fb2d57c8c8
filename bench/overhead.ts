/**
 * @module Success-path overhead: client CPU per request (`process.cpuUsage`) and requests per
 * second through `withVendor(v)`, against bare fetch, bare ky, p-retry around ky and cockatiel
 * around ky, measured in the same run. Cells: each vendor's typical success (UPYUN file, Huawei
 * JSON, BrightData snapshot download, BrightData progress, Supametas envelope) × 200 B and 64 KB
 * bodies × 1 and 16 requests in flight. Every cell runs in a fresh process, several times; the
 * tables show medians and ratios to bare ky. Measures; never asserts; a failed cell is reported
 * and left out of the medians.
 *
 * Run with `node bench/overhead.ts [--processes 3] [--transport loopback|in-process]
 * [--vendor NAME] [--count N]`.
 */
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {retry as cockatielRetry, ExponentialBackoff, handleAll} from 'cockatiel';
import ky, {type KyInstance} from 'ky';
import pRetry from 'p-retry';
import {brightdata, huaweiCloud, supametas, upyun, type Vendor, withVendor} from '../src/index.ts';
import {fixed, median, printTable, runChild, timeRequests} from './measure.ts';

type Read = 'json' | 'bytes';
type Case = {
  readonly name: string;
  readonly vendor: Vendor;
  readonly path: string;
  readonly contentType: string;
  readonly read: Read;
  /** A body of about `size` bytes in the vendor's success shape. */
  readonly body: (size: number) => string;
};

/**
 * Fills a JSON object to about `size` bytes with a list of small records the vendor ignores (a
 * list, not one long string: parsing cost grows with the tokens, as in real payloads).
 */
const jsonOf = (value: Record<string, unknown>, size: number): string => {
  const items: unknown[] = [];
  const filled = {...value, items};
  while (JSON.stringify(filled).length < size - 60) {
    items.push({id: items.length, name: `item ${items.length}`, ok: items.length % 2 === 0, score: 0.5});
  }
  return JSON.stringify(filled);
};

const ndjsonOf = (size: number): string => {
  const line = `${JSON.stringify({url: 'https://example.com/p', title: 'Item'})}\n`;
  return line.repeat(Math.max(1, Math.floor(size / line.length)));
};

/** A typical successful answer of each vendor, at the path its operations use. */
const CASES: readonly Case[] = [
  {
    name: 'UPYUN file',
    vendor: upyun,
    path: 'bucket/file.bin',
    contentType: 'application/octet-stream',
    read: 'bytes',
    body: (size) => 'x'.repeat(size),
  },
  {
    name: 'Huawei',
    vendor: huaweiCloud,
    path: 'v1.0/p/data/jobs',
    contentType: 'application/json',
    read: 'json',
    body: (size) => jsonOf({payload: {jobs: []}}, size),
  },
  {
    name: 'BrightData download',
    vendor: brightdata,
    path: 'datasets/v3/snapshot/s_1',
    contentType: 'application/x-ndjson',
    read: 'bytes',
    body: ndjsonOf,
  },
  {
    name: 'BrightData progress',
    vendor: brightdata,
    path: 'datasets/v3/progress/s_1',
    contentType: 'application/json',
    read: 'json',
    body: (size) => jsonOf({snapshot_id: 's_1', dataset_id: 'gd_1', status: 'running'}, size),
  },
  {
    name: 'Supametas',
    vendor: supametas,
    path: 'query-task',
    contentType: 'application/json',
    read: 'json',
    body: (size) =>
      jsonOf({code: '0', message: null, data: {taskId: '1', taskName: 't', state: 'PENDING'}}, size),
  },
];

const SIZES = [200, 64 * 1024] as const;
const CONCURRENCIES = [1, 16] as const;
const CLIENTS = ['fetch', 'ky', 'p-retry', 'cockatiel', 'withVendor'] as const;
type Client = (typeof CLIENTS)[number];
type Transport = 'loopback' | 'in-process';

/** One cell's measurement, printed by the child process. */
type Sample = {
  requests: number;
  cpuUsPerRequest: number;
  requestsPerSecond: number;
  errors: number;
  firstError?: string;
};

const caseNamed = (name: string): Case => {
  const found = CASES.find((item) => item.name === name);
  if (found === undefined) throw new TypeError(`Unknown case ${name}`);
  return found;
};

const urlPath = (item: Case, size: number) => `${item.path}?size=${size}`;

/** The request each client makes: what its users write for one successful call. */
const makeCall = (client: Client, item: Case, size: number, prefix: string, fetchImpl: typeof fetch) => {
  const path = urlPath(item, size);
  const consume = (response: Response): Promise<unknown> =>
    item.read === 'json' ? response.json() : response.arrayBuffer();
  if (client === 'fetch') {
    return async () => {
      const response = await fetchImpl(`${prefix}/${path}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return consume(response);
    };
  }
  const base = {prefix, fetch: fetchImpl};
  const kyCall = (api: KyInstance) => () =>
    item.read === 'json' ? api.get(path).json() : api.get(path).arrayBuffer();
  if (client === 'ky') return kyCall(ky.create(base));
  if (client === 'withVendor') return kyCall(ky.create({...base, ...withVendor(item.vendor)}));
  // Wrapped by a retry library, ky's own retry is turned off, as their users do.
  const once = kyCall(ky.create({...base, retry: 0}));
  if (client === 'p-retry') return () => pRetry(once, {retries: 2});
  const policy = cockatielRetry(handleAll, {maxAttempts: 2, backoff: new ExponentialBackoff()});
  return () => policy.execute(once);
};

/** An in-process fetch that answers at once: all the CPU measured is the client's. */
const inProcessFetch = (bodies: ReadonlyMap<string, {body: string; contentType: string}>): typeof fetch =>
  (async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const found = bodies.get(`${url.pathname.slice(1)}${url.search}`);
    return new Response(found?.body ?? '', {
      status: found === undefined ? 404 : 200,
      headers: {'content-type': found?.contentType ?? 'text/plain'},
    });
  }) as typeof fetch;

const bodiesOf = () =>
  new Map(
    CASES.flatMap((item) =>
      SIZES.map(
        (size) => [urlPath(item, size), {body: item.body(size), contentType: item.contentType}] as const,
      ),
    ),
  );

/** Child process: warm up, then measure `count` requests of one client on one cell. */
const child = async (args: Record<string, string>) => {
  const item = caseNamed(args.case ?? '');
  const size = Number(args.size);
  const concurrency = Number(args.concurrency);
  const count = Number(args.count);
  const transport = args.transport as Transport;
  const fetchImpl = transport === 'in-process' ? inProcessFetch(bodiesOf()) : globalThis.fetch;
  const prefix = transport === 'in-process' ? 'https://bench.invalid' : (args.url ?? '');
  const call = makeCall(args.client as Client, item, size, prefix, fetchImpl);
  let errors = 0;
  let firstError: string | undefined;
  const task = async () => {
    try {
      await call();
    } catch (error) {
      errors++;
      firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };
  await timeRequests(Math.ceil(count / 4), concurrency, task);
  errors = 0;
  firstError = undefined;
  const cpu = process.cpuUsage();
  const elapsedMs = await timeRequests(count, concurrency, task);
  const used = process.cpuUsage(cpu);
  const sample: Sample = {
    requests: count,
    cpuUsPerRequest: (used.user + used.system) / count,
    requestsPerSecond: (count / elapsedMs) * 1000,
    errors,
    ...(firstError === undefined ? {} : {firstError}),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
};

const startServer = async () => {
  const bodies = new Map([...bodiesOf()].map(([path, value]) => [`/${path}`, value]));
  const server = createServer((request, response) => {
    const found = bodies.get(request.url ?? '');
    response.writeHead(found === undefined ? 404 : 200, {'content-type': found?.contentType ?? 'text/plain'});
    response.end(found?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`};
};

/** Rotates the clients' order each round, so drift on a shared machine hits all alike. */
const rotate = <T>(items: readonly T[], by: number): T[] =>
  items.map((_, i) => items[(i + by) % items.length] as T);

export type OverheadOptions = {
  processes?: number;
  transport?: Transport;
  vendor?: string;
  count?: number;
};

export const runOverhead = async ({
  processes = 3,
  transport = 'loopback',
  vendor,
  count,
}: OverheadOptions = {}) => {
  const self = new URL(import.meta.url).pathname;
  const {server, url} = await startServer();
  const cases = CASES.filter((item) => vendor === undefined || item.name.toLowerCase().includes(vendor));
  type Cell = {item: Case; size: number; concurrency: number};
  const cells: Cell[] = cases.flatMap((item) =>
    SIZES.flatMap((size) => CONCURRENCIES.map((concurrency) => ({item, size, concurrency}))),
  );
  const samples = new Map<string, Sample[]>();
  const failures: string[] = [];
  const keyOf = (cell: Cell, client: Client) =>
    `${cell.item.name}|${cell.size}|${cell.concurrency}|${client}`;
  try {
    for (let round = 0; round < processes; round++) {
      for (const cell of cells) {
        const requests = count ?? (transport === 'in-process' ? 4000 : 1500);
        for (const client of rotate(CLIENTS, round)) {
          const label = `${cell.item.name} ${cell.size} B c=${cell.concurrency} ${client}`;
          const result = await runChild<Sample>(
            self,
            [
              '--child',
              `client=${client}`,
              `case=${cell.item.name}`,
              `size=${cell.size}`,
              `concurrency=${cell.concurrency}`,
              `count=${requests}`,
              `transport=${transport}`,
              `url=${url}`,
            ],
            {timeoutMs: 120_000},
          );
          if (!result.ok) {
            failures.push(`${label}: ${result.error}`);
            continue;
          }
          if (result.value.errors > 0) {
            // A cell with failed requests measured something else than a success path.
            failures.push(`${label}: ${result.value.errors} failed requests (${result.value.firstError})`);
            continue;
          }
          const key = keyOf(cell, client);
          samples.set(key, [...(samples.get(key) ?? []), result.value]);
        }
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const rows = cells.map((cell) => {
    const cpu = Object.fromEntries(
      CLIENTS.map((client) => [
        client,
        median((samples.get(keyOf(cell, client)) ?? []).map((s) => s.cpuUsPerRequest)),
      ]),
    ) as Record<Client, number>;
    const rate = Object.fromEntries(
      CLIENTS.map((client) => [
        client,
        median((samples.get(keyOf(cell, client)) ?? []).map((s) => s.requestsPerSecond)),
      ]),
    ) as Record<Client, number>;
    const runs = Math.min(...CLIENTS.map((client) => samples.get(keyOf(cell, client))?.length ?? 0));
    return {vendor: cell.item.name, size: cell.size, concurrency: cell.concurrency, runs, cpu, rate};
  });
  const cellName = (row: (typeof rows)[number]) => ({
    case: row.vendor,
    body: row.size >= 1024 ? `${row.size / 1024} KB` : `${row.size} B`,
    'in flight': row.concurrency,
    runs: row.runs,
  });
  printTable(
    `Client CPU per request, µs (${transport}; median of ${processes} fresh processes per cell; ratios to bare ky)`,
    rows.map((row) => ({
      ...cellName(row),
      fetch: fixed(row.cpu.fetch, 1),
      ky: fixed(row.cpu.ky, 1),
      'p-retry': fixed(row.cpu['p-retry'], 1),
      cockatiel: fixed(row.cpu.cockatiel, 1),
      withVendor: fixed(row.cpu.withVendor, 1),
      'fetch/ky': fixed(row.cpu.fetch / row.cpu.ky, 2),
      'p-retry/ky': fixed(row.cpu['p-retry'] / row.cpu.ky, 2),
      'cockatiel/ky': fixed(row.cpu.cockatiel / row.cpu.ky, 2),
      'withVendor/ky': fixed(row.cpu.withVendor / row.cpu.ky, 2),
    })),
  );
  printTable(
    `Requests per second (${transport}; same runs; ratios to bare ky)`,
    rows.map((row) => ({
      ...cellName(row),
      fetch: fixed(row.rate.fetch, 0),
      ky: fixed(row.rate.ky, 0),
      'p-retry': fixed(row.rate['p-retry'], 0),
      cockatiel: fixed(row.rate.cockatiel, 0),
      withVendor: fixed(row.rate.withVendor, 0),
      'p-retry/ky': fixed(row.rate['p-retry'] / row.rate.ky, 2),
      'cockatiel/ky': fixed(row.rate.cockatiel / row.rate.ky, 2),
      'withVendor/ky': fixed(row.rate.withVendor / row.rate.ky, 2),
    })),
  );
  for (const failure of failures) console.log(`  failed (left out of the medians): ${failure}`);
  return {transport, processes, rows, failures};
};

/** `--name value` pairs of the command line. */
const flag = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

if (import.meta.main) {
  if (process.argv.includes('--child')) {
    const args = Object.fromEntries(
      process.argv
        .slice(process.argv.indexOf('--child') + 1)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    await child(args);
  } else {
    const count = flag('count');
    const vendor = flag('vendor');
    await runOverhead({
      processes: Number(flag('processes') ?? 3),
      transport: flag('transport') === 'in-process' ? 'in-process' : 'loopback',
      ...(vendor === undefined ? {} : {vendor: vendor.toLowerCase()}),
      ...(count === undefined ? {} : {count: Number(count)}),
    });
  }
}
