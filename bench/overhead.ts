/**
 * @module Success-path overhead: client CPU per request (`process.cpuUsage`) and requests per
 * second through `withVendor(v)`, against bare fetch, bare ky, p-retry around ky and cockatiel
 * around ky. Cells: each vendor's typical success (UPYUN file, Huawei JSON, BrightData snapshot
 * download, BrightData progress, Supametas envelope) × 200 B and 64 KB bodies × 1 and 16 requests
 * in flight. Measures; never asserts; a failed cell is reported and left out.
 *
 * How, so that a ratio means something on a shared machine:
 * - The loopback server runs in a process of its own: the client process's `cpuUsage()` is the
 *   client's CPU alone.
 * - Each cell runs in a fresh process (`--processes` of them, one after the other) with each
 *   client in a worker thread of its own: its own V8 isolate, so its own ky and its own JIT
 *   state, as in a process of its own (in one isolate, ky's code would see every client's option
 *   shapes and be optimized for none: what each client costs would depend on the others). After
 *   a warm-up, the workers take turns, one at a time: `--rounds` rounds of `--count` requests
 *   each, in an order rotated every round, each turn after a full GC of its isolate. Drift on the
 *   machine hits every client alike, and each round gives one ratio per client against bare ky
 *   measured beside it.
 * - Per cell: the median CPU of every turn of a client, and the median of the paired ratios with
 *   their interquartile range and the range of the per-process medians. `ky-again` (bare ky as a
 *   second client) shows what noise alone makes of identical code.
 *
 * Run with `node bench/overhead.ts [--processes 3] [--rounds 6] [--count N]
 * [--transport loopback|in-process] [--vendor NAME] [--clients ky,withVendor] [--baseline DIR]`;
 * `--baseline` adds the `withVendor()` of another tree of the library (a `git worktree` of an
 * earlier commit) as one more client, for before/after in the same processes.
 */
import {spawn} from 'node:child_process';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {retry as cockatielRetry, ExponentialBackoff, handleAll} from 'cockatiel';
import ky, {type KyInstance} from 'ky';
import pRetry from 'p-retry';
import {brightdata, huaweiCloud, supametas, upyun, type Vendor, withVendor} from '../src/index.ts';
import {fixed, median, printTable, quantile, runChild, timeRequests} from './measure.ts';

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
/**
 * `ky-again` is bare ky once more, measured as a client of its own: its ratio to `ky` is what the
 * machine's noise alone makes of identical code (an A/A test), the yardstick for every other ratio.
 */
const CLIENTS = ['fetch', 'ky', 'ky-again', 'p-retry', 'cockatiel', 'withVendor', 'baseline'] as const;
type Client = (typeof CLIENTS)[number];
type Transport = 'loopback' | 'in-process';

/** One turn of one client: `count` requests in a row. */
type Turn = {readonly cpuUsPerRequest: number; readonly requestsPerSecond: number};

/** What a cell's process prints: every client's turns, in round order, and its failed requests. */
type CellSample = {
  readonly turns: Partial<Record<Client, Turn[]>>;
  readonly errors: Partial<Record<Client, number>>;
  readonly firstError?: string;
};

export const caseNamed = (name: string): Case => {
  const found = CASES.find((item) => item.name === name);
  if (found === undefined) throw new TypeError(`Unknown case ${name}`);
  return found;
};

const urlPath = (item: Case, size: number) => `${item.path}?size=${size}`;

/** Another tree of the library (`--baseline DIR`): its `withVendor()` and vendors. */
type Library = {
  readonly withVendor: (vendor: never) => Record<string, unknown>;
  readonly vendorNamed: (name: string) => never;
};

/**
 * Loads `DIR/src/index.ts`, for the `baseline` client: `withVendor()` of another commit of the
 * library (a `git worktree` of it), measured in the same processes as this one.
 */
