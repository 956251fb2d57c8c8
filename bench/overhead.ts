/**
 * @module Success-path overhead: requests per second through `withVendor(v)` against bare ky,
 * in-process (a fetch that answers at once) and over loopback HTTP, for each vendor.
 */
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import ky, {type KyInstance} from 'ky';
import {diagnosticsChannels} from '../src/diagnostics/index.ts';
import {brightdata, huaweiCloud, supametas, upyun, type Vendor, withVendor} from '../src/index.ts';
import {otelObserver} from '../src/otel/index.ts';
import {fixed, median, printTable, timeRequests} from './measure.ts';

/** A typical successful answer of each vendor, at the path its operations use. */
const cases: readonly {vendor: Vendor; path: string; body: string; contentType: string}[] = [
  {vendor: upyun, path: 'bucket/file.txt', body: 'x'.repeat(2048), contentType: 'application/octet-stream'},
  {
    vendor: huaweiCloud,
    path: 'v1.0/p/data/jobs',
    body: JSON.stringify({payload: {jobs: []}}),
    contentType: 'application/json',
  },
  {
    vendor: brightdata,
    path: 'datasets/v3/progress/s_1',
    body: JSON.stringify({snapshot_id: 's_1', dataset_id: 'gd_1', status: 'running'}),
    contentType: 'application/json',
  },
  {
    vendor: supametas,
    path: 'query-task',
    body: JSON.stringify({code: '0', message: null, data: {taskId: '1', taskName: 't', state: 'PENDING'}}),
    contentType: 'application/json',
  },
];

const ROUNDS = 5;

/** The observers with nothing listening: no OpenTelemetry SDK registered, no channel subscriber. */
const observers = () => [otelObserver(), diagnosticsChannels()];

const rate = async (api: KyInstance, path: string, count: number, concurrency: number): Promise<number> => {
  const elapsed = await timeRequests(count, concurrency, async () => {
    await (await api.get(path)).arrayBuffer();
  });
  return (count / elapsed) * 1000;
};

/**
 * Alternates the instances round by round so drift on a shared machine hits all alike. `bare` is
 * ky with its defaults (retry limit 2, as users run it); `noRetry` is ky with `retry: 0`, which
 * skips ky's per-attempt request clone; `hooked` is ky with one empty `afterResponse` hook, the
 * price ky itself charges any response middleware (it tees the body for each such hook).
 * `observed` is `withVendor(v)` with the OpenTelemetry observer (no SDK registered: the API's
 * no-op tracer and meter) and the diagnostics channels (no subscriber).
 */
const compare = async (
  instances: {
    bare: KyInstance;
    noRetry: KyInstance;
    hooked: KyInstance;
    wrapped: KyInstance;
    observed: KyInstance;
  },
  path: string,
  count: number,
  concurrency: number,
) => {
  const rates: Record<keyof typeof instances, number[]> = {
    bare: [],
    noRetry: [],
    hooked: [],
    wrapped: [],
    observed: [],
  };
  const names = Object.keys(instances) as (keyof typeof instances)[];
  for (const name of names) await rate(instances[name], path, Math.ceil(count / 5), concurrency);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) rates[name].push(await rate(instances[name], path, count, concurrency));
  }
  return {
    bare: median(rates.bare),
    noRetry: median(rates.noRetry),
    hooked: median(rates.hooked),
    wrapped: median(rates.wrapped),
    observed: median(rates.observed),
  };
};

export const runOverhead = async () => {
  const results: Record<string, unknown>[] = [];
  for (const {vendor, path, body, contentType} of cases) {
    const fetch = async () => new Response(body, {headers: {'content-type': contentType}});
    const prefix = 'https://bench.invalid';
    const instances = {
      bare: ky.create({prefix, fetch}),
      noRetry: ky.create({prefix, fetch, retry: 0}),
      hooked: ky.create({prefix, fetch, hooks: {afterResponse: [() => undefined]}}),
      wrapped: ky.create({prefix, fetch, ...withVendor(vendor)}),
      observed: ky.create({prefix, fetch, ...withVendor(vendor, {observers: observers()})}),
    };
    const r = await compare(instances, path, 5000, 16);
    results.push({scenario: 'in-process', vendor: vendor.name, ...r});
  }
  const server = createServer((request, response) => {
    const match = cases.find(({path}) => request.url?.endsWith(path));
    response.writeHead(200, {'content-type': match?.contentType ?? 'text/plain'});
    response.end(match?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const {vendor, path} of cases) {
      const instances = {
        bare: ky.create({prefix: url}),
        noRetry: ky.create({prefix: url, retry: 0}),
        hooked: ky.create({prefix: url, hooks: {afterResponse: [() => undefined]}}),
        wrapped: ky.create({prefix: url, ...withVendor(vendor)}),
        observed: ky.create({prefix: url, ...withVendor(vendor, {observers: observers()})}),
      };
      const r = await compare(instances, path, 1500, 16);
      results.push({scenario: 'loopback', vendor: vendor.name, ...r});
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  printTable(
    'Success-path overhead (requests/s, median of 5 alternating rounds; ratios are withVendor / baseline)',
    results.map((row) => ({
      scenario: String(row.scenario),
      vendor: String(row.vendor),
      'ky (defaults)': fixed(row.bare as number, 0),
      'ky retry:0': fixed(row.noRetry as number, 0),
      withVendor: fixed(row.wrapped as number, 0),
      'ky + empty hook': fixed(row.hooked as number, 0),
      'withVendor + observers': fixed(row.observed as number, 0),
      'observers vs withVendor': fixed((row.observed as number) / (row.wrapped as number), 3),
      'vs ky defaults': fixed((row.wrapped as number) / (row.bare as number), 3),
      'vs ky + empty hook': fixed((row.wrapped as number) / (row.hooked as number), 3),
    })),
  );
  return results;
};

if (import.meta.main) {
  await runOverhead();
}
