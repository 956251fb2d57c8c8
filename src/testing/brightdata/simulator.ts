/**
 * @module `createBrightdataSimulator()`: an in-memory BrightData datasets v3 API, one pure-ish request → response function.
 */

import {mulberry32} from '../shared/rng.ts';
import {
  type BrightdataSimulatorOptions,
  type NormalizedBrightdataSimulatorOptions,
  normalizeSimOptions,
} from './options.ts';
import {CONTENT_TYPES, isSimFormat, renderRecords} from './render-records.ts';
import {
  type BrightdataSimulatorCounts,
  SIM_ENDPOINTS,
  type SimDelivery,
  type SimEndpoint,
  type SimFault,
  type SimJob,
  type SimLogEntry,
  type SimRequest,
  type SimResponse,
} from './sim-types.ts';

/**
 * A simulated BrightData account: its jobs, deliveries, counters and request log. Serve it with
 * `brightdataHandlers(sim)` (msw), `brightdataFetch(sim)` (a `fetch` for ky) or
 * `startBrightdataServer(sim)` (a loopback HTTP server); all three call `sim.handle()`.
 */
export type BrightdataSimulator = {
  readonly options: NormalizedBrightdataSimulatorOptions;
  readonly jobs: Map<string, SimJob>;
  readonly deliveries: Map<string, SimDelivery>;
  readonly counters: BrightdataSimulatorCounts;
  /** Every request with the simulator's clock, oldest first (bounded by `maxLog`). */
  readonly log: SimLogEntry[];
  /** Answers one request. Deterministic for a given clock and seed. */
  readonly handle: (request: SimRequest) => SimResponse;
  /** Forces the next `count` requests of `endpoint` to answer `fault` (500 by default). */
  readonly inject: (endpoint: SimEndpoint, fault?: SimFault) => void;
  /** The status `GET progress` would report now, or `undefined` for an unknown id. */
  readonly statusOf: (snapshotId: string) => string | undefined;
  /** Forgets jobs, deliveries, faults, counters and the log; keeps the options and the seed's position. */
  readonly reset: () => void;
};

type State = {
  readonly options: NormalizedBrightdataSimulatorOptions;
  readonly random: () => number;
  readonly jobs: Map<string, SimJob>;
  readonly deliveries: Map<string, SimDelivery>;
  readonly faults: Map<SimEndpoint, {fault: SimFault; remaining: number}[]>;
  readonly counters: BrightdataSimulatorCounts;
  readonly log: SimLogEntry[];
};

const TOO_MANY_JOBS =
  'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request.';
const SYNC_IN_PROGRESS =
  'Your request is still in progress and cannot be retrieved in this call. Use the provided Snapshot ID to track progress via the Monitor Snapshot endpoint and download it once ready via the Download Snapshot endpoint.';

const text = (status: number, body: string, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: {'content-type': 'text/plain; charset=utf-8', ...headers},
  body,
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: {'content-type': 'application/json; charset=utf-8', ...headers},
  body: JSON.stringify(body),
});

const validationError = (message: string): SimResponse => json(400, {validation_errors: [message]});

const freshCounters = (): BrightdataSimulatorCounts => ({
  requests: Object.fromEntries(SIM_ENDPOINTS.map((endpoint) => [endpoint, 0])) as Record<SimEndpoint, number>,
  statuses: {},
  throttled: 0,
  serverErrors: 0,
  unauthorized: 0,
  jobsCreated: 0,
  deliveriesCreated: 0,
});

/**
 * Creates a simulated BrightData account. Jobs move `starting` → `running` → `ready` (or
 * `failed`) by the simulator's clock; every knob is an option, every request is counted.
 *
 * @example
 * ```ts
 * const sim = createBrightdataSimulator({readyAfterMs: 25_000, buildingDownloads: 1});
 * server.use(...brightdataHandlers(sim));
 * // … run the code under test, then:
 * expect(sim.counters.requests.progress).toBeLessThanOrEqual(5);
 * ```
 */
