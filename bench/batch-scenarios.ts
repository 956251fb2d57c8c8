/**
 * @module The UPYUN batch scenarios of the throttled-batch bench: what the simulator enforces,
 * how the files spread over buckets, and the true rate (what bottleneck is told; the ideal time).
 */
import type {UpyunRateStep, UpyunSimulatorOptions} from '../src/testing/index.ts';

/** One scenario: a batch of PUTs against one simulator configuration. */
export type BatchScenario = {
  /** A short name for `BENCH_SCENARIOS`. */
  readonly id: string;
  readonly name: string;
  readonly files: number;
  /** Files go to these buckets in turn. */
  readonly buckets: readonly string[];
  readonly sim: UpyunSimulatorOptions;
  /** Each bucket's true limit over time (from the run's start); `Infinity` when there is none. */
  readonly trueRate: readonly UpyunRateStep[];
  /** The scenario this one is compared with by time (noise against the same run without it). */
  readonly baseline?: string;
};

const R150: UpyunRateStep[] = [{atMs: 0, ratePerSecond: 150, burst: 15}];
const CHANGING: UpyunRateStep[] = [
  {atMs: 0, ratePerSecond: 150, burst: 15},
  {atMs: 4000, ratePerSecond: 50, burst: 5},
  {atMs: 8000, ratePerSecond: 300, burst: 30},
];
const UNLIMITED: UpyunRateStep[] = [{atMs: 0, ratePerSecond: Number.POSITIVE_INFINITY}];

/** The scenarios, in the order they run. */
export const BATCH_SCENARIOS: readonly BatchScenario[] = [
  {
    id: 'r150',
    name: 'r150',
    files: 600,
    buckets: ['bench'],
    sim: {ratePerSecond: 150, burst: 15, transientErrorRate: 0.01},
    trueRate: R150,
  },
  {
    id: 'changing',
    name: 'limit 150→50→300',
    files: 1400,
    buckets: ['bench'],
    sim: {ratePerSecond: 150, burst: 15, rateSchedule: CHANGING.slice(1), transientErrorRate: 0.01},
    trueRate: CHANGING,
  },
  {
    id: 'buckets',
    name: '4 buckets × 150/s, one host',
    files: 2400,
    buckets: ['b0', 'b1', 'b2', 'b3'],
    sim: {
      ratePerSecond: 150,
      burst: 15,
      buckets: Object.fromEntries(
        ['b0', 'b1', 'b2', 'b3'].map((name) => [name, {ratePerSecond: 150, burst: 15}]),
      ),
      transientErrorRate: 0.01,
    },
    trueRate: R150,
  },
  {
    id: 'quiet',
    name: 'no limit',
    files: 2000,
    buckets: ['bench'],
    sim: {ratePerSecond: Number.POSITIVE_INFINITY, transientErrorRate: 0},
    trueRate: UNLIMITED,
  },
  {
    id: 'noise',
    name: 'no limit, 5% random 429s',
    files: 2000,
    buckets: ['bench'],
    sim: {ratePerSecond: Number.POSITIVE_INFINITY, noiseThrottleRate: 0.05, transientErrorRate: 0},
    trueRate: UNLIMITED,
    baseline: 'no limit',
  },
  {
    id: 'r20',
    name: 'r20',
    files: 200,
    buckets: ['bench'],
    sim: {ratePerSecond: 20, burst: 2, transientErrorRate: 0.01},
    trueRate: [{atMs: 0, ratePerSecond: 20, burst: 2}],
  },
];

/**
 * The time the true rate needs for `files` spread evenly over `buckets` (N/R per bucket, burst
 * ignored, the rate following its steps); `undefined` with no limit.
 */
export const idealSeconds = (scenario: BatchScenario): number | undefined => {
  let left = scenario.files / scenario.buckets.length;
  const steps = scenario.trueRate;
  for (const [index, step] of steps.entries()) {
    if (step.ratePerSecond === Number.POSITIVE_INFINITY) return undefined;
    const endsAtMs = steps[index + 1]?.atMs ?? Number.POSITIVE_INFINITY;
    const capacity = ((endsAtMs - step.atMs) * step.ratePerSecond) / 1000;
    if (left <= capacity) return (step.atMs + (left / step.ratePerSecond) * 1000) / 1000;
    left -= capacity;
  }
  return undefined;
};