const loadBaseline = async (dir: string): Promise<Library> => {
  const library = (await import(new URL(`file://${dir}/src/index.ts`).href)) as Record<string, unknown>;
  const vendors = Object.values(library).filter(
    (value): value is {name: string} =>
      typeof value === 'object' && value !== null && typeof (value as {name?: unknown}).name === 'string',
  );
  return {
    withVendor: library.withVendor as Library['withVendor'],
    vendorNamed: (name) => {
      const found = vendors.find((vendor) => vendor.name === name);
      if (found === undefined) throw new TypeError(`The baseline has no vendor ${name}`);
      return found as never;
    },
  };
};

/** The request each client makes: what its users write for one successful call. */
export const makeCall = (
  client: Client,
  item: Case,
  size: number,
  prefix: string,
  fetchImpl: typeof fetch,
  baseline?: Library,
) => {
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
  if (client === 'ky' || client === 'ky-again') return kyCall(ky.create(base));
  if (client === 'withVendor') return kyCall(ky.create({...base, ...withVendor(item.vendor)}));
  if (client === 'baseline') {
    if (baseline === undefined) throw new TypeError('the baseline client needs --baseline DIR');
    return kyCall(ky.create({...base, ...baseline.withVendor(baseline.vendorNamed(item.vendor.name))}));
  }
  // Wrapped by a retry library, ky's own retry is turned off, as their users do.
  const once = kyCall(ky.create({...base, retry: 0}));
  if (client === 'p-retry') return () => pRetry(once, {retries: 2});
  const policy = cockatielRetry(handleAll, {maxAttempts: 2, backoff: new ExponentialBackoff()});
  return () => policy.execute(once);
};

/** An in-process fetch that answers at once: all the CPU measured is the client's. */
export const inProcessFetch = (
  bodies: ReadonlyMap<string, {body: string; contentType: string}>,
): typeof fetch =>
  (async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const found = bodies.get(`${url.pathname.slice(1)}${url.search}`);
    return new Response(found?.body ?? '', {
      status: found === undefined ? 404 : 200,
      headers: {'content-type': found?.contentType ?? 'text/plain'},
    });
  }) as typeof fetch;

export const bodiesOf = () =>
  new Map(
    CASES.flatMap((item) =>
      SIZES.map(
        (size) => [urlPath(item, size), {body: item.body(size), contentType: item.contentType}] as const,
      ),
    ),
  );

/** Rotates the order by `by` places, so each client takes every place in turn. */
const rotate = <T>(items: readonly T[], by: number): T[] =>
  items.map((_, i) => items[(i + by) % items.length] as T);

const collectGarbage = (globalThis as {gc?: () => void}).gc;

/** What a client's worker is told to do: warm up (unmeasured) or take a measured turn. */
type Order = {readonly kind: 'warm' | 'turn'; readonly count: number};
/** What it answers: the turn (for `turn`) and the requests that failed so far. */
type Report = {readonly turn?: Turn; readonly errors: number; readonly firstError?: string};

/**
 * Worker thread of one client: its own V8 isolate, so its own copy of ky and of the library and
 * their own JIT state, as in a process of its own. Measures a turn with the process's
 * `cpuUsage()`: the other workers are idle meanwhile, and the GC's helper threads are counted.
 */
const clientWorker = async (args: Record<string, string>) => {
  const port = parentPort;
  if (port === null) return;
  const item = caseNamed(args.case ?? '');
  const size = Number(args.size);
  const concurrency = Number(args.concurrency);
  const transport = args.transport as Transport;
  const fetchImpl = transport === 'in-process' ? inProcessFetch(bodiesOf()) : globalThis.fetch;
  const prefix = transport === 'in-process' ? 'https://bench.invalid' : (args.url ?? '');
  const baseline =
    args.baseline === undefined || args.baseline === '' ? undefined : await loadBaseline(args.baseline);
  const call = makeCall(args.client as Client, item, size, prefix, fetchImpl, baseline);
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
  port.on('message', async (order: Order) => {
    if (order.kind === 'warm') {
      await timeRequests(order.count, concurrency, task);
      // Failures while warming up count too: they would be failures measured.
      port.postMessage({errors, ...(firstError === undefined ? {} : {firstError})} satisfies Report);
      return;
    }
    // Each turn starts with an empty heap: no turn pays for garbage of an earlier one.
    collectGarbage?.();
    const cpu = process.cpuUsage();
    const elapsedMs = await timeRequests(order.count, concurrency, task);
    const used = process.cpuUsage(cpu);
    const turn = {
      cpuUsPerRequest: (used.user + used.system) / order.count,
      requestsPerSecond: (order.count / elapsedMs) * 1000,
    };
    port.postMessage({turn, errors, ...(firstError === undefined ? {} : {firstError})} satisfies Report);
  });
  port.postMessage({errors} satisfies Report);
};

