/**
 * @module Where a successful request's CPU goes: `count` requests of one vendor's typical
 * success through one client (bare ky or `withVendor()`), against the loopback server of
 * `bench/overhead.ts` in its own process (or an in-process fetch), sampled by V8's CPU profiler.
 * Prints the self time by origin (ky-vendors, ky, undici, the rest of Node, GC) and the top
 * functions; with `--out` also writes the `.cpuprofile` for Chrome DevTools. With `--heap`, the
 * bytes allocated per request instead, by the function that allocated them (V8's sampling heap
 * profiler, counting the objects the GC has collected too): unlike CPU time on a shared machine,
 * this hardly moves between runs. Measures; never asserts.
 *
 * Run with `node bench/success-profile.ts [--client ky|withVendor] [--vendor upyun] [--size 200]
 * [--concurrency 1] [--count 20000] [--transport loopback|in-process] [--heap] [--top 25] [--out file.cpuprofile]`.
 */
import {writeFile} from 'node:fs/promises';
import {Session} from 'node:inspector/promises';
import {fixed, printTable, timeRequests} from './measure.ts';
import {bodiesOf, caseNamed, inProcessFetch, makeCall, spawnServer} from './overhead.ts';

type CallFrame = {functionName: string; url: string; lineNumber: number; columnNumber: number};
type ProfileNode = {id: number; callFrame: CallFrame; hitCount?: number; children?: number[]};
type HeapNode = {callFrame: CallFrame; selfSize: number; children: HeapNode[]};
type Profile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
};

const CASE_OF: Record<string, string> = {
  upyun: 'UPYUN file',
  huawei: 'Huawei',
  'brightdata-download': 'BrightData download',
  'brightdata-progress': 'BrightData progress',
  supametas: 'Supametas',
};

/** Who a sampled function belongs to, by its script's URL. */
export const originOf = (frame: Pick<CallFrame, 'functionName' | 'url'>): string => {
  const {url, functionName} = frame;
  if (url === '') {
    return functionName === '(garbage collector)'
      ? 'GC'
      : functionName.startsWith('(')
        ? functionName
        : 'native';
  }
  if (url.includes('/node_modules/ky/')) return 'ky';
  if (url.includes('undici')) return 'undici';
  if (url.includes('/src/')) return 'ky-vendors';
  if (url.startsWith('node:')) return 'node';
  return 'other';
};

const flag = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

/** Self time per function and per origin, in ms, from the profile's samples. */
const selfTimes = (profile: Profile) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the gap to the next one.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const functions = new Map<string, {name: string; origin: string; ms: number}>();
  const origins = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const origin = originOf(frame);
    origins.set(origin, (origins.get(origin) ?? 0) + ms);
    const file = frame.url.replace(/^.*\/(node_modules\/|src\/)/, '$1');
    const name = `${frame.functionName || '(anonymous)'} ${file}${file === '' ? '' : `:${frame.lineNumber + 1}`}`;
    const entry = functions.get(name) ?? {name, origin, ms: 0};
    entry.ms += ms;
    functions.set(name, entry);
  }
  return {functions: [...functions.values()].sort((a, b) => b.ms - a.ms), origins};
};

