/**
 * @module `createUpyunSimulator()`: an in-memory UPYUN storage service with its limits and faults,
 * as one request → response function over a state object.
 */
import {md5Hex} from '../../vendors/upyun/md5.ts';
import {mulberry32, randomHex} from '../shared/rng.ts';
import {tokenBucket} from '../shared/token-bucket.ts';
import {createMultipart, type MultipartSession} from './multipart.ts';
import type {SimRequest, SimRequestInfo, SimResponse, SimulatorStats, StoredFile} from './sim-types.ts';
import {upyunError} from './upyun-error.ts';
import {signatureCheck} from './verify-signature.ts';

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
  /** Multipart sessions by uuid, open and finished. */
  readonly uploads: ReadonlyMap<string, Readonly<MultipartSession>>;
  /** The counters so far. */
  readonly stats: () => SimulatorStats;
  /** The settings in force, defaults applied. */
  readonly options: Readonly<
    Required<Omit<UpyunSimulatorOptions, 'credentials' | 'banAfter429s' | 'intercept'>>
  > &
    Pick<UpyunSimulatorOptions, 'credentials' | 'banAfter429s' | 'intercept'>;
};

/** The defaults, in one place. */
export const UPYUN_SIMULATOR_DEFAULTS = {
  ratePerSecond: 150,
  burst: 15,
  transientErrorRate: 0.01,
  sameFileIntervalMs: 1000,
  maxDateSkewMs: 1_800_000,
  banWindowMs: 60_000,
  banDurationMs: 600_000,
  multipartTtlMs: 86_400_000,
  storeBodies: true,
  seed: 1,
} as const;

type MutableStats = {-readonly [K in keyof SimulatorStats]: SimulatorStats[K]} & {
  byStatus: Record<number, number>;
  byCode: Record<number, number>;
};

/**
 * Creates an UPYUN simulator. One implementation serves both msw (`upyunHandlers(sim)`) and a
 * loopback server (`startUpyunServer(sim)`). It models the limits a client must survive: a
 * token-bucket rate limit (429 42900001), an optional ban after repeated 429s (42900004), the
 * one-change-per-second rule (503 50300007), random transient 503s (50300013), signature and
 * date checks (401 40100005 / 40100002), and multipart uploads with part-id enforcement
 * (40011061 + `x-upyun-next-part-id`).
 *
 * @example
 * ```ts
 * const sim = createUpyunSimulator({seed: 42});
 * server.use(...upyunHandlers(sim));
 * // … run the uploads …
 * expect(sim.files.get('/bucket/a.txt')?.writes).toBe(1);
 * ```
 */