/**
 * Child process of one cell: a worker thread per client (see `clientWorker`), warmed up, then
 * measured in turns, one worker at a time, in an order rotated every round. Prints one
 * `CellSample`.
 */
const child = async (args: Record<string, string>) => {
  const count = Number(args.count);
  const rounds = Number(args.rounds);
  const offset = Number(args.offset);
  const clients = (args.clients ?? '').split(',') as Client[];
  const workers = await Promise.all(
    clients.map(async (client) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: {...args, client, overheadWorker: true},
      });
      const reports: Report[] = [];
      let waiting: ((report: Report) => void) | undefined;
      worker.on('message', (report: Report) => {
        if (waiting === undefined) {
          reports.push(report);
        } else {
          const resolve = waiting;
          waiting = undefined;
          resolve(report);
        }
      });
      const failed = new Promise<never>((_, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the ${client} worker exited (${code})`)));
      });
      failed.catch(() => {});
      const next = () =>
        Promise.race([
          new Promise<Report>((resolve) => {
            const ready = reports.shift();
            if (ready === undefined) waiting = resolve;
            else resolve(ready);
          }),
          failed,
        ]);
      await next();
      const send = (order: Order) => {
        worker.postMessage(order);
        return next();
      };
      return {client, worker, send};
    }),
  );
  const errors: Partial<Record<Client, number>> = {};
  let firstError: string | undefined;
  const note = (client: Client, report: Report) => {
    errors[client] = report.errors;
    firstError ??= report.firstError;
  };
  try {
    // Two alternating passes: every client's code is optimized before anything is measured.
    const warmUp = Math.max(50, Math.ceil(count / 2));
    for (let pass = 0; pass < 2; pass++) {
      for (const {client, send} of workers) note(client, await send({kind: 'warm', count: warmUp}));
    }
    const turns: Partial<Record<Client, Turn[]>> = {};
    for (let round = 0; round < rounds; round++) {
      for (const {client, send} of rotate(workers, round + offset)) {
        const report = await send({kind: 'turn', count});
        note(client, report);
        if (report.turn !== undefined) turns[client] = [...(turns[client] ?? []), report.turn];
      }
    }
    const sample: CellSample = {turns, errors, ...(firstError === undefined ? {} : {firstError})};
    process.stdout.write(`${JSON.stringify(sample)}\n`);
  } finally {
    await Promise.all(workers.map(({worker}) => worker.terminate()));
  }
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

/** Server process: serves the bodies on loopback, prints its URL, ends when its stdin closes. */
const serve = async () => {
  const {server, url} = await startServer();
  process.stdout.write(`${JSON.stringify({url})}\n`);
  process.stdin.on('close', () => {
    server.closeAllConnections();
    server.close();
  });
  process.stdin.resume();
};

/** Starts the loopback server in a process of its own; `stop()` ends it. */
export const spawnServer = async (self: string) => {
  const server = spawn(process.execPath, [self, '--server'], {stdio: ['pipe', 'pipe', 'inherit']});
  const stop = () => {
    server.stdin.end();
    server.kill();
  };
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('the bench server did not start within 30 s')), 30_000);
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n')[0];
      if (output.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as {url: string}).url);
      }
    });
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  return {url, stop};
};

export type OverheadOptions = {
  /** Fresh processes per cell, one after the other. */
  processes?: number;
  /** Turns of each client per process. */
  rounds?: number;
  transport?: Transport;
  /** Only the cases whose name contains this (lower case). */
  vendor?: string;
  /** Requests per turn. */
  count?: number;
  /** Only these clients (bare ky is always measured: every ratio is to it; `baseline` with `baseline`). */
  clients?: readonly string[];
  /**
   * A directory holding another tree of the library (a `git worktree` of an earlier commit): its
   * `withVendor()` is measured too, as the `baseline` client, beside this tree's.
   */
  baseline?: string;
};

/** A ratio's median with its interquartile range, as `1.03 (0.98–1.07)`. */
const spread = (values: readonly number[]) =>
  values.length === 0
    ? 'n/a'
    : `${fixed(median(values), 2)} (${fixed(quantile(values, 0.25), 2)}–${fixed(quantile(values, 0.75), 2)})`;

export const runOverhead = async ({
  processes = 3,
  rounds = 6,
  transport = 'loopback',
  vendor,
  count,
  clients: only,
  baseline,
}: OverheadOptions = {}) => {
  const self = new URL(import.meta.url).pathname;
  const clients = CLIENTS.filter((client) =>
    client === 'baseline'
      ? baseline !== undefined
      : only === undefined || client === 'ky' || only.includes(client),
  );
  const requests = count ?? (transport === 'in-process' ? 1000 : 300);
  const cases = CASES.filter((item) => vendor === undefined || item.name.toLowerCase().includes(vendor));
  type Cell = {item: Case; size: number; concurrency: number};
  const cells: Cell[] = cases.flatMap((item) =>
    SIZES.flatMap((size) => CONCURRENCIES.map((concurrency) => ({item, size, concurrency}))),
  );
  const server = transport === 'loopback' ? await spawnServer(self) : undefined;
  const samples = new Map<Cell, CellSample[]>();
  const failures: string[] = [];
  try {
    for (let run = 0; run < processes; run++) {
      for (const cell of cells) {
        const label = `${cell.item.name} ${cell.size} B c=${cell.concurrency} (process ${run + 1})`;
        const result = await runChild<CellSample>(
          self,
          [
            '--child',
            `case=${cell.item.name}`,
            `size=${cell.size}`,
            `concurrency=${cell.concurrency}`,
            `count=${requests}`,
            `rounds=${rounds}`,
            `offset=${run}`,
            `clients=${clients.join(',')}`,
            `transport=${transport}`,
            `url=${server?.url ?? ''}`,
            `baseline=${baseline ?? ''}`,
          ],
          {nodeFlags: ['--expose-gc'], timeoutMs: 600_000},
        );
        if (!result.ok) {
          failures.push(`${label}: ${result.error}`);
          continue;
        }
        const failed = Object.entries(result.value.errors).filter(([, errors]) => (errors ?? 0) > 0);
        if (failed.length > 0) {
          // A process with failed requests measured something else than a success path.
          const which = failed.map(([client, errors]) => `${client} ${errors}`).join(', ');
          failures.push(`${label}: failed requests (${which}; ${result.value.firstError})`);
          continue;
        }
        samples.set(cell, [...(samples.get(cell) ?? []), result.value]);
      }
    }
  } finally {
    server?.stop();
  }
  const rows = cells.map((cell) => {
    const runs = samples.get(cell) ?? [];
    const turnsOf = (client: Client) => runs.flatMap((run) => run.turns[client] ?? []);
    /** Each turn's CPU over `reference`'s in the same round of the same process. */
    const pairedRatios = (run: CellSample, client: Client, reference: Client = 'ky') =>
      (run.turns[client] ?? []).flatMap((turn, round) => {
        const other = run.turns[reference]?.[round];
        return other === undefined ? [] : [turn.cpuUsPerRequest / other.cpuUsPerRequest];
      });
    const byClient = clients.map((client) => {
      const cpu = turnsOf(client).map((turn) => turn.cpuUsPerRequest);
      return [
        client,
        {
          cpuUsPerRequest: median(cpu),
          cpuUsInterquartile: [quantile(cpu, 0.25), quantile(cpu, 0.75)],
          requestsPerSecond: median(turnsOf(client).map((turn) => turn.requestsPerSecond)),
          ratios: runs.flatMap((run) => pairedRatios(run, client)),
          processMedians: runs.map((run) => median(pairedRatios(run, client))),
        },
      ] as const;
    });
    const versusBaseline = runs.flatMap((run) => pairedRatios(run, 'withVendor', 'baseline'));
    return {
      vendor: cell.item.name,
      size: cell.size,
      concurrency: cell.concurrency,
      processes: runs.length,
      turns: runs.reduce((sum, run) => sum + (run.turns.ky?.length ?? 0), 0),
      clients: Object.fromEntries(byClient) as Partial<Record<Client, (typeof byClient)[number][1]>>,
      versusBaseline,
    };
  });
  type Row = (typeof rows)[number];
  const cellName = (row: Row) => ({
    case: row.vendor,
    body: row.size >= 1024 ? `${row.size / 1024} KB` : `${row.size} B`,
    'in flight': row.concurrency,
    turns: row.turns,
  });
  const others = clients.filter((client) => client !== 'ky');
  const cpu = (row: Row, client: Client) => fixed(row.clients[client]?.cpuUsPerRequest ?? Number.NaN, 1);
  printTable(
    `Client CPU per request, µs (${transport}; ${rounds} turns of ${requests} requests per client in each of ${processes} processes; median of the turns)`,
    rows.map((row) => ({
      ...cellName(row),
      ...Object.fromEntries(clients.map((client) => [client, cpu(row, client)])),
    })),
  );
  const range = (values: readonly number[]) =>
    values.length === 0 ? 'n/a' : `${fixed(Math.min(...values), 2)}–${fixed(Math.max(...values), 2)}`;
  printTable(
    'CPU ratio to bare ky: median of the per-round pairs (interquartile range); for withVendor also the range of the per-process medians',
    rows.map((row) => ({
      ...cellName(row),
      ...Object.fromEntries(
        others.map((client) => [`${client}/ky`, spread(row.clients[client]?.ratios ?? [])]),
      ),
      ...(clients.includes('withVendor')
        ? {'withVendor/ky per process': range(row.clients.withVendor?.processMedians ?? [])}
        : {}),
      ...(clients.includes('baseline') ? {'withVendor/baseline': spread(row.versusBaseline)} : {}),
    })),
  );
  printTable(
    `Requests per second (${transport}; same turns; median)`,
    rows.map((row) => ({
      ...cellName(row),
      ...Object.fromEntries(
        clients.map((client) => [client, fixed(row.clients[client]?.requestsPerSecond ?? Number.NaN, 0)]),
      ),
    })),
  );
  for (const failure of failures) console.log(`  failed (left out): ${failure}`);
  return {transport, processes, rounds, count: requests, rows, failures};
};

/** `--name value` pairs of the command line. */
const flag = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

if (!isMainThread && (workerData as {overheadWorker?: boolean} | null)?.overheadWorker === true) {
  await clientWorker(workerData as Record<string, string>);
} else if (import.meta.main) {
  if (process.argv.includes('--child')) {
    const args = Object.fromEntries(
      process.argv
        .slice(process.argv.indexOf('--child') + 1)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    await child(args);
  } else if (process.argv.includes('--server')) {
    await serve();
  } else {
    const count = flag('count');
    const vendor = flag('vendor');
    const clients = flag('clients');
    const baseline = flag('baseline');
    await runOverhead({
      ...(baseline === undefined ? {} : {baseline}),
      processes: Number(flag('processes') ?? 3),
      rounds: Number(flag('rounds') ?? 6),
      transport: flag('transport') === 'in-process' ? 'in-process' : 'loopback',
      ...(vendor === undefined ? {} : {vendor: vendor.toLowerCase()}),
      ...(count === undefined ? {} : {count: Number(count)}),
      ...(clients === undefined ? {} : {clients: clients.split(',')}),
    });
  }
}
