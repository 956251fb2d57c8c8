/**
 * @module `waitForSnapshot()`: polls a BrightData job's progress until its snapshot is ready.
 */
import type {KyInstance} from 'ky';
import {parseRetryAfter} from '../../classify/parse-retry-after.ts';
import {type PollOptions, poll} from '../../poll/poll.ts';
import {FAILED_STATUSES, failedStatusError} from './failed-status-error.ts';
import {segment} from './segment.ts';

/** BrightData's pace for progress and snapshot polling: the "try again in 10s" of its 202 answers (the published `@brightdata/sdk` 0.2.0 sleeps a random 10–30 s instead). */
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
export type WaitForSnapshotOptions = PollOptions;

/**
 * Polls `GET datasets/v3/progress/:snapshot_id` until the job is `ready` and resolves with that
 * progress body. Every other status keeps polling, at the server's `Retry-After` if it sends one,
 * else every 10 s (`intervalMs`), never faster; `growth` and `maxIntervalMs` stretch and cap it.
 *
 * `api` must be a ky instance made with `withVendor(brightdata)` and the prefix
 * `https://api.brightdata.com`: its hooks turn `{status: "failed", error_message}` into the typed
 * error of the message and retry transient failures. A 429, a 5xx or a network error on a
 * progress request is waited out like a "running", never taken for the end of the job.
 *
 * @throws {JobFailedError} when the job failed (`error_message` in the message); `AuthError` for
 *   "Account is suspended", `NotFoundError` for "Snapshot is empty", and so on per the code table.
 * @throws {NotReadyError} when `timeoutMs` (10 minutes by default) passes, with the last status.
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
  const path = `datasets/v3/progress/${segment('snapshotId', snapshotId)}`;
  return poll<SnapshotProgress>(
    async ({signal}) => {
      const response = await api.get(path, signal === undefined ? {} : {signal});
      const body = await response.json<SnapshotProgress>();
      const status = typeof body?.status === 'string' ? body.status.trim().toLowerCase() : 'unknown';
      if (status === 'ready') {
        return {done: true, value: body};
      }
      if (FAILED_STATUSES.has(status)) {
        throw failedStatusError(response, body, 'snapshot');
      }
      return {done: false, status, delayMs: parseRetryAfter(response.headers.get('retry-after'))};
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...options},
  );
};
