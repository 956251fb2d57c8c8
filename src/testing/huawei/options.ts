/**
 * @module The Huawei simulator's options, defaults, state and counters.
 */
import type {RateLimit} from './token-bucket.ts';

/** The Octopus endpoint (华南-广州) where the handlers answer by default. */
export const HUAWEI_OCTOPUS_URL = 'https://octopus.cn-south-1.myhuaweicloud.com';

/** The IAM endpoint of the same region, for `POST /v3/auth/tokens`. */
export const HUAWEI_IAM_URL = 'https://iam.cn-south-1.myhuaweicloud.com';

/**
 * The Octopus codes a busy resource can answer with, and how Octopus sends them.
 *
 * @example
 * ```ts
 * HUAWEI_BUSY_ANSWERS['octopus.109004'].status; // 403
 * ```
 */
export const HUAWEI_BUSY_ANSWERS = {
  'octopus.107005': {status: 409, message: 'There is already a running scenario job'},
  'octopus.007004': {status: 409, message: 'Current image status do not support this action.'},
  'octopus.109004': {status: 403, message: 'The job status is abnormal'},
  'octopus.202210': {status: 400, message: 'This label task is being executed in other versions'},
} as const;

/**
 * A code of `HUAWEI_BUSY_ANSWERS`.
 *
 * @example
 * ```ts
 * createHuaweiSimulator({busyCode: 'octopus.007004'});
 * ```
 */
export type HuaweiBusyCode = keyof typeof HUAWEI_BUSY_ANSWERS;

/**
 * The gateway's rate limit, and which policy its message names.
 *
 * @example
 * ```ts
 * createHuaweiSimulator({rateLimit: {limit: 5, windowMs: 5000, policy: 'ip'}});
 * ```
 */
export type HuaweiRateLimit = RateLimit & {
  /**
   * The policy named in the message (`policy api over ratelimit,…`).
   * @default 'api'
   */
  readonly policy?: 'api' | 'user' | 'ip';
};

/**
 * Options of the Huawei simulator. Every field is optional.
 *
 * @example
 * ```ts
 * const sim = createHuaweiSimulator({rateLimit: {limit: 5, windowMs: 1000}, jobDurationMs: 20_000});
 * ```
 */
export type HuaweiSimulatorOptions = {
  /**
   * Seed of the random source (tokens, request ids, job ids).
   * @default 1
   */
  readonly seed?: number;
  /**
   * The clock, in milliseconds. Fake timers move `Date.now`, so tests need not pass one.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * How long an issued token is valid.
   * @default 86_400_000 (24 h, as IAM)
   */
  readonly tokenTtlMs?: number;
  /**
   * Whether requests need a valid `X-Auth-Token` (else `APIGW.0301`).
   * @default true
   */
  readonly requireToken?: boolean;
  /**
   * What an expired token gets: the gateway's `APIGW.0307` or Octopus's `octopus.000102`.
   * @default 'APIGW.0307'
   */
  readonly expiredTokenCode?: 'APIGW.0307' | 'octopus.000102';
  /**
   * The gateway's code prefix: the signing guide's `APIGW` or the `APIG` seen in the field.
   * @default 'APIGW'
   */
  readonly gatewayPrefix?: 'APIGW' | 'APIG';
  /**
   * The gateway's rate limit (`APIGW.0308` past it); `null` for none.
   * @default {limit: 200, windowMs: 1000, policy: 'api'} (the gateway's documented default)
   */
  readonly rateLimit?: HuaweiRateLimit | null;
  /**
   * Octopus's own limit (`octopus.202230` past it); `null` for none.
   * @default null
   */
  readonly serviceRateLimit?: RateLimit | null;
  /**
   * How long a started task runs; while it runs, another task of the same `batch_config` is busy
   * (assumed: Octopus documents the conflict status, not when it applies).
   * @default 30_000
   */
  readonly jobDurationMs?: number;
  /**
   * The code a busy scenario answers with.
   * @default 'octopus.107005'
   */
  readonly busyCode?: HuaweiBusyCode;
  /**
   * The password `POST /v3/auth/tokens` accepts; `null` accepts any.
   * @default null
   */
  readonly iamPassword?: string | null;
  /**
   * The one access key pair whose `SDK-HMAC-SHA256` signatures the gateway accepts; `null`
   * refuses every AK/SK request (`APIGW.0301` "ak not exist").
   * @default null
   */
  readonly akSk?: {readonly ak: string; readonly sk: string} | null;
};

