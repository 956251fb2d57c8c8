/**
 * @module `cancelSnapshot()`: stops a running BrightData collection.
 */
import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {brightdata} from './brightdata.ts';
import {segment} from './segment.ts';

/**
 * Options of `cancelSnapshot()`. Every field is optional.
 *
 * @example
 * ```ts
 * await cancelSnapshot(api, id, {signal: AbortSignal.timeout(30_000)});
 * ```
 */
export type CancelSnapshotOptions = {
  /** Aborts the request. */
  readonly signal?: AbortSignal;
};

/**
 * `POST datasets/v3/snapshot/:snapshot_id/cancel`. Resolves `true` when the job was running and
 * is now cancelled, `false` when BrightData answers "Snapshot is not running" (it already ended,
 * or was cancelled before): either way it is not running any more. Cancelling twice does no harm,
 * so this POST is retried on 5xx and network errors like a read; after such a retry a cancel that
 * did land first reports `false`.
 *
 * @throws {NotFoundError} for "Snapshot does not exist".
 * @example
 * ```ts
 * if (await cancelSnapshot(api, id)) console.log('cancelled');
 * ```
 */
export const cancelSnapshot = async (
  api: KyInstance,
  snapshotId: string,
  options: CancelSnapshotOptions = {},
): Promise<boolean> => {
  requireVendor(api, 'brightdata', 'cancelSnapshot');
  const path = `datasets/v3/snapshot/${segment('snapshotId', snapshotId)}/cancel`;
  try {
    const response = await api.post(path, {
      context: {idempotent: true},
      ...(options.signal === undefined ? {} : {signal: options.signal}),
    });
    await response.body?.cancel();
    return true;
  } catch (error) {
    if (isVendorError(error, brightdata) && error.category === 'conflict') {
      return false;
    }
    throw error;
  }
};