export const createBrightdataSimulator = (options: BrightdataSimulatorOptions = {}): BrightdataSimulator => {
  const normalized = normalizeSimOptions(options);
  const state: State = {
    options: normalized,
    random: mulberry32(normalized.seed),
    jobs: new Map(),
    deliveries: new Map(),
    faults: new Map(),
    counters: freshCounters(),
    log: [],
  };
  return {
    options: normalized,
    jobs: state.jobs,
    deliveries: state.deliveries,
    counters: state.counters,
    log: state.log,
    handle: (request) => respond(state, request),
    inject: (endpoint, fault = {}) => {
      const queue = state.faults.get(endpoint) ?? [];
      queue.push({fault, remaining: Math.max(1, fault.count ?? 1)});
      state.faults.set(endpoint, queue);
    },
    statusOf: (snapshotId) => {
      const job = state.jobs.get(snapshotId);
      return job === undefined ? undefined : jobStatus(state, job, normalized.now());
    },
    reset: () => {
      state.jobs.clear();
      state.deliveries.clear();
      state.faults.clear();
      state.log.length = 0;
      const fresh = freshCounters();
      Object.assign(state.counters.requests, fresh.requests);
      Object.assign(state.counters, {
        ...fresh,
        requests: state.counters.requests,
        statuses: state.counters.statuses,
      });
      for (const key of Object.keys(state.counters.statuses)) delete state.counters.statuses[Number(key)];
    },
  };
};

type Route = {
  readonly endpoint: SimEndpoint;
  readonly method: string;
  readonly pattern: RegExp;
  readonly run: (state: State, context: RouteContext) => SimResponse;
};

type RouteContext = {
  readonly id: string;
  readonly query: URLSearchParams;
  readonly body: string | undefined;
  readonly now: number;
};

/** Answers one request: counts it, checks auth, applies injected faults, then routes it. */
const respond = (state: State, request: SimRequest): SimResponse => {
  const now = state.options.now();
  const url = new URL(request.url, 'https://api.brightdata.com');
  const path = url.pathname.replace(/\/+$/, '');
  const method = request.method.toUpperCase();
  const route = ROUTES.find((candidate) => candidate.method === method && candidate.pattern.test(path));
  const endpoint = route?.endpoint ?? 'unknown';
  state.counters.requests[endpoint]++;
  const response = answer(state, request, route, {
    id: decodeURIComponent(route?.pattern.exec(path)?.[1] ?? ''),
    query: url.searchParams,
    body: request.body,
    now,
  });
  record(state, {at: now, method, endpoint, path: `${path}${url.search}`, status: response.status});
  return response;
};

const answer = (state: State, request: SimRequest, route: Route | undefined, context: RouteContext) => {
  const denied = checkAuth(state, request.headers);
  if (denied !== undefined) {
    return denied;
  }
  if (route === undefined) {
    return text(404, 'Not found');
  }
  const fault = takeFault(state, route.endpoint);
  if (fault === undefined) {
    return route.run(state, context);
  }
  if (fault.apply === true) {
    route.run(state, context);
  }
  return text(fault.status ?? 500, fault.body ?? 'Internal server error', {...fault.headers});
};

const record = (state: State, entry: SimLogEntry): void => {
  const {counters} = state;
  counters.statuses[entry.status] = (counters.statuses[entry.status] ?? 0) + 1;
  if (entry.status === 429) counters.throttled++;
  if (entry.status === 401) counters.unauthorized++;
  if (entry.status >= 500) counters.serverErrors++;
  state.log.push(entry);
  if (state.log.length > state.options.maxLog) {
    state.log.splice(0, state.log.length - state.options.maxLog);
  }
};

const headerOf = (headers: SimRequest['headers'], name: string): string | undefined => {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
};

