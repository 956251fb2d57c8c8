/**
 * @module `createSupametasSimulator()`: Supametas.AI's open API as a pure request → response over state.
 */
import {zeroCounters} from '../shared/counters.ts';
import {mulberry32, randomDigits} from '../shared/rng.ts';
import {
  SUPAMETAS_SIMULATOR_DEFAULTS,
  type SupametasSimulatedTask,
  type SupametasSimulator,
  type SupametasSimulatorCounts,
  type SupametasSimulatorOptions,
  type SupametasTaskOutcome,
} from './options.ts';

const OPS = {
  OPS40001: '[getDemandFormat] 不合法',
  OPS40002: '[contentType] 不合法',
  OPS40003: 'Field or customKeys 至少包含一个',
  OPS40004: '参数值不正确',
} as const;

type OpsCode = keyof typeof OPS;

const FILE_TYPES = /\.(docx|pdf|txt|md|json)$/i;
const IMAGE_TYPES = /\.(jpe?g|png)$/i;

const envelope = (code: string, message: string | null, data: unknown, init: ResponseInit = {}): Response =>
  Response.json({code, message, data}, init);

/** Thrown inside a route to answer with a business error. */
class Ops extends Error {
  readonly code: OpsCode;
  constructor(code: OpsCode) {
    super(OPS[code]);
    this.code = code;
  }
}

const readJson = async (request: Request): Promise<Record<string, unknown>> => {
  try {
    const value: unknown = await request.json();
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Falls through to the business error Supametas answers for unreadable input.
  }
  throw new Ops('OPS40004');
};

const isFlag = (value: unknown): boolean => value === 1 || value === '1' || value === true;

/**
 * The multipart body every task-creating endpoint takes: `file` of an accepted type and `data`
 * (JSON text) with a valid `getDemandFormat`; the OPS code of the first thing wrong otherwise.
 */
const readTaskForm = async (
  request: Request,
  fileTypes: RegExp,
): Promise<{readonly file: File; readonly data: Record<string, unknown>}> => {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new Ops('OPS40002');
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Ops('OPS40004');
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') {
    throw new Ops('OPS40004');
  }
  if (!fileTypes.test(file.name)) {
    throw new Ops('OPS40002');
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(String(form.get('data') ?? '{}')) as Record<string, unknown>;
  } catch {
    throw new Ops('OPS40004');
  }
  if (!['1', '2'].includes(String(data.getDemandFormat))) {
    throw new Ops('OPS40001');
  }
  return {file, data};
};

/**
 * A simulated Supametas.AI open API: the documented `file-task`, `image-task`, `query-task` and
 * `set-webhook` under any base path, every answer in the `{code, message, data}` envelope. Tasks
 * stay `PENGDING` for `taskDurationMs`, then end in `SUCCESS`, `FAIL` or `CANCEL` (seeded by
 * weight).
 *
 * Documented: the endpoints, their fields and file types, the success envelope, the task states
 * and the OPS40001–4 codes. Assumed (the docs do not say): which OPS code answers which bad field,
 * that it comes in HTTP 200 (`opsErrorStatus`), the 401 `{code: "401", message: "Access-Key
 * invalid"}` and 404/405 envelopes, and maintenance as 503 with `Retry-After` (the error page
 * lists 503 + `Retry-After`, not its body).
 *
 * @example
 * ```ts
 * const sim = createSupametasSimulator({taskDurationMs: 10_000});
 * server.use(...supametasHandlers(sim));
 * const taskId = sim.createTask({outcome: 'FAIL'});
 * ```
 */
