/**
 * @module `createHuaweiSimulator()`: Huawei's API gateway, IAM tokens and Octopus jobs as request → response over state.
 */

import {EMPTY_BODY_SHA256, importAkSkKey, sha256Hex, signAkSk} from '../../vendors/huawei/sign-aksk.ts';
import {zeroCounters} from '../shared/counters.ts';
import {mulberry32, randomHex} from '../shared/rng.ts';
import {
  HUAWEI_BUSY_ANSWERS,
  HUAWEI_SIMULATOR_DEFAULTS,
  type HuaweiSimulatedJob,
  type HuaweiSimulator,
  type HuaweiSimulatorCounts,
  type HuaweiSimulatorOptions,
} from './options.ts';
import {createTokenBucket, describeWindow, type TokenBucket} from './token-bucket.ts';

type Route = {
  readonly name: string;
  readonly method: string;
  readonly path: RegExp;
};

/**
 * Only documented endpoints: IAM's token endpoint, Octopus "创建仿真任务" (`POST
 * /v2/{project_id}/sim/pm/batches`, topic_300000022), the task's resource address that answer
 * returns (`url`: `/v2/{project_id}/sim/pm/batches/{id}/`), and the data-package listing
 * (`GET /v1.0/{project_id}/data/packages`).
 */
const ROUTES: readonly Route[] = [
  {name: 'tokens', method: 'POST', path: /^\/v3\/auth\/tokens\/?$/},
  {name: 'createBatch', method: 'POST', path: /^\/v2\/([^/]+)\/sim\/pm\/batches\/?$/},
  {name: 'getBatch', method: 'GET', path: /^\/v2\/([^/]+)\/sim\/pm\/batches\/(\d+)\/?$/},
  {name: 'listPackages', method: 'GET', path: /^\/v1\.0\/[^/]+\/data\/packages\/?$/},
];

/** Octopus's task status numbers (topic_300000022): 3 running, 0 succeeded. */
const BATCH_RUNNING = 3;
const BATCH_SUCCEEDED = 0;

/** The gateway refuses signatures whose `X-Sdk-Date` is more than 15 minutes off. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const AKSK_AUTHORIZATION =
  /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/i;
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const parseSdkDate = (value: string | null): number | undefined => {
  const match = value === null ? null : SDK_DATE.exec(value);
  if (match === null) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0);
};

/**
 * A simulated Huawei Cloud: the API gateway in front of Octopus, and IAM's token endpoint.
 *
 * - `POST /v3/auth/tokens` issues a token in `X-Subject-Token` (valid `tokenTtlMs`).
 * - The gateway routes first: a path it does not publish gets 404 `APIGW.0101`, whatever the
 *   credentials or the rate.
 * - Then it authenticates: an IAM token in `X-Auth-Token` (none or unknown → 401 `APIGW.0301`;
 *   expired → 401 `APIGW.0307` or `octopus.000102`), or an AK/SK signature
 *   (`Authorization: SDK-HMAC-SHA256 …`, verified against `akSk`; a wrong signature, an unknown
 *   AK or an `X-Sdk-Date` more than 15 minutes off → 401 `APIGW.0301`).
 * - Then it throttles from a token bucket: 429 `APIGW.0308` "…over ratelimit,limit:5,time:1
 *   second"; Octopus's own limit answers 429 `octopus.202230`. A request with
 *   `X-Apig-Mode: debug` gets `X-Apig-RateLimit-<policy>: remain:N,limit:L,time:W` on its answer.
 * - `POST /v2/{project}/sim/pm/batches` `{name, batch_config}` creates a simulation task (201,
 *   `status: 3` running); `GET` on the `url` it returns reads it (`status: 0` once done).
 *   Assumed, not documented: while a task of the same `batch_config` runs, another gets
 *   `busyCode` (409 `octopus.107005` by default). `GET /v1.0/{project}/data/packages` is a plain
 *   listing.
 *
 * @example
 * ```ts
 * const sim = createHuaweiSimulator({rateLimit: {limit: 5, windowMs: 1000}});
 * server.use(...huaweiHandlers(sim));
 * const token = sim.issueToken();
 * ```
 */