const checkAuth = (state: State, headers: SimRequest['headers']): SimResponse | undefined => {
  const {apiKey} = state.options;
  if (apiKey === undefined) return undefined;
  const authorization = headerOf(headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') return text(401, 'Credentials are missing');
  if (!/^Bearer\s/i.test(authorization)) return text(401, 'Auth method is not supported');
  return authorization.replace(/^Bearer\s+/i, '') === apiKey ? undefined : text(401, 'Invalid credentials');
};

const takeFault = (state: State, endpoint: SimEndpoint): SimFault | undefined => {
  const queue = state.faults.get(endpoint);
  const head = queue?.[0];
  if (queue === undefined || head === undefined) return undefined;
  head.remaining--;
  if (head.remaining <= 0) queue.shift();
  return head.fault;
};

const randomId = (state: State, prefix: string): string => {
  let id = prefix;
  for (let index = 0; index < 17; index++) {
    id += Math.floor(state.random() * 36).toString(36);
  }
  return id;
};

/** The status `GET progress` reports at `now`. */
const jobStatus = (state: State, job: SimJob, now: number): string => {
  if (job.canceledAt !== undefined && job.canceledAt <= now) return state.options.canceledStatus;
  if (now < Math.min(job.createdAt + state.options.startingMs, job.readyAt)) return 'starting';
  if (now < job.readyAt) return 'running';
  return job.failMessage === undefined ? 'ready' : 'failed';
};

const isRunning = (status: string): boolean => status === 'starting' || status === 'running';

const jobRecords = (state: State, job: SimJob): unknown[] => {
  const perInput = Math.max(0, Math.floor(state.options.recordsPerInput));
  return job.inputs.flatMap((input, inputIndex) =>
    Array.from({length: perInput}, (_, offset) =>
      state.options.record(input, inputIndex * perInput + offset),
    ),
  );
};

const parseInputs = (body: string | undefined): unknown[] | undefined => {
  try {
    const parsed: unknown = JSON.parse(body ?? '');
    if (Array.isArray(parsed)) return parsed;
    const wrapped = (parsed as {input?: unknown} | null)?.input;
    return Array.isArray(wrapped) ? wrapped : undefined;
  } catch {
    return undefined;
  }
};

/** Validates a trigger or scrape request and creates its job, or answers why not. */
const createJob = (state: State, context: RouteContext): SimJob | SimResponse => {
  const {options} = state;
  const datasetId = context.query.get('dataset_id');
  if (datasetId === null || datasetId === '') return text(400, 'dataset missing');
  if (options.datasets !== undefined && !options.datasets.includes(datasetId)) {
    return text(404, 'dataset does not exist');
  }
  const inputs = parseInputs(context.body);
  if (inputs === undefined) {
    return json(400, {error: 'Request body is not valid JSON', code: 'parse_error'});
  }
  if (inputs.length === 0) return text(400, 'No data to trigger');
  const running = [...state.jobs.values()].filter((job) =>
    isRunning(jobStatus(state, job, context.now)),
  ).length;
  if (running >= options.maxRunningJobs) {
    const retryAfter = options.throttleRetryAfterSec;
    return text(
      429,
      `${TOO_MANY_JOBS} Running jobs: ${running}>=${options.maxRunningJobs}`,
      retryAfter === undefined ? {} : {'retry-after': String(retryAfter)},
    );
  }
  const jitter = options.readyJitterMs > 0 ? Math.floor(state.random() * options.readyJitterMs) : 0;
  const failed = options.failRate > 0 && state.random() < options.failRate;
  const job: SimJob = {
    id: randomId(state, 's_'),
    datasetId,
    inputs,
    createdAt: context.now,
    readyAt: context.now + options.readyAfterMs + jitter,
    failMessage: failed ? options.failMessage : undefined,
    canceledAt: undefined,
    buildingAnswers: 0,
  };
  state.jobs.set(job.id, job);
  state.counters.jobsCreated++;
  return job;
};

const isResponse = (value: SimJob | SimResponse): value is SimResponse => 'status' in value;

const notReadyHeaders = (state: State): Record<string, string> =>
  state.options.retryAfterHeader ? {'retry-after': String(state.options.hintSec)} : {};

type Slice = {readonly batchSize: number | undefined; readonly part: number | undefined};

const readSlice = (state: State, query: URLSearchParams): Slice | SimResponse => {
  const batchText = query.get('batch_size');
  const partText = query.get('part');
  const batchSize = batchText === null ? undefined : Number(batchText);
  const part = partText === null ? undefined : Number(partText);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < state.options.minBatchSize)) {
    return validationError(`batch_size must be an integer of at least ${state.options.minBatchSize}`);
  }
  if (part !== undefined && (!Number.isInteger(part) || part < 1 || batchSize === undefined)) {
    return validationError('part must be a positive integer and needs batch_size');
  }
  return {batchSize, part};
};

/** Answers for a snapshot that cannot be served as data, or `undefined` when it is ready. */
const unavailable = (state: State, job: SimJob | undefined, now: number): SimResponse | undefined => {
  if (job === undefined) return text(404, 'Snapshot does not exist');
  const status = jobStatus(state, job, now);
  if (status === 'ready' && now > job.readyAt + state.options.retentionMs)
    return text(400, 'Snapshot is expired');
  if (status === 'failed' || status === state.options.canceledStatus) return text(400, 'Snapshot is empty');
  return undefined;
};

