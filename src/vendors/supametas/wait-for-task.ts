/**
 * @module `waitForTask()`: poll a Supametas import task (`POST query-task`) until it ends.
 */
import type {KyInstance} from 'ky';
import type {Category} from '../../core/types.ts';
import {requireVendor} from '../../core/vendor-of.ts';
import {createVendorError} from '../../errors/create-vendor-error.ts';
import type {VendorError} from '../../errors/VendorError.ts';
import {checkHandle, type JobHandle, remainingMs} from '../../poll/job-handle.ts';
import {type PollOptions, poll} from '../../poll/poll.ts';

/**
 * A task's state as Supametas reports it. `PENGDING` is Supametas's own spelling of "processing"
 * (its example also shows `PENDING`); `CANCEL` means the task was deleted. Other strings may
 * appear; they are waited on like a pending state.
 *
 * @example
 * ```ts
 * const pending = (state: SupametasTaskState) => state === 'PENDING' || state === 'PENGDING';
 * ```
 */
export type SupametasTaskState = 'PENDING' | 'PENGDING' | 'SUCCESS' | 'FAIL' | 'CANCEL' | (string & {});

/**
 * The `data` of a `query-task` answer.
 *
 * @example
 * ```ts
 * const task: SupametasTask = {taskId: '1876543210987654321', taskName: 'The first task', state: 'SUCCESS'};
 * ```
 */
export type SupametasTask = {
  readonly taskId: string;
  readonly taskName?: string;
  readonly state: SupametasTaskState;
  readonly [field: string]: unknown;
};

/**
 * Options of `waitForTask()`: the poll options, with defaults for Supametas. It publishes no
 * interval, so the pace is assumed: 5 s growing by half each time up to 30 s.
 *
 * @example
 * ```ts
 * await waitForTask(api, taskId, {timeoutMs: 15 * 60_000, onPoll: ({status}) => log(status)});
 * ```
 */
export type WaitForTaskOptions = PollOptions & {
  /**
   * Called before the first query with a plain-JSON handle (the task id and the wait's deadline);
   * `resumeWaitForTask(api, handle)` continues the wait in another process.
   * @default undefined
   */
  readonly onHandle?: (handle: TaskHandle) => void;
};

/**
 * A Supametas task being waited for, as plain JSON: `id` is the `taskId`, `deadline` the end of the
 * wait (epoch milliseconds).
 *
 * @example
 * ```ts
 * await waitForTask(api, taskId, {onHandle: (handle) => queue.save(JSON.stringify(handle))});
 * ```
 */
export type TaskHandle = JobHandle<'supametas.task'>;

/**
 * The defaults of `waitForTask()`, in one place.
 *
 * @example
 * ```ts
 * await waitForTask(api, taskId, {intervalMs: DEFAULT_TASK_OPTIONS.intervalMs * 2});
 * ```
 */
export const DEFAULT_TASK_OPTIONS = {
  timeoutMs: 600_000,
  intervalMs: 5_000,
  growth: 1.5,
  maxIntervalMs: 30_000,
} as const;

/** How each final state ends the wait, other than success. */
const FINAL_STATES: Readonly<Record<string, {readonly category: Category; readonly says: string}>> = {
  FAIL: {category: 'job_failed', says: 'failed'},
  // Supametas documents CANCEL as "deleted": the task is gone, not failed.
  CANCEL: {category: 'not_found', says: 'was canceled (deleted)'},
};

const readTask = (body: unknown): SupametasTask | undefined => {
  const data = (body as {data?: unknown} | null)?.data;
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const {state} = data as {state?: unknown};
  return typeof state === 'string' ? (data as SupametasTask) : undefined;
};

const finalError = (
  vendor: string,
  task: SupametasTask,
  taskId: string,
  response: Response,
  body: unknown,
  attempt: number,
): VendorError | undefined => {
  const final = FINAL_STATES[task.state];
  if (final === undefined) {
    return undefined;
  }
  const name = typeof task.taskName === 'string' ? ` (${task.taskName})` : '';
  const reason = (body as {message?: unknown}).message;
  return createVendorError(
    {
      vendor,
      action: 'fail',
      category: final.category,
      status: response.status,
      code: task.state,
      message: `task ${taskId}${name} ${final.says}${typeof reason === 'string' && reason ? `: ${reason}` : ''}`,
    },
    {attempts: attempt, envelope: body, method: 'POST', url: response.url || undefined, response},
  );
};

