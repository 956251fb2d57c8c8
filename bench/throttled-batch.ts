/**
 * @module Throttled batch: UPYUN uploads at concurrency 40 into a loopback simulator, per scenario
 * (a steady 150/s, a limit that moves 150 → 50 → 300/s, four buckets of 150/s on one host, 5%
 * random 429s with no limit behind them beside the same run without them, a slow 20/s), for the
 * default `withVendor(upyun)` one-liner (an `api.put` pool and `uploadMany`), ky's default retry and
 * bottleneck told the true rate, all in the same run. Measures; never asserts.
 *
 * `BENCH_RUNS=3` takes the median of three runs per row (noise ÷ no limit: of three pairs, each
 * run of noise right after a run without it); `BENCH_SCENARIOS=r150,r20` runs some (ids: r150, changing, buckets, quiet, noise, r20;
 * noise is divided by quiet when both run);
 * `BENCH_CLIENTS=pool,uploadMany` runs the clients whose names contain one of the words;
 * `BENCH_DEADLINE_MS` bounds each row (default 30 s; files not started by then are reported).
 * Every client first runs once, unmeasured, against a simulator with no limit (see `WARM_UP`).
 */
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {BATCH_CLIENTS, type BatchClient, type BatchFile} from './batch-clients.ts';
import {BATCH_SCENARIOS, type BatchScenario, idealSeconds} from './batch-scenarios.ts';
import {fixed, printTable} from './measure.ts';

const CONCURRENCY = 40;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1) || 1);
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 30_000) || 30_000;
const ONLY = process.env.BENCH_SCENARIOS?.split(',').map((name) => name.trim());
const CLIENT_WORDS = process.env.BENCH_CLIENTS?.split(',').map((word) => word.trim());
const CLIENTS = BATCH_CLIENTS.filter(
  (client) => CLIENT_WORDS === undefined || CLIENT_WORDS.some((word) => client.name.includes(word)),
);

/** One row: a client in a scenario (the median run by time, when several). */
export type BatchOutcome = {
  readonly scenario: string;
  readonly client: string;
  readonly files: number;
  readonly seconds: number;
  /** Every run's time, for the spread. */
  readonly runsSeconds: readonly number[];
  /** Each run's time over the baseline scenario's run just before it (same client, same seed). */
  readonly pairRatios?: readonly number[];
  readonly idealSeconds: number | undefined;
  readonly requests: number;
  /** Rate-limit and noise 429s. */
  readonly throttled: number;
  readonly stored: number;
  /** Started but never stored. */
  readonly lost: number;
  readonly storedTwice: number;
  /** Never started before the deadline. */
  readonly unstarted: number;
  readonly failures: Readonly<Record<string, number>>;
  /** A fault of the bench itself (server start, a crash of the client); the row is then empty. */
  readonly error?: string;
};

const filesOf = (scenario: BatchScenario): BatchFile[] =>
  Array.from({length: scenario.files}, (_, i) => ({
    bucket: scenario.buckets[i % scenario.buckets.length] ?? 'bench',
    path: `batch/file-${i}.txt`,
    body: new TextEncoder().encode(`file ${i}\n`),
    contentType: 'text/plain',
  }));

