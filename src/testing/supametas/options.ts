/**
 * @module The Supametas simulator's options, defaults, state and counters.
 */

/** The base path of Supametas's open API. */
export const SUPAMETAS_BASE_PATH = '/openapi/open/v1';

/** Supametas's open API base URL, where the handlers answer by default. */
export const SUPAMETAS_BASE_URL = 'https://api.supametas.ai/openapi/open/v1';

/**
 * How a simulated task ends.
 *
 * @example
 * ```ts
 * sim.createTask({outcome: 'CANCEL'});
 * ```
 */
export type SupametasTaskOutcome = 'SUCCESS' | 'FAIL' | 'CANCEL';

/**
 * Options of the Supametas simulator. Every field is optional.
 *
 * @example
 * ```ts
 * const sim = createSupametasSimulator({seed: 7, taskDurationMs: 30_000, outcomes: {SUCCESS: 3, FAIL: 1}});
 * ```
 */
export type SupametasSimulatorOptions = {
  /**
   * Seed of the random source (task ids, durations, outcomes).
   * @default 1
   */
  readonly seed?: number;
  /**
   * The clock, in milliseconds. Fake timers move `Date.now`, so tests need not pass one.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * The one `Access-Key` accepted; `null` accepts any request.
   * @default 'sk-supametas-simulator'
   */
  readonly accessKey?: string | null;
  /**
   * How long a new task stays pending.
   * @default 20_000
   */
  readonly taskDurationMs?: number;
  /**
   * A random extra in `[0, taskDurationJitterMs)` added to each task's duration.
   * @default 0
   */
  readonly taskDurationJitterMs?: number;
  /**
   * Relative weights of the outcomes of new tasks.
   * @default {SUCCESS: 1}
   */
  readonly outcomes?: Partial<Record<SupametasTaskOutcome, number>>;
  /**
   * The state reported while a task runs: the docs' `PENGDING` (sic) or the example's `PENDING`.
   * @default 'PENGDING'
   */
  readonly pendingState?: 'PENDING' | 'PENGDING';
  /**
   * The HTTP status of business errors (`OPS4xxxx`). Assumed: the docs do not say which status
   * carries them; 200 is the harder case for a client (an error hidden in a success).
   * @default 200
   */
  readonly opsErrorStatus?: number;
  /**
   * Until this clock time every request gets 503 with `Retry-After` (maintenance).
   * @default undefined (no maintenance)
   */
  readonly maintenanceUntilMs?: number;
};

/**
 * One task as the simulator keeps it.
 *
 * @example
 * ```ts
 * sim.tasks.get(taskId)?.doneAtMs; // when it leaves PENGDING
 * ```
 */
export type SupametasSimulatedTask = {
  readonly taskId: string;
  readonly taskName: string;
  readonly createdAtMs: number;
  /** When the task leaves the pending state. */
  readonly doneAtMs: number;
  readonly outcome: SupametasTaskOutcome;
  /** Set by `cancelTask()`: the task reads `CANCEL` from then on. */
  canceled: boolean;
};

/**
 * Counters for assertions.
 *
 * @example
 * ```ts
 * expect(sim.counters.byEndpoint['query-task']).toBe(3);
 * ```
 */
export type SupametasSimulatorCounts = {
  /** Every request, whatever its answer. */
  requests: number;
  /** Requests per endpoint (the last path segment: `file-task`, `query-task`, …). */
  byEndpoint: Record<string, number>;
  /** 401 answers for a missing or wrong `Access-Key`. */
  unauthorized: number;
  /** Business errors (`OPS4xxxx`) answered. */
  opsErrors: number;
  /** 503 answers during maintenance. */
  maintenance: number;
  /** Tasks created, by `file-task` or `createTask()`. */
  tasksCreated: number;
};

/**
 * The simulator: its state, its counters and the one function that answers requests.
 *
 * @example
 * ```ts
 * const response = await sim.handle(new Request(`${SUPAMETAS_BASE_URL}/query-task`, {method: 'POST', body}));
 * ```
 */
export type SupametasSimulator = {
  /** Answers one request (a `fetch`-style handler). */
  readonly handle: (request: Request) => Promise<Response>;
  /** The counters so far, live. */
  readonly counters: SupametasSimulatorCounts;
  /** Forgets tasks, the webhook, maintenance and counters; keeps the options and the seed's position. */
  readonly reset: () => void;
  readonly tasks: ReadonlyMap<string, SupametasSimulatedTask>;
  /** The URL stored by `set-webhook`. */
  readonly webhookUrl: () => string | undefined;
  /** Creates a task directly (as `file-task` would), optionally with a fixed outcome or duration. */
  readonly createTask: (init?: {
    readonly taskName?: string;
    readonly outcome?: SupametasTaskOutcome;
    readonly durationMs?: number;
  }) => string;
  /** Deletes a task: it reads `CANCEL` from now on. */
  readonly cancelTask: (taskId: string) => void;
  /** Answers 503 + `Retry-After` for the next `durationMs`. */
  readonly startMaintenance: (durationMs: number) => void;
  /** The state `query-task` reports for a task now. */
  readonly stateOf: (taskId: string) => string | undefined;
};

/**
 * The defaults of the Supametas simulator, in one place.
 *
 * @example
 * ```ts
 * createSupametasSimulator({accessKey: SUPAMETAS_SIMULATOR_DEFAULTS.accessKey});
 * ```
 */
export const SUPAMETAS_SIMULATOR_DEFAULTS = {
  seed: 1,
  accessKey: 'sk-supametas-simulator',
  taskDurationMs: 20_000,
  taskDurationJitterMs: 0,
  pendingState: 'PENGDING',
  opsErrorStatus: 200,
} as const;
