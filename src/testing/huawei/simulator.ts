/**
 * @module `createHuaweiSimulator()`: Huawei's API gateway, IAM tokens and Octopus jobs as request → response over state.
 */
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

const ROUTES: readonly Route[] = [
  {name: 'tokens', method: 'POST', path: /^\/v3\/auth\/tokens\/?$/},
  {name: 'createJob', method: 'POST', path: /^\/v2\/[^/]+\/sim\/jobs\/?$/},
  {name: 'getJob', method: 'GET', path: /^\/v2\/[^/]+\/sim\/jobs\/([^/]+)\/?$/},
  {name: 'listPackages', method: 'GET', path: /^\/v1\.0\/[^/]+\/data\/packages\/?$/},
];

/**
 * A simulated Huawei Cloud: the API gateway in front of Octopus, and IAM's token endpoint.
 *
 * - `POST /v3/auth/tokens` issues a token in `X-Subject-Token` (valid `tokenTtlMs`).
 * - Every other request needs `X-Auth-Token`: none or unknown → 401 `APIGW.0301`; expired →
 *   401 `APIGW.0307` (or `octopus.000102`).
 * - The gateway throttles from a token bucket: 429 `APIGW.0308` "…over ratelimit,limit:5,time:1
 *   second"; Octopus's own limit answers 429 `octopus.202230`.
 * - `POST /v2/{project}/sim/jobs` `{scenario_id}` starts a job; while one runs on the same
 *   scenario, another start gets 409 `octopus.107005`. `GET /v2/{project}/sim/jobs/{id}` reads it;
 *   `GET /v1.0/{project}/data/packages` is a plain listing. Anything else: 404 `APIGW.0101`.
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

  const startJob = (scenarioId = 'default'): string => {
    const jobId = randomHex(random, 32);
    const startedAtMs = now();
    jobs.set(jobId, {jobId, scenarioId, startedAtMs, endsAtMs: startedAtMs + settings.jobDurationMs});
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

  const authenticate = (request: Request, requestId: string): Response | undefined => {
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

  const createJob = async (request: Request, requestId: string): Promise<Response> => {
    let scenarioId = 'default';
    try {
      const body = (await request.json()) as {scenario_id?: unknown};
      scenarioId = typeof body?.scenario_id === 'string' ? body.scenario_id : scenarioId;
    } catch {
      return octopusError(400, 'octopus.000001', 'Invalid request body', requestId);
    }
    const running = [...jobs.values()].some((job) => job.scenarioId === scenarioId && now() < job.endsAtMs);
    if (running) {
      counts.busy++;
      const busy = HUAWEI_BUSY_ANSWERS[settings.busyCode];
      return octopusError(busy.status, settings.busyCode, busy.message, requestId);
    }
    const jobId = startJob(scenarioId);
    return answer(200, {job_id: jobId, scenario_id: scenarioId, status: 'RUNNING'}, requestId);
  };

  const getJob = (jobId: string, requestId: string): Response => {
    const job = jobs.get(jobId);
    if (job === undefined) {
      return octopusError(404, 'octopus.109003', 'The job does not exist', requestId);
    }
    const status = now() < job.endsAtMs ? 'RUNNING' : 'SUCCEEDED';
    return answer(200, {job_id: job.jobId, scenario_id: job.scenarioId, status}, requestId);
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
    if (name === 'tokens') {
      return tokenRoute(request, requestId);
    }
    const refused = authenticate(request, requestId) ?? limit(requestId);
    if (refused !== undefined) {
      return refused;
    }
    switch (name) {
      case 'createJob':
        return createJob(request, requestId);
      case 'getJob':
        return getJob(route?.path.exec(pathname)?.[1] ?? '', requestId);
      case 'listPackages':
        return listPackages(requestId);
      default:
        return gatewayError(
          404,
          gatewayCode('0101'),
          'The API does not exist or has not been published in the environment.',
          requestId,
        );
    }
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