const download = (state: State, context: RouteContext): SimResponse => {
  const job = state.jobs.get(context.id);
  const gone = unavailable(state, job, context.now);
  if (gone !== undefined || job === undefined) return gone ?? text(404, 'Snapshot does not exist');
  const status = jobStatus(state, job, context.now);
  const hint = state.options.hintSec;
  if (isRunning(status)) {
    return json(
      202,
      {status, message: `Snapshot is not ready yet, try again in ${hint}s`},
      notReadyHeaders(state),
    );
  }
  if (job.buildingAnswers < state.options.buildingDownloads) {
    job.buildingAnswers++;
    return json(
      202,
      {status: 'building', message: `Snapshot is building, try again in ${hint}s`},
      notReadyHeaders(state),
    );
  }
  const format = context.query.get('format') ?? 'json';
  if (!isSimFormat(format)) return validationError(`format must be one of json, ndjson, jsonl, csv`);
  const slice = readSlice(state, context.query);
  if ('status' in slice) return slice;
  let records = jobRecords(state, job);
  if (slice.batchSize !== undefined) {
    const part = slice.part ?? 1;
    const parts = Math.max(1, Math.ceil(records.length / slice.batchSize));
    if (part > parts) return validationError(`part must be at most ${parts}`);
    records = records.slice((part - 1) * slice.batchSize, part * slice.batchSize);
  }
  const compress = context.query.get('compress');
  const gzip = compress === 'true' || compress === '1';
  const truncate = state.options.truncateDownloadBytes;
  return {
    status: 200,
    headers: {'content-type': gzip ? 'application/gzip' : CONTENT_TYPES[format]},
    body: renderRecords(records, format),
    ...(gzip ? {gzip} : {}),
    ...(truncate === undefined ? {} : {truncateAtBytes: truncate}),
  };
};

const parts = (state: State, context: RouteContext): SimResponse => {
  const job = state.jobs.get(context.id);
  const gone = unavailable(state, job, context.now);
  if (gone !== undefined || job === undefined) return gone ?? text(404, 'Snapshot does not exist');
  if (isRunning(jobStatus(state, job, context.now))) return text(400, 'Snapshot is not ready');
  const slice = readSlice(state, context.query);
  if ('status' in slice) return slice;
  const count = jobRecords(state, job).length;
  return json(200, {
    parts: slice.batchSize === undefined ? 1 : Math.max(1, Math.ceil(count / slice.batchSize)),
  });
};

const deliver = (state: State, context: RouteContext): SimResponse => {
  let body: {deliver?: {type?: unknown; filename?: {extension?: unknown}}; batch_size?: unknown} | undefined;
  try {
    body = JSON.parse(context.body ?? '') as typeof body;
  } catch {
    body = undefined;
  }
  const job = state.jobs.get(context.id);
  if (job === undefined) return text(404, 'Snapshot does not exist');
  if (typeof body?.deliver?.type !== 'string') return text(400, 'Deliver options are missing');
  if (isRunning(jobStatus(state, job, context.now))) return text(400, 'Snapshot is not ready');
  const gone = unavailable(state, job, context.now);
  if (gone !== undefined) return gone;
  const batchSize = body.batch_size;
  if (typeof batchSize === 'number' && batchSize < state.options.minBatchSize) {
    return text(400, `Batch size should be at least ${state.options.minBatchSize}`);
  }
  const failed = state.options.deliveryFailRate > 0 && state.random() < state.options.deliveryFailRate;
  const canceled =
    !failed && state.options.deliveryCancelRate > 0 && state.random() < state.options.deliveryCancelRate;
  const extension = body.deliver.filename?.extension;
  const delivery: SimDelivery = {
    id: randomId(state, 'd_'),
    snapshotId: job.id,
    createdAt: context.now,
    doneAt: context.now + state.options.deliveryMs,
    failed,
    canceled,
    extension: typeof extension === 'string' ? extension : 'json',
  };
  state.deliveries.set(delivery.id, delivery);
  state.counters.deliveriesCreated++;
  return json(200, {delivery_id: delivery.id});
};

const delivery = (state: State, context: RouteContext): SimResponse => {
  const found = state.deliveries.get(context.id);
  if (found === undefined) return text(404, 'Delivery does not exist');
  if (context.now < found.doneAt) return json(200, {id: found.id, status: 'in_progress'});
  if (found.failed) return json(200, {id: found.id, status: 'failed'});
  if (found.canceled) return json(200, {id: found.id, status: state.options.canceledStatus});
  return json(200, {
    id: found.id,
    status: 'done',
    delivery_files: [{filename: `${found.snapshotId}_0.${found.extension}`, delivery_ts: found.doneAt}],
  });
};

/** A `from_date`/`to_date` filter as epoch milliseconds; `NaN` for a value that is not a date. */
const dateParam = (query: URLSearchParams, name: string): number | undefined => {
  const value = query.get(name);
  return value === null || value === '' ? undefined : Date.parse(value);
};

/**
 * `GET /datasets/v3/snapshots?dataset_id=&status=&from_date=&to_date=&skip=&limit=`: jobs show up
 * only `listVisibilityMs` after they were created, as an eventually consistent listing does.
 */