export const createUpyunSimulator = (input: UpyunSimulatorOptions = {}): UpyunSimulator => {
  const options = {...UPYUN_SIMULATOR_DEFAULTS, now: Date.now, ...withoutUndefined(input)};
  const {now} = options;
  const random = mulberry32(options.seed);
  const hex = (length: number): string => randomHex(random, length);
  const bucket = tokenBucket({ratePerSecond: options.ratePerSecond, burst: options.burst, now});
  const files = new Map<string, StoredFile>();
  const stats: MutableStats = {
    requests: 0,
    bytesReceived: 0,
    ok: 0,
    throttled: 0,
    banned: 0,
    transient: 0,
    sameFile: 0,
    authFailures: 0,
    multipartInitiated: 0,
    multipartParts: 0,
    multipartCompleted: 0,
    byStatus: {},
    byCode: {},
  };
  const checkSignature =
    options.credentials === undefined
      ? undefined
      : signatureCheck(options.credentials, options.maxDateSkewMs);
  const recent429s: number[] = [];
  let bannedUntil = Number.NEGATIVE_INFINITY;

  /** Whether the same-file rule refuses a change of `path` now. */
  const tooSoon = (path: string): boolean => {
    const file = files.get(path);
    return (
      options.sameFileIntervalMs > 0 &&
      file !== undefined &&
      now() - file.modifiedAtMs < options.sameFileIntervalMs
    );
  };

  /** Writes a file; `body` is `undefined` when bodies are not kept. Returns whether it is new. */
  const store = (
    path: string,
    size: number,
    body: Uint8Array | undefined,
    contentType: string | undefined,
  ) => {
    const previous = files.get(path);
    files.set(path, {
      path,
      size,
      writes: (previous?.writes ?? 0) + 1,
      body: options.storeBodies ? body?.slice() : undefined,
      contentType,
      modifiedAtMs: now(),
    });
    return previous === undefined;
  };

  const multipart = createMultipart({
    now,
    ttlMs: options.multipartTtlMs,
    storeBodies: options.storeBodies,
    newUuid: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    tooSoon,
    store,
    md5Hex,
    stats,
  });

  const route = (request: SimRequest): SimRequestInfo | undefined => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://upyun.invalid').pathname);
    } catch {
      return undefined;
    }
    if (!/^\/[^/]+\/./.test(path)) return undefined;
    return {
      method: request.method.toUpperCase(),
      path,
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
      stats.banned++;
      return error(42900004, 'request banned');
    }
    if (!bucket.take()) {
      stats.throttled++;
      recent429s.push(current);
      while ((recent429s[0] ?? current) <= current - options.banWindowMs) recent429s.shift();
      if (options.banAfter429s !== undefined && recent429s.length >= options.banAfter429s) {
        bannedUntil = current + options.banDurationMs;
        recent429s.length = 0;
      }
      return error(42900001, 'too many requests');
    }
    if (checkSignature !== undefined) {
      const failure = await checkSignature(request, current);
      if (failure !== undefined) {
        stats.authFailures++;
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
      stats.transient++;
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
    const file = files.get(info.path);
    switch (method) {
      case 'PUT': {
        if (tooSoon(info.path)) {
          stats.sameFile++;
          return error(50300007, 'capture file from fs error');
        }
        const contentMd5 = request.headers.get('content-md5');
        if (contentMd5 !== null && contentMd5.toLowerCase() !== md5Hex(info.body)) {
          return error(40001001, 'wrong content-md5');
        }
        store(info.path, info.body.byteLength, info.body, request.headers.get('content-type') ?? undefined);
        return ok(200);
      }
      case 'GET':
      case 'HEAD': {
        if (file === undefined) return error(40400001, 'file or directory not found');
        const headers: Record<string, string> = {'x-upyun-file-size': String(file.size)};
        if (file.contentType !== undefined) headers['content-type'] = file.contentType;
        return ok(200, headers, file.body === undefined ? undefined : new Uint8Array(file.body));
      }
      case 'DELETE': {
        if (file === undefined) return error(40400001, 'file or directory not found');
        if (tooSoon(info.path)) {
          stats.sameFile++;
          return error(50300007, 'capture file from fs error');
        }
        files.delete(info.path);
        return ok(200);
      }
      default:
        // UPYUN documents no code for this; answer with the bare status.
        return {status: 405, headers: {'x-request-id': hex(32), allow: 'GET, HEAD, PUT, DELETE'}};
    }
  };

  const handle = async (request: SimRequest): Promise<SimResponse> => {
    stats.requests++;
    stats.bytesReceived += request.body.byteLength;
    let response: SimResponse;
    try {
      response = await answer(request);
    } catch {
      response = {status: 500, headers: {}, body: 'simulator fault'};
    }
    stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
    const code = Number(response.headers['x-error-code']);
    if (Number.isInteger(code) && code > 0) stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
    if (response.status >= 200 && response.status < 300) stats.ok++;
    return response;
  };

  return {
    handle,
    files,
    uploads: multipart.sessions,
    stats: () => ({...stats, byStatus: {...stats.byStatus}, byCode: {...stats.byCode}}),
    options,
  };
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
