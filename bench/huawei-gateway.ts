/**
 * @module Huawei gateway: GETs at concurrency 20 against the simulated API Gateway's rate limit
 * (429 `APIGW.0308` "…over ratelimit,limit:5,time:1 second"), with `withVendor(huaweiCloud)`'s
 * default options beside ky's default retry. Reports failures and the time against N/R.
 * Measures; never asserts.
 *
 * `HUAWEI_SCALED=1` runs the faster scaled version (500 GETs at 50/s, ideal 10 s) instead of the
 * real one (100 GETs at 5/s, ideal 20 s).
 */
import ky from 'ky';
import {withVendor} from '../src/index.ts';
import {createHuaweiSimulator, startHuaweiServer} from '../src/testing/index.ts';
import {huaweiCloud} from '../src/vendors/huawei/index.ts';
import {fixed, printTable} from './measure.ts';

const SCALED = process.env.HUAWEI_SCALED === '1';
const GETS = SCALED ? 500 : 100;
const LIMIT = SCALED ? 50 : 5;
const CONCURRENCY = 20;
const DEADLINE_MS = 60_000;
const PROJECT = '0a1b2c3d4e5f';

/** One client's run. */
export type HuaweiOutcome = {
  readonly client: string;
  readonly gets: number;
  readonly limitPerSecond: number;
  readonly seconds: number;
  readonly idealSeconds: number;
  readonly requests: number;
  readonly throttled: number;
  readonly ok: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly error?: string;
};

const CLIENTS = [
  {
    name: 'withVendor(huaweiCloud), defaults',
    options: (prefix: string) => ({prefix, ...withVendor(huaweiCloud)}),
  },
  {name: "ky's default retry", options: (prefix: string) => ({prefix})},
] as const;

const runClient = async (client: (typeof CLIENTS)[number]): Promise<HuaweiOutcome> => {
  const base = {client: client.name, gets: GETS, limitPerSecond: LIMIT, idealSeconds: GETS / LIMIT};
  try {
    const sim = createHuaweiSimulator({
      requireToken: false,
      rateLimit: {limit: LIMIT, windowMs: 1000, policy: 'api'},
    });
    const server = await startHuaweiServer(sim);
    const api = ky.create(client.options(`${server.url}/v1.0/${PROJECT}/`));
    const signal = AbortSignal.timeout(DEADLINE_MS);
    const failures: Record<string, number> = {};
    let ok = 0;
    let next = 0;
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({length: CONCURRENCY}, async () => {
          while (next < GETS) {
            next++;
            try {
              await api.get('data/packages', {signal}).json();
              ok++;
            } catch (error) {
              const name = error instanceof Error ? error.constructor.name : typeof error;
              failures[name] = (failures[name] ?? 0) + 1;
            }
          }
        }),
      );
    } finally {
      await server.close();
    }
    return {
      ...base,
      seconds: (performance.now() - started) / 1000,
      requests: sim.counters.requests,
      throttled: sim.counters.throttled,
      ok,
      failures,
    };
  } catch (error) {
    return {
      ...base,
      seconds: Number.NaN,
      requests: 0,
      throttled: 0,
      ok: 0,
      failures: {},
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};

export const runHuaweiGateway = async (): Promise<HuaweiOutcome[]> => {
  const outcomes: HuaweiOutcome[] = [];
  for (const client of CLIENTS) outcomes.push(await runClient(client));
  printTable(
    `Huawei gateway: ${GETS} GETs, concurrency ${CONCURRENCY}, APIGW.0308 past ${LIMIT}/s` +
      `${SCALED ? ' (scaled 10× from 100 GETs at 5/s)' : ''}, ideal N/R ${fixed(GETS / LIMIT)} s`,
    outcomes.map((row) => ({
      client: row.client,
      seconds: row.error === undefined ? fixed(row.seconds) : 'error',
      '÷ ideal': fixed(row.seconds / row.idealSeconds),
      requests: row.requests,
      'APIGW.0308': `${row.throttled} (${fixed((row.throttled / Math.max(1, row.requests)) * 100, 1)}%)`,
      ok: row.ok,
      failures:
        row.error ??
        (Object.entries(row.failures)
          .map(([name, count]) => `${count} ${name}`)
          .join(', ') ||
          '0'),
    })),
  );
  return outcomes;
};

if (import.meta.main) {
  await runHuaweiGateway();
}