/**
 * Counters for assertions.
 *
 * @example
 * ```ts
 * expect(sim.counters.throttled).toBe(1);
 * ```
 */
export type HuaweiSimulatorCounts = {
  /** Every request, whatever its answer. */
  requests: number;
  /** Requests per route: `tokens`, `createBatch`, `getBatch`, `listPackages`, `unknown`. */
  byRoute: Record<string, number>;
  /** `APIGW.0301` answers (no token, unknown token, wrong IAM password, bad AK/SK signature). */
  unauthorized: number;
  /** Expired-token answers (`APIGW.0307` or `octopus.000102`). */
  expired: number;
  /** `APIGW.0308` answers. */
  throttled: number;
  /** `octopus.202230` answers. */
  tooManyRequests: number;
  /** Busy answers (`HUAWEI_BUSY_ANSWERS`). */
  busy: number;
  /** Tokens issued (by `POST /v3/auth/tokens` or `issueToken()`). */
  tokensIssued: number;
  /** Simulation tasks created (by `POST …/sim/pm/batches` or `startJob()`). */
  jobsStarted: number;
};

/**
 * A simulated simulation task (`/v2/{project}/sim/pm/batches/{jobId}/`).
 *
 * @example
 * ```ts
 * sim.jobs.get(sim.startJob('s1'))?.endsAtMs;
 * ```
 */
export type HuaweiSimulatedJob = {
  /** The task id (an integer on the wire, as Octopus sends it). */
  readonly jobId: string;
  /** The `batch_config` it was created from; assumed: one running task per config. */
  readonly batchConfig: string;
  readonly startedAtMs: number;
  readonly endsAtMs: number;
};

/**
 * The simulator: its state, its counters and the one function that answers requests.
 *
 * @example
 * ```ts
 * const response = await sim.handle(new Request(url, {headers: {'X-Auth-Token': sim.issueToken()}}));
 * ```
 */
export type HuaweiSimulator = {
  /** Answers one request (a `fetch`-style handler). */
  readonly handle: (request: Request) => Promise<Response>;
  /** The counters so far, live. */
  readonly counters: HuaweiSimulatorCounts;
  /** Forgets tokens, jobs and counters and refills the rate limits; keeps the options and the seed's position. */
  readonly reset: () => void;
  readonly jobs: ReadonlyMap<string, HuaweiSimulatedJob>;
  /** Issues a token directly (as `POST /v3/auth/tokens` would). */
  readonly issueToken: (ttlMs?: number) => string;
  /** Makes every token issued so far expired. */
  readonly expireTokens: () => void;
  /** Starts a task directly, so its `batch_config` is busy for `jobDurationMs`. */
  readonly startJob: (batchConfig?: string) => string;
};

/**
 * The defaults of the Huawei simulator, in one place.
 *
 * @example
 * ```ts
 * createHuaweiSimulator({rateLimit: {...HUAWEI_SIMULATOR_DEFAULTS.rateLimit, limit: 5}});
 * ```
 */
export const HUAWEI_SIMULATOR_DEFAULTS = {
  seed: 1,
  tokenTtlMs: 86_400_000,
  requireToken: true,
  expiredTokenCode: 'APIGW.0307',
  gatewayPrefix: 'APIGW',
  rateLimit: {limit: 200, windowMs: 1000, policy: 'api'},
  serviceRateLimit: null,
  jobDurationMs: 30_000,
  busyCode: 'octopus.107005',
  iamPassword: null,
  akSk: null,
} as const satisfies HuaweiSimulatorOptions;
