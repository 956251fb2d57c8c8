/**
 * @module `collect()`: trigger a BrightData collection, wait for its snapshot, download it.
 */
import type {KyInstance, KyResponse} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import type {PollOptions} from '../../poll/poll.ts';
import {startDeadline} from './deadline.ts';
import {downloadSnapshot} from './download-snapshot.ts';
import type {SnapshotSliceOptions} from './snapshot-query.ts';
import {type TriggerRequest, triggerCollection} from './trigger-collection.ts';
import {type SnapshotProgress, waitForSnapshot} from './wait-for-snapshot.ts';

/**
 * Options of `collect()` and `scrape()`: one `timeoutMs` for the whole run (trigger, wait and
 * download share it), the poll options, and the download's format. Every field is optional.
 *
 * @example
 * ```ts
 * await collect(api, request, {format: 'ndjson', timeoutMs: 30 * 60_000, onSnapshotId: (id) => store.save(id)});
 * ```
 */
export type CollectOptions = PollOptions &
  SnapshotSliceOptions & {
    /**
     * Called with the snapshot id as soon as it is known, before the wait: store it, and a
     * crashed run can resume with `waitForSnapshot()` instead of paying for a new job.
     */
    readonly onSnapshotId?: (snapshotId: string) => void;
  };

/** What `collect()` resolves with. */
export type CollectResult = {
  readonly snapshotId: string;
  /** The last progress body (`status: 'ready'`). */
  readonly progress: SnapshotProgress;
  /** The download, body unread: stream it with `snapshotRecords()` or read it with `snapshotJson()`. */
  readonly response: KyResponse;
};

/**
 * Triggers a collection (`triggerCollection()`), waits until its snapshot is ready
 * (`waitForSnapshot()`), then downloads it (`downloadSnapshot()`, which waits out a 202 right
 * after `ready`), all within one `timeoutMs`. The trigger POST is resent only on BrightData's
 * "too many running jobs" 429 (no job started); a 500 or a network error on it throws, as the job
 * may have started and a second one would be paid twice.
 *
 * `api` must be made with `withVendor(brightdata)` and the prefix `https://api.brightdata.com`.
 *
 * @throws {JobFailedError} (or the error of its message) when the job fails.
 * @throws {NotReadyError} when `timeoutMs` passes, with the last status.
 * @example
 * ```ts
 * const {response} = await collect(api, {datasetId: 'gd_l1viktl72bvl7bjuj0', inputs: [{url}]}, {format: 'ndjson'});
 * for await (const profile of snapshotRecords(response)) console.log(profile);
 * ```
 */
export const collect = async (
  api: KyInstance,
  request: TriggerRequest,
  options: CollectOptions = {},
): Promise<CollectResult> => {
  requireVendor(api, 'brightdata', 'collect');
  const deadline = startDeadline(options);
  const snapshotId = await triggerCollection(
    api,
    request,
    options.signal === undefined ? {} : {signal: options.signal},
  );
  options.onSnapshotId?.(snapshotId);
  const progress = await waitForSnapshot(api, snapshotId, deadline.rest(options));
  const response = await downloadSnapshot(api, snapshotId, deadline.rest(options));
  return {snapshotId, progress, response};
};