export const createHuaweiSimulator = (options: HuaweiSimulatorOptions = {}): HuaweiSimulator => {
  const settings = {...HUAWEI_SIMULATOR_DEFAULTS, ...options};
  const now = options.now ?? (() => Date.now());
  const random = mulberry32(settings.seed);
  const tokens = new Map<string, number>();
  const jobs = new Map<string, HuaweiSimulatedJob>();
  let nextBatchId = 900;
  const signingKey = settings.akSk === null ? undefined : importAkSkKey(settings.akSk.sk);
  const gateway: TokenBucket | undefined =
    settings.rateLimit === null ? undefined : createTokenBucket(settings.rateLimit, now);
  const service: TokenBucket | undefined =
    settings.serviceRateLimit === null ? undefined : createTokenBucket(settings.serviceRateLimit, now);
  const counts: HuaweiSimulatorCounts = {
    requests: 0,
    byRoute: {},
    unauthorized: 0,
    expired: 0,
    throttled: 0,
    tooManyRequests: 0,
    busy: 0,
    tokensIssued: 0,
    jobsStarted: 0,
  };
  const gatewayCode = (number: string): string => `${settings.gatewayPrefix}.${number}`;

  const issueToken = (ttlMs: number = settings.tokenTtlMs): string => {
    const token = `MIIsim${randomHex(random, 64)}`;
    tokens.set(token, now() + ttlMs);
    counts.tokensIssued++;
    return token;
  };

  const startJob = (batchConfig = 'default'): string => {
    const jobId = String(nextBatchId++);
    const startedAtMs = now();
    jobs.set(jobId, {jobId, batchConfig, startedAtMs, endsAtMs: startedAtMs + settings.jobDurationMs});
    counts.jobsStarted++;
    return jobId;
  };

  const answer = (status: number, body: unknown, requestId: string, headers: HeadersInit = {}): Response =>
    Response.json(body, {status, headers: {...headers, 'X-Request-Id': requestId}});

  /** A gateway error: `request_id` in the body, as the gateway sends it. */
  const gatewayError = (status: number, code: string, message: string, requestId: string): Response =>
    answer(status, {error_code: code, error_msg: message, request_id: requestId}, requestId);

  /** An Octopus error: code and message only; the request id comes in the header. */
  const octopusError = (status: number, code: string, message: string, requestId: string): Response =>
    answer(status, {error_code: code, error_msg: message}, requestId);

  const tokenRoute = async (request: Request, requestId: string): Promise<Response> => {
    let body: {auth?: {identity?: {password?: {user?: {password?: unknown}}}}};
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return gatewayError(400, gatewayCode('0201'), 'API request error: the body is not JSON', requestId);
    }
    const password = body?.auth?.identity?.password?.user?.password;
    if (body?.auth === undefined || (settings.iamPassword !== null && password !== settings.iamPassword)) {
      counts.unauthorized++;
      return gatewayError(
        401,
        gatewayCode('0301'),
        'Incorrect IAM authentication information: the username or password is wrong',
        requestId,
      );
    }
    const token = issueToken();
    const issuedAt = new Date(now()).toISOString();
    const expiresAt = new Date(tokens.get(token) ?? now()).toISOString();
    return answer(201, {token: {issued_at: issuedAt, expires_at: expiresAt}}, requestId, {
      'X-Subject-Token': token,
    });
  };

  const signatureFailure = (reason: string, requestId: string): Response => {
    counts.unauthorized++;
    return gatewayError(
      401,
      gatewayCode('0301'),
      `Incorrect IAM authentication information: ${reason}`,
      requestId,
    );
  };

  /** Recomputes the signature over the headers the request says it signed, as the gateway does. */
  const verifyAkSk = async (
    request: Request,
    authorization: string,
    requestId: string,
  ): Promise<Response | undefined> => {
    const match = AKSK_AUTHORIZATION.exec(authorization);
    const [, ak = '', signedHeaders = '', signature = ''] = match ?? [];
    if (match === null || signingKey === undefined || settings.akSk === null || ak !== settings.akSk.ak) {
      return signatureFailure(`Get secretKey failed,ak:${ak},err:ak not exist`, requestId);
    }
    const sdkDate = request.headers.get('x-sdk-date');
    const signedAtMs = parseSdkDate(sdkDate);
    if (sdkDate === null || signedAtMs === undefined || Math.abs(now() - signedAtMs) > MAX_CLOCK_SKEW_MS) {
      return signatureFailure('verify aksk signature fail', requestId);
    }
    const url = new URL(request.url);
    const headers = new Headers();
    for (const name of signedHeaders.toLowerCase().split(';')) {
      const value = name === 'host' ? (request.headers.get('host') ?? url.host) : request.headers.get(name);
      if (value === null) {
        return signatureFailure('verify aksk signature fail', requestId);
      }
      headers.set(name, value);
    }
    const given = request.headers.get('x-sdk-content-sha256');
    const body = request.body === null ? undefined : await request.clone().arrayBuffer();
    const payloadHash = given ?? (body === undefined ? EMPTY_BODY_SHA256 : await sha256Hex(body));
    const expected = await signAkSk(await signingKey, ak, {
      method: request.method,
      url,
      headers,
      payloadHash,
      sdkDate,
    });
    return expected.signature === signature.toLowerCase()
      ? undefined
      : signatureFailure('verify aksk signature fail', requestId);
  };

  const authenticate = async (request: Request, requestId: string): Promise<Response | undefined> => {
    const authorization = request.headers.get('authorization');
    if (authorization !== null && /^SDK-HMAC-SHA256\s/i.test(authorization)) {
      return verifyAkSk(request, authorization, requestId);
    }
    if (!settings.requireToken) {
      return undefined;
    }
    const token = request.headers.get('x-auth-token');
    const expiresAtMs = token === null ? undefined : tokens.get(token);
    if (expiresAtMs === undefined) {
      counts.unauthorized++;
      const reason = token === null ? 'x-auth-token not found' : 'decrypt token fail';
      return gatewayError(
        401,
        gatewayCode('0301'),
        `Incorrect IAM authentication information: ${reason}`,
        requestId,
      );
    }
    if (now() >= expiresAtMs) {
      counts.expired++;
      return settings.expiredTokenCode === 'APIGW.0307'
        ? gatewayError(401, gatewayCode('0307'), 'The token must be updated.', requestId)
        : octopusError(401, 'octopus.000102', 'The request token expires', requestId);
    }
    return undefined;
  };

  const limit = (requestId: string): Response | undefined => {
    if (gateway !== undefined && settings.rateLimit !== null && !gateway.take()) {
      counts.throttled++;
      const {limit: max, windowMs, policy = 'api'} = settings.rateLimit;
      return gatewayError(
        429,
        gatewayCode('0308'),
        `The throttling threshold has been reached: policy ${policy} over ratelimit,limit:${max},time:${describeWindow(windowMs)}`,
        requestId,
      );
    }
    if (service !== undefined && !service.take()) {
      counts.tooManyRequests++;
      return octopusError(429, 'octopus.202230', 'Too many request exceeds the threshold', requestId);
    }
    return undefined;
  };

  const batchView = (project: string, job: HuaweiSimulatedJob, name: string) => ({
    url: `/v2/${project}/sim/pm/batches/${job.jobId}/`,
    id: Number(job.jobId),
    name,
    batch_config: job.batchConfig,
    created_at: job.startedAtMs / 1000,
    updated_at: now() / 1000,
    started_at: job.startedAtMs / 1000,
    status: now() < job.endsAtMs ? BATCH_RUNNING : BATCH_SUCCEEDED,
  });

  const createBatch = async (request: Request, project: string, requestId: string): Promise<Response> => {
    let body: {name?: unknown; batch_config?: unknown};
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return octopusError(400, 'octopus.000001', 'Request parameter verification failed', requestId);
    }
    const name = body?.name;
    const batchConfig = body?.batch_config;
    if (typeof name !== 'string' || name === '' || typeof batchConfig !== 'string' || batchConfig === '') {
      return octopusError(400, 'octopus.000001', 'Request parameter verification failed', requestId);
    }
    const running = [...jobs.values()].some((job) => job.batchConfig === batchConfig && now() < job.endsAtMs);
    if (running) {
      counts.busy++;
      const busy = HUAWEI_BUSY_ANSWERS[settings.busyCode];
      return octopusError(busy.status, settings.busyCode, busy.message, requestId);
    }
    const job = jobs.get(startJob(batchConfig));
    return answer(201, job === undefined ? {} : batchView(project, job, name), requestId);
  };

  const getBatch = (project: string, jobId: string, requestId: string): Response => {
    const job = jobs.get(jobId);
    if (job === undefined) {
      return octopusError(404, 'octopus.109003', 'The job does not exist', requestId);
    }
    return answer(200, batchView(project, job, `batch-${job.jobId}`), requestId);
  };

  const listPackages = (requestId: string): Response =>
    answer(
      200,
      {payload: {packages: [], total: 0}, meta_info: {current_time: new Date(now()).toISOString()}},
      requestId,
    );

  const handle = async (request: Request): Promise<Response> => {
    counts.requests++;
    const requestId = randomHex(random, 32);
    const {pathname} = new URL(request.url);
    const route = ROUTES.find(
      (candidate) => candidate.method === request.method && candidate.path.test(pathname),
    );
    const name = route?.name ?? 'unknown';
    counts.byRoute[name] = (counts.byRoute[name] ?? 0) + 1;
    // The gateway finds the API before anything else: an unpublished path is APIGW.0101 even
    // without credentials or past the rate limit.
    if (route === undefined) {
      return gatewayError(
        404,
        gatewayCode('0101'),
        'The API does not exist or has not been published in the environment.',
        requestId,
      );
    }
    if (name === 'tokens') {
      return tokenRoute(request, requestId);
    }
    const refused = (await authenticate(request, requestId)) ?? limit(requestId);
    const response = refused ?? (await serve(request, name, route.path.exec(pathname) ?? [], requestId));
    return withRateLimitHeaders(request, response);
  };

  const serve = (
    request: Request,
    name: string,
    match: readonly string[],
    requestId: string,
  ): Promise<Response> | Response => {
    const [, project = '', id = ''] = match;
    switch (name) {
      case 'createBatch':
        return createBatch(request, project, requestId);
      case 'getBatch':
        return getBatch(project, id, requestId);
      default:
        return listPackages(requestId);
    }
  };

  /**
   * In debug mode (`X-Apig-Mode: debug`) the gateway reports its throttling policy on every
   * answer: `X-Apig-RateLimit-<policy>: remain:9,limit:10,time:10 second`.
   */
  const withRateLimitHeaders = (request: Request, response: Response): Response => {
    if (
      gateway === undefined ||
      settings.rateLimit === null ||
      request.headers.get('x-apig-mode')?.toLowerCase() !== 'debug'
    ) {
      return response;
    }
    const {limit: max, windowMs, policy = 'api'} = settings.rateLimit;
    response.headers.set(
      `X-Apig-RateLimit-${policy}`,
      `remain:${gateway.remaining()},limit:${max},time:${describeWindow(windowMs)}`,
    );
    return response;
  };

  return {
    handle,
    counters: counts,
    reset: () => {
      tokens.clear();
      jobs.clear();
      gateway?.refill();
      service?.refill();
      zeroCounters(counts);
    },
    jobs,
    issueToken,
    expireTokens: () => {
      const expiredAtMs = now();
      for (const token of tokens.keys()) {
        tokens.set(token, expiredAtMs);
      }
    },
    startJob,
  };
};
