/**
 * @module `downloadSnapshot()`: downloads a BrightData snapshot, waiting out its 202 "not ready".
 */
import type {KyInstance, KyResponse} from 'ky';
import {parseTryAgainIn} from '../../core/hints.ts';
import {parseBody} from '../../core/parse-body.ts';
import {parseRetryAfter} from '../../core/parse-retry-after.ts';
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

const hintOf = (response: Response, body: unknown): number | undefined => {
  const message = (body as {message?: unknown} | undefined)?.message;
  const hints = [
    parseRetryAfter(response.headers.get('retry-after')),
    parseTryAgainIn(typeof message === 'string' ? message : undefined),
  ].filter((ms): ms is number => ms !== undefined);
  return hints.length > 0 ? Math.max(...hints) : undefined;
};

/**
 * Downloads `GET datasets/v3/snapshot/:snapshot_id` and resolves with the ky `Response`, its body
 * unread, so a large snapshot streams (`snapshotRecords(response)`) instead of being buffered.
 *
 * While BrightData answers 202 ("Snapshot is not ready yet" / "Snapshot is building, try again
 * in 10s"), even right after progress said `ready`, it waits for the hint (never less) and asks
 * again, until `timeoutMs`. Use an instance made with `withVendor(brightdata)`.
 *
 * @throws {NotReadyError} when `timeoutMs` passes while the snapshot is still built.
 * @throws {NotFoundError} for "Snapshot does not exist", "Snapshot is expired", "Snapshot is empty".
 * @throws the signal's reason when `signal` aborts.
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
  const path = `datasets/v3/snapshot/${segment('snapshotId', snapshotId)}`;
  const searchParams = snapshotQuery(options);
  return poll<KyResponse>(
    async ({signal}) => {
      const response = await api.get(path, {searchParams, ...(signal === undefined ? {} : {signal})});
      if (response.status !== 202) {
        return {done: true, value: response};
      }
      // Only an instance without the vendor's hooks gets here: a 202 is still not the data.
      const body = parseBody(await response.text());
      const status = (body as {status?: unknown} | undefined)?.status;
      return {
        done: false,
        status: typeof status === 'string' ? status : 'not_ready',
        delayMs: hintOf(response, body),
      };
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...options},
  );
};
