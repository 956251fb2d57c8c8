/**
 * @module `createUpyunSimulator()`: an in-memory UPYUN storage service with its limits and faults,
 * as one request → response function over a state object.
 */
import {md5Hex} from '../../vendors/upyun/md5.ts';
import {zeroCounters} from '../shared/counters.ts';
import {mulberry32, randomHex} from '../shared/rng.ts';
import {type RateStep, type TokenBucket, tokenBucket, validateRateSchedule} from '../shared/token-bucket.ts';
import {createMultipart, type MultipartSession} from './multipart.ts';
import {createObjects} from './objects.ts';
import {
  type NormalizedUpyunSimulatorOptions,
  UPYUN_SIMULATOR_DEFAULTS,
  type UpyunBucketLimit,
  type UpyunSimulatorOptions,
} from './options.ts';
import type {SimRequest, SimRequestInfo, SimResponse, StoredFile, UpyunSimulatorCounts} from './sim-types.ts';
import {createStorage} from './storage.ts';
import {upyunError} from './upyun-error.ts';
import {signatureCheck} from './verify-signature.ts';

/**
 * A running simulator: its handler, its files and its counters.
 *
 * @example
 * ```ts
 * const sim: UpyunSimulator = createUpyunSimulator();
 * ```
 */
export type UpyunSimulator = {
  /** Answers one request, updating the state. Never throws for any input. */
  readonly handle: (request: SimRequest) => Promise<SimResponse>;
  /** Stored files by decoded path (`/bucket/dir/file.txt`). */
  readonly files: ReadonlyMap<string, StoredFile>;
  /** Folders (made by mkdir, or as a file's parents) by decoded path, with their creation time in ms. */
  readonly folders: ReadonlyMap<string, number>;
  /** Multipart sessions by uuid, open and finished. */
  readonly uploads: ReadonlyMap<string, Readonly<MultipartSession>>;
  /** The counters so far, live. */
  readonly counters: Readonly<UpyunSimulatorCounts>;
  /** Forgets files, folders, uploads, the ban and the counters, refills the rate limit; keeps the options and the seed's position. */
  readonly reset: () => void;
  /** The settings in force, defaults applied. */
  readonly options: NormalizedUpyunSimulatorOptions;
};

type MutableCounters = {-readonly [K in keyof UpyunSimulatorCounts]: UpyunSimulatorCounts[K]} & {
  byStatus: Record<number, number>;
  byCode: Record<number, number>;
  throttledByBucket: Record<string, number>;
};

const newCounters = (): MutableCounters => ({
  requests: 0,
  bytesReceived: 0,
  ok: 0,
  throttled: 0,
  noiseThrottled: 0,
  throttledByBucket: {},
  banned: 0,
  transient: 0,
  sameFile: 0,
  authFailures: 0,
  multipartInitiated: 0,
  multipartParts: 0,
  multipartCompleted: 0,
  byStatus: {},
  byCode: {},
});

/**
 * Creates an UPYUN simulator. One implementation serves msw (`upyunHandlers(sim)` from
 * `ky-vendors/testing/msw`), a loopback server (`startUpyunServer(sim)`) and an in-process
 * `fetch` (`upyunFetch(sim)`). It models the limits a client must survive: a token-bucket rate
 * limit (429 42900001) service-wide or per bucket, optionally changing over time
 * (`rateSchedule`), random 429s with no limit behind them (`noiseThrottleRate`), an optional ban after repeated 429s (42900004), the one-change-per-second
 * rule (503 50300007), random transient 503s (50300013), signature and date checks over the path
 * and its query (401 40100005 / 40100002), and multipart uploads with part-id enforcement
 * (40011061 + `x-upyun-next-part-id`, any order with `x-upyun-multi-disorder: true`). It serves
 * what the official SDK calls: folder listings with `x-list-*` iteration, `?usage`, mkdir
 * (`folder: true`), copy and move, `?metadata=merge|replace|delete`, HEAD with the
 * `x-upyun-file-*` headers and `Content-Md5`, and checks a PUT's `Content-MD5`.
 *
 * @example
 * ```ts
 * const sim = createUpyunSimulator({seed: 42});
 * const server = await startUpyunServer(sim);
 * // … run the uploads against server.url …
 * expect(sim.files.get('/bucket/a.txt')?.writes).toBe(1);
 * ```
 */
