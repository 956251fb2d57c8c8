/**
 * @module `waitForSnapshot()`: polls a BrightData job's progress until its snapshot is ready.
 */
import type {KyInstance} from 'ky';
import {statedWaitOf} from '../../core/stated-wait.ts';
import {requireVendor} from '../../core/vendor-of.ts';
import {checkHandle, remainingMs} from '../../poll/job-handle.ts';
import {DEFAULT_POLL_OPTIONS, type PollOptions, poll} from '../../poll/poll.ts';
import {segment} from './segment.ts';
import type {SnapshotHandle} from './snapshot-handle.ts';
import {unexpectedBody} from './unexpected-body.ts';

/**
 * The pace of progress polling when BrightData states none: the "try again in 10s" of its
 * snapshot messages. (The published JS SDK sleeps a random 10–30 s; its Python SDK 10 s.)
 */
export const BRIGHTDATA_POLL_INTERVAL_MS = 10_000;

/**
 * The body of `GET datasets/v3/progress/:snapshot_id`. `status` is an open set: `starting`,
 * `running`, `ready`, `failed` are documented, and more (`building`, `collecting`, …) are seen.
 */
export type SnapshotProgress = {
  readonly snapshot_id?: string;
  readonly dataset_id?: string;
  readonly status: string;
  /** Present when `status` is `failed`. */
  readonly error_message?: string;
  readonly [field: string]: unknown;
};

/**
 * Options of `waitForSnapshot()`: the poll options (`timeoutMs`, `intervalMs`, `growth`,
 * `maxIntervalMs`, `signal`, `onPoll`). Every field is optional.
 *
 * @example
 * ```ts
 * await waitForSnapshot(api, id, {timeoutMs: 20 * 60_000, signal, onPoll: ({status, delayMs}) => log(status, delayMs)});
 * ```
 */
export type WaitForSnapshotOptions = PollOptions & {
  /**
   * Called before the first poll with a plain-JSON handle (the snapshot id and the wait's
   * deadline); `resumeWaitForSnapshot(api, handle)` continues the wait in another process.
   * @default undefined
   */
  readonly onHandle?: (handle: SnapshotHandle) => void;
};

/**
 * Polls `GET datasets/v3/progress/:snapshot_id` until the job is `ready` and resolves with that
 * progress body. Every other status keeps polling every 10 s (`intervalMs`; `growth` and
 * `maxIntervalMs` stretch and cap it); a wait a response states (a throttle's `Retry-After`) is
 * followed instead, shorter or longer.
 *
 * `api` must be a ky instance made with `withVendor(brightdata)` and the prefix
 * `https://api.brightdata.com`: its policy turns `{status: "failed" | "canceled", error_message}`
 * into the typed error of the message and retries transient failures. A 429, a 5xx or a network error on a
 * progress request is waited out like a "running", never taken for the end of the job.
 *
 * @throws {JobFailedError} when the job failed (`error_message` in the message); `AuthError` for
 *   "Account is suspended", `NotFoundError` for "Snapshot is empty", and so on per the code table.
 * @throws {NotReadyError} when `timeoutMs` (10 minutes by default) passes, with the last status.
 * @throws {TypeError} when `api` was not built with `withVendor(brightdata)`.
 * @throws the signal's reason when `signal` aborts, at once.
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://api.brightdata.com', ...withVendor(brightdata, {auth: brightdataAuth({apiKey})})});
 * const progress = await waitForSnapshot(api, 's_m4x7enmven8djfqak', {timeoutMs: 15 * 60_000});
 * ```
 */
export const waitForSnapshot = async (
  api: KyInstance,
  snapshotId: string,
  options: WaitForSnapshotOptions = {},
): Promise<SnapshotProgress> => {
  const vendor = requireVendor(api, 'brightdata', 'waitForSnapshot');
  const path = `datasets/v3/progress/${segment('snapshotId', snapshotId)}`;
  const {onHandle, ...pollOptions} = options;
  onHandle?.({
    kind: 'brightdata.snapshot',
    id: snapshotId,
    deadline: Date.now() + (options.timeoutMs ?? DEFAULT_POLL_OPTIONS.timeoutMs),
  });
  return poll<SnapshotProgress>(
    async ({signal}) => {
      const response = await api.get(path, signal === undefined ? {} : {signal});
      const body = await response.json<SnapshotProgress>();
      if (typeof body?.status !== 'string') {
        throw unexpectedBody(response, body, 'a status');
      }
      // Failed and canceled jobs were thrown as typed errors by the policy; what is left is
      // ready, or still going.
      const status = body.status.trim().toLowerCase();
      return status === 'ready'
        ? {done: true, value: body}
        : {done: false, status, delayMs: statedWaitOf(response)};
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...pollOptions},
    {vendor: vendor.name},
  );
};

/**
 * Continues a `waitForSnapshot()` (or the wait of a `collect()`) from its handle, within the
 * handle's deadline (or `options.timeoutMs` from now, when given).
 *
 * @throws {TypeError} for a value that is not a `brightdata.snapshot` handle.
 * @throws {NotReadyError} (vendor `brightdata`) when the deadline passes, with the last status.
 * @example
 * ```ts
 * const progress = await resumeWaitForSnapshot(api, JSON.parse(saved));
 * ```
 */
export const resumeWaitForSnapshot = async (
  api: KyInstance,
  handle: SnapshotHandle,
  options: Omit<WaitForSnapshotOptions, 'onHandle'> = {},
): Promise<SnapshotProgress> => {
  const checked = checkHandle(handle, 'brightdata.snapshot');
  return waitForSnapshot(api, checked.id, {timeoutMs: remainingMs(checked), ...options});
};
