/**
 * @module The UPYUN simulator's options and their defaults, in one place.
 */
import type {RateStep} from '../shared/token-bucket.ts';
import type {SimRequestInfo, SimResponse} from './sim-types.ts';

/**
 * A bucket's own rate limit (UPYUN limits each bucket, the first path segment, on its own).
 * Unset fields take the service-wide `ratePerSecond`, `burst` and `rateSchedule`.
 *
 * @example
 * ```ts
 * createUpyunSimulator({buckets: {photos: {ratePerSecond: 150, burst: 15}, logs: {ratePerSecond: 20}}});
 * ```
 */
export type UpyunBucketLimit = {
  readonly ratePerSecond?: number;
  readonly burst?: number;
  readonly rateSchedule?: readonly RateStep[];
};

/**
 * Simulator settings. Every field is optional; the defaults resemble a busy real bucket.
 *
 * @example
 * ```ts
 * const sim = createUpyunSimulator({ratePerSecond: 50, burst: 5, transientErrorRate: 0, seed: 7});
 * ```
 */
export type UpyunSimulatorOptions = {
  /**
   * Requests accepted per second (token bucket refill); `Infinity` turns the limit off.
   * @default 150
   */
  readonly ratePerSecond?: number;
  /**
   * Requests accepted at once after a quiet spell (token bucket size).
   * @default 15
   */
  readonly burst?: number;
  /**
   * A limit that changes over time: from each step's `atMs` (milliseconds after the simulator was
   * created or `reset()`) the limit is the step's `ratePerSecond` (and `burst`, if set). Before
   * the first step, `ratePerSecond` applies.
   * @default [] (a constant limit)
   * @example
   * ```ts
   * createUpyunSimulator({ratePerSecond: 150, rateSchedule: [{atMs: 4000, ratePerSecond: 50}, {atMs: 8000, ratePerSecond: 300}]});
   * ```
   */
  readonly rateSchedule?: readonly RateStep[];
  /**
   * Buckets with a rate limit of their own, by name. A request to a listed bucket spends that
   * bucket's tokens only; every other bucket shares the service-wide limit.
   * @default {} (one limit for the whole service)
   * @example
   * ```ts
   * createUpyunSimulator({buckets: {a: {ratePerSecond: 150}, b: {ratePerSecond: 150}}});
   * ```
   */
  readonly buckets?: Readonly<Record<string, UpyunBucketLimit>>;
  /**
   * Share of requests, in `[0, 1]`, answered 429 42900001 at random although they are within the
   * limit (noise with no limit behind it: waiting does not make the next one likelier to pass).
   * They are counted in `noiseThrottled`, not `throttled`, and never lead to a ban.
   * @default 0
   */
  readonly noiseThrottleRate?: number;
  /**
   * Share of requests answered with a transient 503 50300013 ("put file capture timeout"), in `[0, 1]`.
   * @default 0.01
   */
  readonly transientErrorRate?: number;
  /**
   * The same file may change once per this many milliseconds; a second PUT, DELETE or multipart
   * `complete` sooner gets 503 50300007. `0` turns the rule off.
   * @default 1000
   */
  readonly sameFileIntervalMs?: number;
  /**
   * When set, every request must carry a valid `UPYUN operator:signature` (401 40100005 otherwise).
   * @default undefined (no signature check)
   */
  readonly credentials?: {readonly operator: string; readonly password: string};
  /**
   * How far the signed `Date` may be from the simulator's clock (401 40100002 beyond).
   * @default 1_800_000 (30 minutes)
   */
  readonly maxDateSkewMs?: number;
  /**
   * Ban the client (429 42900004 on every request) after this many rate-limit 429s within
   * `banWindowMs`.
   * @default undefined (never ban)
   */
  readonly banAfter429s?: number;
  /** @default 60_000 */
  readonly banWindowMs?: number;
  /** @default 600_000 */
  readonly banDurationMs?: number;
  /**
   * Unfinished multipart uploads are forgotten after this long (40011058 afterwards).
   * @default 86_400_000 (24 hours)
   */
  readonly multipartTtlMs?: number;
  /**
   * Keep file contents (for content assertions); `false` keeps sizes and counters only.
   * @default true
   */
  readonly storeBodies?: boolean;
  /**
   * Seed of the random source (transient faults, request ids, upload ids).
   * @default 1
   */
  readonly seed?: number;
  /**
   * The clock, in milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Fault injection: runs after the ban, rate-limit and signature checks; a returned response is
   * sent instead of the normal one (build it with `upyunError()`).
   * @default undefined
   */
  readonly intercept?: (request: SimRequestInfo) => SimResponse | undefined;
};

/** The defaults, in one place. */
export const UPYUN_SIMULATOR_DEFAULTS = {
  ratePerSecond: 150,
  burst: 15,
  rateSchedule: [],
  buckets: {},
  noiseThrottleRate: 0,
  transientErrorRate: 0.01,
  sameFileIntervalMs: 1000,
  maxDateSkewMs: 1_800_000,
  banWindowMs: 60_000,
  banDurationMs: 600_000,
  multipartTtlMs: 86_400_000,
  storeBodies: true,
  seed: 1,
} as const;

/**
 * The settings in force, defaults applied.
 *
 * @example
 * ```ts
 * expect(sim.options.ratePerSecond).toBe(150);
 * ```
 */
export type NormalizedUpyunSimulatorOptions = Readonly<
  Required<Omit<UpyunSimulatorOptions, 'credentials' | 'banAfter429s' | 'intercept'>>
> &
  Pick<UpyunSimulatorOptions, 'credentials' | 'banAfter429s' | 'intercept'>;