export const createUpyunSimulator = (input: UpyunSimulatorOptions = {}): UpyunSimulator => {
  const options = {...UPYUN_SIMULATOR_DEFAULTS, now: Date.now, ...withoutUndefined(input)};
  validateLimits(options);
  const {now} = options;
  const random = mulberry32(options.seed);
  // Noise draws from a source of its own, so turning it on leaves the other faults where they were.
  const noise = mulberry32(options.seed ^ 0x5eed_0429);
  const hex = (length: number): string => randomHex(random, length);
  const serviceLimit = tokenBucket({
    ratePerSecond: options.ratePerSecond,
    burst: options.burst,
    now,
    schedule: options.rateSchedule,
  });
  const bucketLimits = new Map<string, TokenBucket>(
    Object.entries<UpyunBucketLimit>(options.buckets).map(([name, limit]) => [
      name,
      tokenBucket({
        ratePerSecond: limit.ratePerSecond ?? options.ratePerSecond,
        burst: limit.burst ?? options.burst,
        now,
        schedule: limit.rateSchedule ?? options.rateSchedule,
      }),
    ]),
  );
  /** The bucket named by the first path segment, when it has a limit of its own. */
  const limitOf = (url: string): [string, TokenBucket] => {
    if (bucketLimits.size > 0) {
      try {
        const name = decodeURIComponent(new URL(url, 'http://upyun.invalid').pathname.split('/')[1] ?? '');
        const own = bucketLimits.get(name);
        if (own !== undefined) return [name, own];
      } catch {
        // An undecodable path falls back to the service-wide limit; routing refuses it later.
      }
    }
    return ['*', serviceLimit];
  };
  const storage = createStorage({now, storeBodies: options.storeBodies});
  const counters = newCounters();
  const checkSignature =
    options.credentials === undefined
      ? undefined
      : signatureCheck(options.credentials, options.maxDateSkewMs);
  const recent429s: number[] = [];
  let bannedUntil = Number.NEGATIVE_INFINITY;

  /** Whether the same-file rule refuses a change of `path` now. */
  const tooSoon = (path: string): boolean => {
    const file = storage.files.get(path);
    return (
      options.sameFileIntervalMs > 0 &&
      file !== undefined &&
      now() - file.modifiedAtMs < options.sameFileIntervalMs
    );
  };

  const multipart = createMultipart({
    now,
    ttlMs: options.multipartTtlMs,
    storeBodies: options.storeBodies,
    newUuid: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    tooSoon,
    store: (path, size, body, contentType) => storage.write(path, {size, body, contentType}),
    md5Hex,
    stats: counters,
  });

  const objects = createObjects({
    storage,
    tooSoon: (path) => {
      const refused = tooSoon(path);
      if (refused) counters.sameFile++;
      return refused;
    },
    md5Hex,
  });

  const route = (request: SimRequest): SimRequestInfo | undefined => {
    let path: string;
    let query: string;
    try {
      const url = new URL(request.url, 'http://upyun.invalid');
      path = decodeURIComponent(url.pathname);
      query = url.search.slice(1);
    } catch {
      return undefined;
    }
    // A bucket's root (`/bucket/`) is a folder: it lists, and answers `?usage`.
    if (!/^\/[^/]+(\/|$)/.test(path)) return undefined;
    return {
      method: request.method.toUpperCase(),
      path,
      query,
      headers: request.headers,
      body: request.body,
      stage: request.headers.get('x-upyun-multi-stage')?.trim().toLowerCase() || undefined,
    };
  };

  const answer = async (request: SimRequest): Promise<SimResponse> => {
    const method = request.method.toUpperCase();
    const error = (code: number, msg: string, headers: Record<string, string> = {}) =>
      upyunError(code, msg, {requestId: hex(32), method, headers});
    const current = now();
    if (current < bannedUntil) {
      counters.banned++;
      return error(42900004, 'request banned');
    }
    const [limitName, limit] = limitOf(request.url);
    if (!limit.take()) {
      counters.throttled++;
      counters.throttledByBucket[limitName] = (counters.throttledByBucket[limitName] ?? 0) + 1;
      recent429s.push(current);
      while ((recent429s[0] ?? current) <= current - options.banWindowMs) recent429s.shift();
      if (options.banAfter429s !== undefined && recent429s.length >= options.banAfter429s) {
        bannedUntil = current + options.banDurationMs;
        recent429s.length = 0;
      }
      return error(42900001, 'too many requests');
    }
    if (options.noiseThrottleRate > 0 && noise() < options.noiseThrottleRate) {
      counters.noiseThrottled++;
      return error(42900001, 'too many requests');
    }
    if (checkSignature !== undefined) {
      const failure = await checkSignature(request, current);
      if (failure !== undefined) {
        counters.authFailures++;
        return error(failure.code, failure.msg);
      }
    }
    const info = route(request);
    if (info === undefined) {
      return error(40001000, 'wrong uri');
    }
    const injected = options.intercept?.(info);
    if (injected !== undefined) return injected;
    if (random() < options.transientErrorRate) {
      counters.transient++;
      return error(50300013, 'put file capture timeout');
    }
    const ok = (status: number, headers: Record<string, string> = {}, body?: Uint8Array<ArrayBuffer>) => ({
      status,
      headers: {'x-request-id': hex(32), ...headers},
      body: method === 'HEAD' ? undefined : body,
    });
    if (method === 'PUT' && info.stage !== undefined) {
      return multipart.handle(info, {ok, error});
    }
    return objects.handle(info, {ok, error});
  };

  const handle = async (request: SimRequest): Promise<SimResponse> => {
    counters.requests++;
    counters.bytesReceived += request.body.byteLength;
    let response: SimResponse;
    try {
      response = await answer(request);
    } catch {
      response = {status: 500, headers: {}, body: 'simulator fault'};
    }
    counters.byStatus[response.status] = (counters.byStatus[response.status] ?? 0) + 1;
    const code = Number(response.headers['x-error-code']);
    if (Number.isInteger(code) && code > 0) counters.byCode[code] = (counters.byCode[code] ?? 0) + 1;
    if (response.status >= 200 && response.status < 300) counters.ok++;
    return response;
  };

  return {
    handle,
    files: storage.files,
    folders: storage.folders,
    uploads: multipart.sessions,
    counters,
    reset: () => {
      storage.clear();
      multipart.clear();
      recent429s.length = 0;
      bannedUntil = Number.NEGATIVE_INFINITY;
      serviceLimit.refill();
      for (const limit of bucketLimits.values()) limit.refill();
      zeroCounters(counters);
    },
    options,
  };
};

/** Bad limits fail at creation with a clear message rather than as odd answers later. */
const validateLimits = (options: {
  readonly rateSchedule: readonly RateStep[];
  readonly buckets: Readonly<Record<string, UpyunBucketLimit>>;
  readonly noiseThrottleRate: number;
}): void => {
  if (!(options.noiseThrottleRate >= 0 && options.noiseThrottleRate <= 1)) {
    throw new TypeError(`\`noiseThrottleRate\` must be within [0, 1], got ${options.noiseThrottleRate}`);
  }
  validateRateSchedule('rateSchedule', options.rateSchedule);
  for (const [name, limit] of Object.entries(options.buckets)) {
    if (limit.ratePerSecond !== undefined && !(limit.ratePerSecond > 0)) {
      throw new TypeError(`\`buckets.${name}.ratePerSecond\` must be positive, got ${limit.ratePerSecond}`);
    }
    if (limit.burst !== undefined && !(Number.isFinite(limit.burst) && limit.burst >= 1)) {
      throw new TypeError(
        `\`buckets.${name}.burst\` must be a finite number of at least 1, got ${limit.burst}`,
      );
    }
    validateRateSchedule(`buckets.${name}.rateSchedule`, limit.rateSchedule ?? []);
  }
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
