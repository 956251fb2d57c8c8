/**
 * @module `downloadSnapshot()`: downloads a BrightData snapshot, waiting out its 202 "not ready".
 */
import type {KyInstance, KyResponse} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {type PollOptions, poll} from '../../poll/poll.ts';
import {segment} from './segment.ts';
import {type SnapshotSliceOptions, snapshotQuery} from './snapshot-query.ts';
import {BRIGHTDATA_POLL_INTERVAL_MS} from './wait-for-snapshot.ts';

/**
 * Options of `downloadSnapshot()`: the format and slice of the download, and the poll options
 * for the wait while BrightData still builds it. Every field is optional.
 *
 * @example
 * ```ts
 * await downloadSnapshot(api, id, {format: 'ndjson', batchSize: 10_000, part: 2, timeoutMs: 120_000});
 * ```
 */
export type DownloadSnapshotOptions = PollOptions &
  SnapshotSliceOptions & {
    /**
     * The 1-based part to download (needs `batchSize`; `snapshotParts()` says how many there are).
     * @default undefined (the whole snapshot)
     */
    readonly part?: number;
  };

/**
 * Downloads `GET datasets/v3/snapshot/:snapshot_id` and resolves with the ky `Response`, its body
 * unread, so a large snapshot streams (`snapshotRecords(response)`) instead of being buffered.
 *
 * While BrightData answers 202 ("Snapshot is not ready yet" / "Snapshot is building, try again
 * in 10s"), even right after progress said `ready`, it waits what the answer states
 * (`Retry-After`, "try again in 1s": shorter or longer than 10 s) and asks again, until
 * `timeoutMs`. Use an instance made with `withVendor(brightdata)`: its policy turns the 202 into
 * a `NotReadyError` carrying the stated wait.
 *
 * @throws {NotReadyError} when `timeoutMs` passes while the snapshot is still built.
 * @throws {NotFoundError} for "Snapshot does not exist", "Snapshot is expired", "Snapshot is empty".
 * @throws the signal's reason when `signal` aborts.
 * @throws {TypeError} when `api` was not built with `withVendor(brightdata)`.
 * @example
 * ```ts
 * const response = await downloadSnapshot(api, id, {format: 'ndjson'});
 * for await (const record of snapshotRecords(response)) {
 *   await save(record);
 * }
 * ```
 */
export const downloadSnapshot = async (
  api: KyInstance,
  snapshotId: string,
  options: DownloadSnapshotOptions = {},
): Promise<KyResponse> => {
  const vendor = requireVendor(api, 'brightdata', 'downloadSnapshot');
  const path = `datasets/v3/snapshot/${segment('snapshotId', snapshotId)}`;
  const searchParams = snapshotQuery(options);
  return poll<KyResponse>(
    async ({signal}) => {
      // A 202 (not ready, building) is thrown by the policy as NotReadyError: poll() waits it out.
      const response = await api.get(path, {searchParams, ...(signal === undefined ? {} : {signal})});
      return {done: true, value: response};
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...options},
    {vendor: vendor.name},
  );
};
