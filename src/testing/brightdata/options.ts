/**
 * @module The knobs of the BrightData simulator and their defaults.
 */

/**
 * Options of `createBrightdataSimulator()`. Every field is optional; the defaults describe a healthy
 * account whose jobs take 30 seconds.
 *
 * @example
 * ```ts
 * const sim = createBrightdataSimulator({readyAfterMs: 45_000, buildingDownloads: 1, progressErrorRate: 0.1, seed: 7});
 * ```
 */
export type BrightdataSimulatorOptions = {
  /**
   * The simulator's clock. Give it the clock of your fake timers (the default reads `Date.now`
   * at each call, so `vi.useFakeTimers()` already drives it) or a scaled clock.
   * @default () => Date.now()
   */
  readonly now?: () => number;
  /**
   * Seed of the random source (ids, jitter, failure draws): the same seed replays the same run.
   * @default 1
   */
  readonly seed?: number;
  /**
   * The API key requests must carry as `Authorization: Bearer …`; without one, any request is
   * accepted. A missing header answers 401 "Credentials are missing", a wrong key 401 "Invalid
   * credentials".
   * @default undefined
   */
  readonly apiKey?: string;
  /**
   * Dataset ids that exist; others answer 404 "dataset does not exist". `undefined` accepts any.
   * @default undefined
   */
  readonly datasets?: readonly string[];
  /**
   * Jobs that may run at once; one more answers 429 "You have too many running jobs…".
   * @default 10
   */
  readonly maxRunningJobs?: number;
  /**
   * `Retry-After` seconds sent with that 429; `undefined` sends none (the vendor does not document it).
   * @default undefined
   */
  readonly throttleRetryAfterSec?: number;
  /**
   * How long a new job reports `starting` before `running`.
   * @default 2_000
   */
  readonly startingMs?: number;
  /**
   * Time from trigger to `ready` (or `failed`).
   * @default 30_000
   */
  readonly readyAfterMs?: number;
  /**
   * Up to this much is added to `readyAfterMs`, drawn from the seeded random source.
   * @default 0
   */
  readonly readyJitterMs?: number;
  /**
   * Probability that a job ends `failed` instead of `ready`.
   * @default 0
   */
  readonly failRate?: number;
  /**
   * The `error_message` of a failed job.
   * @default 'Something went wrong. Our team is looking into it.'
   */
  readonly failMessage?: string;
  /**
   * Probability that a progress request answers 500 "Internal server error".
   * @default 0
   */
  readonly progressErrorRate?: number;
  /**
   * The wait in the snapshot's 202 "try again in Ns" message.
   * @default 10
   */
  readonly hintSec?: number;
  /**
   * Whether 202 answers also carry `Retry-After: hintSec`.
   * @default true
   */
  readonly retryAfterHeader?: boolean;
  /**
   * How many downloads right after `ready` still answer 202 "Snapshot is building" (the race
   * the Python SDK and the JS SDK's GitHub HEAD retry; the published `@brightdata/sdk` 0.2.0
   * throws on it).
   * @default 0
   */
  readonly buildingDownloads?: number;
  /**
   * Records produced per input.
   * @default 1
   */
  readonly recordsPerInput?: number;
  /**
   * Builds one record.
   * @default (input, index) => ({...input, index})
   */
  readonly record?: (input: unknown, index: number) => unknown;
  /**
   * The smallest `batch_size` accepted.
   * @default 1000
   */
  readonly minBatchSize?: number;
  /**
   * A sync scrape whose job is ready within this time answers 200 with the data; a slower one
   * answers 202 with its `snapshot_id` and keeps running.
   * @default 60_000
   */
  readonly syncTimeoutMs?: number;
  /**
   * Time from `POST deliver` to delivery `done`.
   * @default 5_000
   */
  readonly deliveryMs?: number;
  /**
   * Probability that a delivery ends `failed`.
   * @default 0
   */
  readonly deliveryFailRate?: number;
  /**
   * Probability that a delivery ends `canceled` (spelled as `canceledStatus`).
   * @default 0
   */
  readonly deliveryCancelRate?: number;
  /**
   * How progress, delivery and the snapshot list spell a cancelled job: the docs' `canceled`, or
   * the `cancelled` of BrightData's JS SDK schema.
   * @default 'canceled'
   */
  readonly canceledStatus?: 'canceled' | 'cancelled';
  /**
   * How long a snapshot can be downloaded after it is ready; later answers 400 "Snapshot is expired".
   * @default 2_592_000_000 (30 days)
   */
  readonly retentionMs?: number;
  /**
   * Cuts every successful download after this many bytes, as a dropped connection does.
   * @default undefined
   */
  readonly truncateDownloadBytes?: number;
  /**
   * How long after its creation a job appears in `GET /datasets/v3/snapshots` (the listing is
   * eventually consistent; BrightData documents no delay, so give your tests one).
   * @default 0
   */
  readonly listVisibilityMs?: number;
  /**
   * The most entries kept in `sim.log` (oldest dropped first).
   * @default 10_000
   */
  readonly maxLog?: number;
};

/** The options with every default applied. */
export type NormalizedBrightdataSimulatorOptions = Required<
  Omit<BrightdataSimulatorOptions, 'apiKey' | 'datasets' | 'throttleRetryAfterSec' | 'truncateDownloadBytes'>
> &
  Pick<BrightdataSimulatorOptions, 'apiKey' | 'datasets' | 'throttleRetryAfterSec' | 'truncateDownloadBytes'>;

/** The defaults, in one place. */
export const BRIGHTDATA_SIMULATOR_DEFAULTS = {
  seed: 1,
  maxRunningJobs: 10,
  startingMs: 2_000,
  readyAfterMs: 30_000,
  readyJitterMs: 0,
  failRate: 0,
  failMessage: 'Something went wrong. Our team is looking into it.',
  progressErrorRate: 0,
  hintSec: 10,
  retryAfterHeader: true,
  buildingDownloads: 0,
  recordsPerInput: 1,
  minBatchSize: 1000,
  syncTimeoutMs: 60_000,
  deliveryMs: 5_000,
  deliveryFailRate: 0,
  deliveryCancelRate: 0,
  canceledStatus: 'canceled',
  retentionMs: 30 * 24 * 3_600_000,
  maxLog: 10_000,
  listVisibilityMs: 0,
} as const;

const defaultRecord = (input: unknown, index: number): unknown =>
  typeof input === 'object' && input !== null ? {...input, index} : {input, index};

/** Applies the defaults. */
export const normalizeSimOptions = (
  options: BrightdataSimulatorOptions = {},
): NormalizedBrightdataSimulatorOptions => {
  const {apiKey, datasets, throttleRetryAfterSec, truncateDownloadBytes, ...rest} = options;
  return {
    ...BRIGHTDATA_SIMULATOR_DEFAULTS,
    now: () => Date.now(),
    record: defaultRecord,
    ...stripUndefined(rest),
    ...(apiKey === undefined ? {} : {apiKey}),
    ...(datasets === undefined ? {} : {datasets}),
    ...(throttleRetryAfterSec === undefined ? {} : {throttleRetryAfterSec}),
    ...(truncateDownloadBytes === undefined ? {} : {truncateDownloadBytes}),
  };
};

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