export const createSupametasSimulator = (options: SupametasSimulatorOptions = {}): SupametasSimulator => {
  const settings = {...SUPAMETAS_SIMULATOR_DEFAULTS, ...options};
  const now = options.now ?? (() => Date.now());
  const random = mulberry32(settings.seed);
  const tasks = new Map<string, SupametasSimulatedTask>();
  const counts: SupametasSimulatorCounts = {
    requests: 0,
    byEndpoint: {},
    unauthorized: 0,
    opsErrors: 0,
    maintenance: 0,
    tasksCreated: 0,
  };
  let maintenanceUntilMs = options.maintenanceUntilMs ?? -Infinity;
  let webhookUrl: string | undefined;

  const weights = Object.entries(settings.outcomes ?? {SUCCESS: 1}).filter(([, weight]) => (weight ?? 0) > 0);
  const total = weights.reduce((sum, [, weight]) => sum + (weight ?? 0), 0);
  const pickOutcome = (): SupametasTaskOutcome => {
    let draw = random() * total;
    for (const [outcome, weight] of weights) {
      draw -= weight ?? 0;
      if (draw < 0) {
        return outcome as SupametasTaskOutcome;
      }
    }
    return 'SUCCESS';
  };

  const createTask: SupametasSimulator['createTask'] = (init = {}) => {
    let taskId = randomDigits(random, 19);
    while (tasks.has(taskId)) {
      taskId = randomDigits(random, 19);
    }
    const jitter =
      settings.taskDurationJitterMs > 0 ? Math.floor(random() * settings.taskDurationJitterMs) : 0;
    const createdAtMs = now();
    tasks.set(taskId, {
      taskId,
      taskName: init.taskName ?? `task ${tasks.size + 1}`,
      createdAtMs,
      doneAtMs: createdAtMs + (init.durationMs ?? settings.taskDurationMs + jitter),
      outcome: init.outcome ?? pickOutcome(),
      canceled: false,
    });
    counts.tasksCreated++;
    return taskId;
  };

  const stateOf = (taskId: string): string | undefined => {
    const task = tasks.get(taskId);
    if (task === undefined) {
      return undefined;
    }
    if (task.canceled) {
      return 'CANCEL';
    }
    return now() < task.doneAtMs ? settings.pendingState : task.outcome;
  };

  const fileTask = async (request: Request): Promise<unknown> => {
    const {file, data} = await readTaskForm(request, FILE_TYPES);
    // Assumed: the docs mark title and contentDetails as required and name OPS40003 "Field or
    // customKeys 至少包含一个"; asking for nothing at all is taken to be that error.
    const customKeys = Array.isArray(data.customKeys) ? data.customKeys : [];
    if (!isFlag(data.title) && !isFlag(data.contentDetails) && customKeys.length === 0) {
      throw new Ops('OPS40003');
    }
    return {num: 1, taskId: createTask({taskName: file.name})};
  };

  /** `image-task`: `file` (jpg, png) and `data {getDemandFormat, getImageText?, customKeys?}`. */
  const imageTask = async (request: Request): Promise<unknown> => {
    // Assumed: a file type outside the documented jpg/png is OPS40002 ([contentType] 不合法).
    const {file, data} = await readTaskForm(request, IMAGE_TYPES);
    if (data.getImageText !== undefined && ![0, 1, '0', '1'].includes(data.getImageText as number | string)) {
      throw new Ops('OPS40004');
    }
    if (data.customKeys !== undefined && !Array.isArray(data.customKeys)) {
      throw new Ops('OPS40004');
    }
    return {num: 1, taskId: createTask({taskName: file.name})};
  };

  const queryTask = async (request: Request): Promise<unknown> => {
    const {taskId} = await readJson(request);
    const task = typeof taskId === 'string' ? tasks.get(taskId) : undefined;
    if (task === undefined) {
      throw new Ops('OPS40004');
    }
    return {taskId: task.taskId, taskName: task.taskName, state: stateOf(task.taskId)};
  };

  const setWebhook = async (request: Request): Promise<unknown> => {
    const {url} = await readJson(request);
    let parsed: URL | undefined;
    try {
      parsed = typeof url === 'string' ? new URL(url) : undefined;
    } catch {
      parsed = undefined;
    }
    // Supametas asks for HTTPS and "no suffix parameters" on the URL.
    if (parsed === undefined || parsed.protocol !== 'https:' || parsed.search !== '') {
      throw new Ops('OPS40004');
    }
    webhookUrl = parsed.toString();
    return {optResult: 'success'};
  };

  const routes: Readonly<Record<string, (request: Request) => Promise<unknown>>> = {
    'file-task': fileTask,
    'image-task': imageTask,
    'query-task': queryTask,
    'set-webhook': setWebhook,
  };

  const handle = async (request: Request): Promise<Response> => {
    counts.requests++;
    const endpoint = new URL(request.url).pathname.split('/').filter(Boolean).at(-1) ?? '';
    counts.byEndpoint[endpoint] = (counts.byEndpoint[endpoint] ?? 0) + 1;
    const remainingMs = maintenanceUntilMs - now();
    if (remainingMs > 0) {
      counts.maintenance++;
      return new Response(null, {
        status: 503,
        headers: {'Retry-After': String(Math.ceil(remainingMs / 1000))},
      });
    }
    const route = routes[endpoint];
    if (route === undefined) {
      return envelope('404', 'Not Found', null, {status: 404});
    }
    if (request.method !== 'POST') {
      return envelope('405', 'Method Not Allowed', null, {status: 405});
    }
    if (settings.accessKey !== null && request.headers.get('access-key') !== settings.accessKey) {
      counts.unauthorized++;
      return envelope('401', 'Access-Key invalid', null, {status: 401});
    }
    try {
      return envelope('0', null, await route(request));
    } catch (error) {
      if (error instanceof Ops) {
        counts.opsErrors++;
        return envelope(error.code, error.message, null, {status: settings.opsErrorStatus});
      }
      throw error;
    }
  };

  return {
    handle,
    counters: counts,
    reset: () => {
      tasks.clear();
      webhookUrl = undefined;
      maintenanceUntilMs = -Infinity;
      zeroCounters(counts);
    },
    tasks,
    webhookUrl: () => webhookUrl,
    createTask,
    cancelTask: (taskId) => {
      const task = tasks.get(taskId);
      if (task !== undefined) {
        task.canceled = true;
      }
    },
    startMaintenance: (durationMs) => {
      maintenanceUntilMs = now() + durationMs;
    },
    stateOf,
  };
};