const runOnce = async (scenario: BatchScenario, client: BatchClient, seed: number): Promise<BatchOutcome> => {
  const base = {
    scenario: scenario.name,
    client: client.name,
    files: scenario.files,
    idealSeconds: idealSeconds(scenario),
  };
  try {
    const sim = createUpyunSimulator({storeBodies: false, seed, ...scenario.sim});
    const server = await startUpyunServer(sim);
    const files = filesOf(scenario);
    const started = performance.now();
    let report: Awaited<ReturnType<BatchClient['run']>>;
    try {
      report = await client.run({
        prefix: server.url,
        files,
        scenario,
        concurrency: CONCURRENCY,
        deadlineMs: DEADLINE_MS,
      });
    } finally {
      await server.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const stored = files
      .map((file) => sim.files.get(`/${file.bucket}/${file.path}`))
      .filter((file) => file !== undefined);
    return {
      ...base,
      seconds,
      runsSeconds: [seconds],
      requests: sim.counters.requests,
      throttled: sim.counters.throttled + sim.counters.noiseThrottled,
      stored: stored.length,
      lost: scenario.files - report.unstarted - stored.length,
      storedTwice: stored.filter((file) => file.writes > 1).length,
      unstarted: report.unstarted,
      failures: report.failures,
    };
  } catch (error) {
    return {
      ...base,
      seconds: Number.NaN,
      runsSeconds: [],
      requests: 0,
      throttled: 0,
      stored: 0,
      lost: 0,
      storedTwice: 0,
      unstarted: 0,
      failures: {},
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};

/**
 * Runs a row `RUNS` times and keeps the run with the median time (a failed run counts as slowest).
 * A scenario compared with another by time (noise against the same run without it) runs that one
 * too before each of its runs, with the same seed, and gives the median of the paired ratios: on
 * a shared machine the speed drifts over minutes, and runs a minute apart compare the machine,
 * not the client.
 */
const measureRow = async (scenario: BatchScenario, client: BatchClient): Promise<BatchOutcome> => {
  const runs: BatchOutcome[] = [];
  const pairRatios: number[] = [];
  const baseline = BATCH_SCENARIOS.find((other) => other.name === scenario.baseline);
  for (let run = 0; run < RUNS; run++) {
    const before = baseline === undefined ? undefined : await runOnce(baseline, client, 7 + run);
    const outcome = await runOnce(scenario, client, 7 + run);
    runs.push(outcome);
    if (before !== undefined) pairRatios.push(outcome.seconds / before.seconds);
  }
  const sorted = [...runs].sort(
    (a, b) =>
      (Number.isNaN(a.seconds) ? Infinity : a.seconds) - (Number.isNaN(b.seconds) ? Infinity : b.seconds),
  );
  const middle = sorted[Math.floor((sorted.length - 1) / 2)] ?? runs[0];
  if (middle === undefined) throw new Error('no run');
  return {
    ...middle,
    runsSeconds: runs.map((run) => run.seconds),
    ...(pairRatios.length === 0 ? {} : {pairRatios}),
  };
};

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

/** The time ratio to the baseline scenario: the median of paired runs, with each pair's. */
const ratioCell = (row: BatchOutcome, before: BatchOutcome | undefined): string => {
  if (row.pairRatios !== undefined && row.pairRatios.length > 0) {
    const pairs = row.pairRatios;
    return pairs.length > 1
      ? `${fixed(median(pairs))} (${pairs.map((ratio) => fixed(ratio)).join('/')})`
      : fixed(median(pairs));
  }
  return before === undefined ? '—' : fixed(row.seconds / before.seconds);
};

const describeFailures = (failures: Readonly<Record<string, number>>): string => {
  const entries = Object.entries(failures);
  return entries.length === 0 ? '0' : entries.map(([name, count]) => `${count} ${name}`).join(', ');
};

const timeCell = (outcome: BatchOutcome): string =>
  outcome.runsSeconds.length > 1
    ? `${fixed(outcome.seconds)} (${outcome.runsSeconds.map((s) => fixed(s, 1)).join('/')})`
    : fixed(outcome.seconds);

/**
 * One unmeasured run of every client against a simulator with no limit, before any row: the first
 * row would otherwise pay for compiling ky, the simulator and the client's code (a cold process
 * takes up to a second longer to send its first requests), which no other row pays.
 */
const WARM_UP: BatchScenario = {
  id: 'warm-up',
  name: 'warm-up',
  files: 400,
  buckets: ['bench'],
  sim: {ratePerSecond: Number.POSITIVE_INFINITY, transientErrorRate: 0},
  trueRate: [{atMs: 0, ratePerSecond: Number.POSITIVE_INFINITY}],
};

export const runThrottledBatch = async (): Promise<BatchOutcome[]> => {
  for (const client of CLIENTS) await runOnce(WARM_UP, client, 1);
  const outcomes: BatchOutcome[] = [];
  const scenarios = BATCH_SCENARIOS.filter((scenario) => ONLY === undefined || ONLY.includes(scenario.id));
  for (const scenario of scenarios) {
    const rows: BatchOutcome[] = [];
    for (const client of CLIENTS) rows.push(await measureRow(scenario, client));
    outcomes.push(...rows);
    const baseline = outcomes.filter((row) => row.scenario === scenario.baseline);
    const ideal = idealSeconds(scenario);
    printTable(
      `Throttled batch, ${scenario.name}: ${scenario.files} PUTs over ${scenario.buckets.length} bucket(s), concurrency ${CONCURRENCY}` +
        (ideal === undefined ? '' : `, ideal N/R ${fixed(ideal)} s`) +
        (RUNS > 1 ? `, median of ${RUNS} runs` : ''),
      rows.map((row) => {
        const before = baseline.find((other) => other.client === row.client);
        return {
          client: row.client,
          seconds: row.error === undefined ? timeCell(row) : 'error',
          ...(ideal === undefined ? {} : {'÷ ideal': fixed(row.seconds / ideal)}),
          ...(scenario.baseline === undefined ? {} : {[`÷ ${scenario.baseline}`]: ratioCell(row, before)}),
          requests: row.requests,
          '429s': `${fixed((row.throttled / Math.max(1, row.requests)) * 100, 1)}%`,
          lost: row.lost,
          'stored twice': row.storedTwice,
          'not started': row.unstarted,
          failures: row.error ?? describeFailures(row.failures),
        };
      }),
    );
  }
  return outcomes;
};

if (import.meta.main) {
  await runThrottledBatch();
}