/**
 * Asks `query-task` about a task until it ends: `SUCCESS` resolves with the task's data, `FAIL`
 * throws `JobFailedError` and `CANCEL` (the task was deleted) `NotFoundError`, both with the
 * state as `code`. `PENDING`, `PENGDING` and states not documented are waited on.
 *
 * `api` is a ky instance made with `withVendor(supametas)` (and `supametasAuth()`), prefixed with
 * the open API's base URL. Each question is a fresh POST marked idempotent (it only reads), so
 * the instance's policy resends it after a 5xx; a 503 that outlasts those retries is waited out
 * here too, honouring its `Retry-After`. Business errors (`OPS4xxxx`, assumed to come in an HTTP 200 too) end the
 * wait with `ValidationError`.
 *
 * @throws {JobFailedError} when the task failed (`code: 'FAIL'`).
 * @throws {NotFoundError} when the task was canceled (`code: 'CANCEL'`).
 * @throws {NotReadyError} when `timeoutMs` passes first, with the last state seen.
 * @example
 * ```ts
 * const api = ky.create({
 *   prefix: 'https://api.supametas.ai/openapi/open/v1',
 *   ...withVendor(supametas, {auth: supametasAuth({accessKey})}),
 * });
 * const {taskId} = (await api.post('file-task', {body: form}).json<{data: {taskId: string}}>()).data;
 * const task = await waitForTask(api, taskId, {timeoutMs: 15 * 60_000});
 * ```
 */
export const waitForTask = async (
  api: KyInstance,
  taskId: string,
  options: WaitForTaskOptions = {},
): Promise<SupametasTask> => {
  if (typeof taskId !== 'string' || taskId.length === 0) {
    throw new TypeError('`taskId` must be a non-empty string');
  }
  const vendor = requireVendor(api, 'supametas', 'waitForTask');
  const {onHandle, ...pollOptions} = options;
  onHandle?.({
    kind: 'supametas.task',
    id: taskId,
    deadline: Date.now() + (options.timeoutMs ?? DEFAULT_TASK_OPTIONS.timeoutMs),
  });
  return poll(
    async ({attempt, signal}) => {
      const response = await api.post('query-task', {
        json: {taskId},
        context: {idempotent: true},
        ...(signal === undefined ? {} : {signal}),
      });
      // Envelopes with an error code were thrown as typed errors by the policy.
      const body: unknown = await response.json();
      const task = readTask(body);
      if (task === undefined) {
        return {done: false, status: 'unknown'};
      }
      if (task.state === 'SUCCESS') {
        return {done: true, value: task};
      }
      const error = finalError(vendor.name, task, taskId, response, body, attempt);
      if (error !== undefined) {
        throw error;
      }
      return {done: false, status: task.state};
    },
    {...DEFAULT_TASK_OPTIONS, ...pollOptions},
    {vendor: vendor.name},
  );
};

/**
 * Continues a `waitForTask()` from its handle, in this process or another, within the handle's
 * deadline (or `options.timeoutMs` from now, when given). Only `query-task` is sent: a task is never
 * created again.
 *
 * @throws {TypeError} for a value that is not a `supametas.task` handle.
 * @throws {NotReadyError} (vendor `supametas`) when the deadline passes, with the last state.
 * @example
 * ```ts
 * const task = await resumeWaitForTask(api, JSON.parse(saved));
 * ```
 */
export const resumeWaitForTask = async (
  api: KyInstance,
  handle: TaskHandle,
  options: Omit<WaitForTaskOptions, 'onHandle'> = {},
): Promise<SupametasTask> => {
  const checked = checkHandle(handle, 'supametas.task');
  return waitForTask(api, checked.id, {timeoutMs: remainingMs(checked), ...options});
};
