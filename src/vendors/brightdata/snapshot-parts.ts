/**
 * @module `snapshotParts()`: how many parts a BrightData snapshot downloads in.
 */
import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {type PollOptions, poll} from '../../poll/poll.ts';
import {segment} from './segment.ts';
import {type SnapshotSliceOptions, snapshotQuery} from './snapshot-query.ts';
import {unexpectedBody} from './unexpected-body.ts';
import {BRIGHTDATA_POLL_INTERVAL_MS} from './wait-for-snapshot.ts';

/**
 * Options of `snapshotParts()`: the slice (use the same `format`, `compress` and `batchSize` for
 * the downloads) and the poll options for a snapshot not ready yet. Every field is optional.
 *
 * @example
 * ```ts
 * const parts = await snapshotParts(api, id, {format: 'ndjson', batchSize: 10_000});
 * ```
 */
export type SnapshotPartsOptions = PollOptions & SnapshotSliceOptions;

/**
 * `GET datasets/v3/snapshot/:snapshot_id/parts` → the number of parts. While BrightData answers
 * 400 "Snapshot is not ready" it waits (10 s, or the hint) until `timeoutMs`.
 *
 * @throws {NotReadyError} when `timeoutMs` passes first.
 * @throws {NotFoundError} for "Snapshot does not exist" or an expired snapshot.
 * @example
 * ```ts
 * const parts = await snapshotParts(api, id, {format: 'ndjson', batchSize: 10_000});
 * for (let part = 1; part <= parts; part++) {
 *   const response = await downloadSnapshot(api, id, {format: 'ndjson', batchSize: 10_000, part});
 *   for await (const record of snapshotRecords(response)) await save(record);
 * }
 * ```
 */
export const snapshotParts = async (
  api: KyInstance,
  snapshotId: string,
  options: SnapshotPartsOptions = {},
): Promise<number> => {
  const vendor = requireVendor(api, 'brightdata', 'snapshotParts');
  const path = `datasets/v3/snapshot/${segment('snapshotId', snapshotId)}/parts`;
  const searchParams = snapshotQuery(options);
  return poll<number>(
    async ({signal}) => {
      const response = await api.get(path, {searchParams, ...(signal === undefined ? {} : {signal})});
      const body = await response.json<{parts?: unknown}>();
      const parts = body?.parts;
      if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 0) {
        throw unexpectedBody(response, body, 'an integer `parts`');
      }
      return {done: true, value: parts};
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...options},
    {vendor: vendor.name},
  );
};