const listSnapshots = (state: State, context: RouteContext): SimResponse => {
  const {query, now} = context;
  const datasetId = query.get('dataset_id');
  const wanted = query.get('status');
  const from = dateParam(query, 'from_date');
  const to = dateParam(query, 'to_date');
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return validationError('from_date and to_date must be ISO 8601 dates');
  }
  const skip = Number(query.get('skip') ?? 0);
  const limit = Number(query.get('limit') ?? 5000);
  if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(limit) || limit < 1 || limit > 5000) {
    return validationError('skip must be a non-negative integer and limit an integer from 1 to 5000');
  }
  const list = [...state.jobs.values()]
    .filter((job) => job.createdAt + state.options.listVisibilityMs <= now)
    .filter((job) => datasetId === null || job.datasetId === datasetId)
    .filter(
      (job) => (from === undefined || job.createdAt >= from) && (to === undefined || job.createdAt <= to),
    )
    .map((job) => ({
      id: job.id,
      dataset_id: job.datasetId,
      status: jobStatus(state, job, now),
      created: new Date(job.createdAt).toISOString(),
    }))
    .filter((entry) => wanted === null || entry.status === wanted)
    .slice(skip, skip + limit);
  return json(200, list);
};

const ROUTES: readonly Route[] = [
  {
    endpoint: 'trigger',
    method: 'POST',
    pattern: /^\/datasets\/v3\/trigger$/,
    run: (state, context) => {
      const job = createJob(state, context);
      return isResponse(job) ? job : json(200, {snapshot_id: job.id});
    },
  },
  {
    endpoint: 'scrape',
    method: 'POST',
    pattern: /^\/datasets\/v3\/scrape$/,
    run: (state, context) => {
      const job = createJob(state, context);
      if (isResponse(job)) return job;
      if (job.failMessage !== undefined || job.readyAt - context.now > state.options.syncTimeoutMs) {
        return json(202, {snapshot_id: job.id, message: SYNC_IN_PROGRESS}, notReadyHeaders(state));
      }
      // The sync call waited for the job; the simulator answers at once with the job done.
      job.readyAt = context.now;
      const format = context.query.get('format') ?? 'json';
      const chosen = isSimFormat(format) ? format : 'json';
      return {
        status: 200,
        headers: {'content-type': CONTENT_TYPES[chosen]},
        body: renderRecords(jobRecords(state, job), chosen),
      };
    },
  },
  {
    endpoint: 'progress',
    method: 'GET',
    pattern: /^\/datasets\/v3\/progress\/([^/]+)$/,
    run: (state, context) => {
      const job = state.jobs.get(context.id);
      if (job === undefined) return text(404, 'Snapshot does not exist');
      if (state.options.progressErrorRate > 0 && state.random() < state.options.progressErrorRate) {
        return text(500, 'Internal server error');
      }
      const status = jobStatus(state, job, context.now);
      return json(200, {
        snapshot_id: job.id,
        dataset_id: job.datasetId,
        status,
        ...(status === 'failed' ? {error_message: job.failMessage} : {}),
      });
    },
  },
  {endpoint: 'snapshot', method: 'GET', pattern: /^\/datasets\/v3\/snapshot\/([^/]+)$/, run: download},
  {endpoint: 'parts', method: 'GET', pattern: /^\/datasets\/v3\/snapshot\/([^/]+)\/parts$/, run: parts},
  {
    endpoint: 'input',
    method: 'GET',
    pattern: /^\/datasets\/v3\/snapshot\/([^/]+)\/input$/,
    run: (state, context) => {
      const job = state.jobs.get(context.id);
      return job === undefined ? text(404, 'Snapshot does not exist') : json(200, job.inputs);
    },
  },
  {
    endpoint: 'cancel',
    method: 'POST',
    pattern: /^\/datasets\/v3\/snapshot\/([^/]+)\/cancel$/,
    run: (state, context) => {
      const job = state.jobs.get(context.id);
      if (job === undefined) return text(404, 'Snapshot does not exist');
      if (!isRunning(jobStatus(state, job, context.now))) return text(400, 'Snapshot is not running');
      job.canceledAt = context.now;
      return text(200, 'OK');
    },
  },
  {endpoint: 'deliver', method: 'POST', pattern: /^\/datasets\/v3\/deliver\/([^/]+)$/, run: deliver},
  {endpoint: 'delivery', method: 'GET', pattern: /^\/datasets\/v3\/delivery\/([^/]+)$/, run: delivery},
  {endpoint: 'snapshots', method: 'GET', pattern: /^\/datasets\/v3\/snapshots$/, run: listSnapshots},
];