/** Prints the CPU profile: self time by origin and the top functions. */
const printCpu = (
  profile: Profile,
  run: {
    client: string;
    item: string;
    size: number;
    concurrency: number;
    count: number;
    top: number;
    used: NodeJS.CpuUsage;
    elapsedMs: number;
  },
) => {
  const {client, item, size, concurrency, count, top, used, elapsedMs} = run;
  const {functions, origins} = selfTimes(profile);
  const total = [...origins.values()].reduce((sum, ms) => sum + ms, 0);
  console.log(
    `${client}, ${item}, ${size} B, ${concurrency} in flight: ${count} requests, ` +
      `${fixed((used.user + used.system) / count, 1)} µs CPU per request, ${fixed((count / elapsedMs) * 1000, 0)} requests/s`,
  );
  const busy = total - (origins.get('(idle)') ?? 0);
  const share = (ms: number) => `${fixed((ms / busy) * 100, 1)} %`;
  printTable(
    'Self time by origin (share of the sampled time not idle)',
    [...origins]
      .filter(([origin]) => origin !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .map(([origin, ms]) => ({origin, 'µs / request': fixed((ms * 1000) / count, 2), share: share(ms)})),
  );
  printTable(
    `Top ${top} functions by self time`,
    functions
      .filter((entry) => entry.origin !== '(idle)')
      .slice(0, top)
      .map((entry) => ({
        function: entry.name,
        origin: entry.origin,
        'µs / request': fixed((entry.ms * 1000) / count, 2),
        share: share(entry.ms),
      })),
  );
  printTable(
    'ky-vendors functions by self time',
    functions
      .filter((entry) => entry.origin === 'ky-vendors')
      .slice(0, top)
      .map((entry) => ({
        function: entry.name,
        'µs / request': fixed((entry.ms * 1000) / count, 2),
        share: share(entry.ms),
      })),
  );
};

/** Bytes allocated per function and per origin, from a sampling heap profile. */
const allocations = (head: HeapNode) => {
  const functions = new Map<string, {name: string; origin: string; bytes: number}>();
  const origins = new Map<string, number>();
  const visit = (node: HeapNode) => {
    const frame = node.callFrame;
    const origin = originOf(frame);
    origins.set(origin, (origins.get(origin) ?? 0) + node.selfSize);
    const file = frame.url.replace(/^.*\/(node_modules\/|src\/)/, '$1');
    const name = `${frame.functionName || '(anonymous)'} ${file}${file === '' ? '' : `:${frame.lineNumber + 1}`}`;
    const entry = functions.get(name) ?? {name, origin, bytes: 0};
    entry.bytes += node.selfSize;
    functions.set(name, entry);
    for (const child of node.children) visit(child);
  };
  visit(head);
  return {functions: [...functions.values()].sort((a, b) => b.bytes - a.bytes), origins};
};

if (import.meta.main) {
  const client = flag('client') === 'ky' ? 'ky' : 'withVendor';
  const vendor = flag('vendor') ?? 'upyun';
  const item = caseNamed(CASE_OF[vendor] ?? vendor);
  const size = Number(flag('size') ?? 200);
  const concurrency = Number(flag('concurrency') ?? 1);
  const count = Number(flag('count') ?? 20_000);
  const top = Number(flag('top') ?? 25);
  const self = new URL('./overhead.ts', import.meta.url).pathname;
  // In process, the fetch answers at once: what is left is the clients' own work.
  const inProcess = flag('transport') === 'in-process';
  const server = inProcess ? {url: 'https://bench.invalid', stop: () => {}} : await spawnServer(self);
  try {
    const fetchImpl = inProcess ? inProcessFetch(bodiesOf()) : globalThis.fetch;
    const call = makeCall(client, item, size, server.url, fetchImpl);
    await timeRequests(Math.ceil(count / 4), concurrency, call);
    const session = new Session();
    session.connect();
    if (process.argv.includes('--heap')) {
      await session.post('HeapProfiler.enable');
      // Every 64 bytes on average, and the objects already collected too: what a request allocates.
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 64,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      await timeRequests(count, concurrency, call);
      const {profile} = (await session.post('HeapProfiler.stopSampling')) as {profile: {head: HeapNode}};
      session.disconnect();
      const {functions, origins} = allocations(profile.head);
      const total = [...origins.values()].reduce((sum, bytes) => sum + bytes, 0);
      console.log(
        `${client}, ${item.name}, ${size} B, ${concurrency} in flight: ${count} requests, ${fixed(total / count, 0)} bytes allocated per request`,
      );
      printTable(
        'Bytes allocated per request by origin',
        [...origins]
          .sort((a, b) => b[1] - a[1])
          .map(([origin, bytes]) => ({origin, 'bytes / request': fixed(bytes / count, 0)})),
      );
      printTable(
        `Top ${top} functions by bytes allocated`,
        functions.slice(0, top).map((entry) => ({
          function: entry.name,
          origin: entry.origin,
          'bytes / request': fixed(entry.bytes / count, 0),
        })),
      );
    } else {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', {interval: 100});
      await session.post('Profiler.start');
      const cpu = process.cpuUsage();
      const elapsedMs = await timeRequests(count, concurrency, call);
      const used = process.cpuUsage(cpu);
      const {profile} = (await session.post('Profiler.stop')) as {profile: Profile};
      session.disconnect();
      const out = flag('out');
      if (out !== undefined) await writeFile(out, JSON.stringify(profile));
      printCpu(profile, {client, item: item.name, size, concurrency, count, top, used, elapsedMs});
    }
  } finally {
    server.stop();
  }
}
