/**
 * @module `listSnapshots()`: BrightData's snapshot list, filtered by dataset, status and time.
 */
import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {unexpectedBody} from './unexpected-body.ts';

/**
 * One entry of `GET datasets/v3/snapshots`. BrightData documents the endpoint and its filters but
 * not the entry's fields: `id`, `dataset_id`, `status` and `created` are assumed (they are what
 * the progress endpoint and BrightData's tools show), and any other field is kept.
 */
export type SnapshotSummary = {
  readonly id: string;
  readonly dataset_id?: string;
  readonly status?: string;
  /** When the job was created, ISO 8601 (assumed). */
  readonly created?: string;
  readonly [field: string]: unknown;
};

/**
 * The documented filters of `GET datasets/v3/snapshots`. Every field is optional.
 *
 * @example
 * ```ts
 * await listSnapshots(api, {datasetId, fromDate: new Date(Date.now() - 3_600_000), status: 'running'});
 * ```
 */
export type ListSnapshotsOptions = {
  /** Only this dataset's snapshots (`dataset_id`). */
  readonly datasetId?: string;
  /** Only snapshots in this status (`status`). */
  readonly status?: string;
  /** Created at or after this moment (`from_date`, sent as ISO 8601: the format is assumed). */
  readonly fromDate?: Date;
  /** Created at or before this moment (`to_date`, ISO 8601, assumed). */
  readonly toDate?: Date;
  /**
   * Entries to skip (`skip`).
   * @default 0
   */
  readonly skip?: number;
  /**
   * Most entries to return (`limit`, at most 5000).
   * @default 5000
   */
  readonly limit?: number;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
};

const isoDate = (name: string, value: Date): string => {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`\`${name}\` must be a valid Date`);
  }
  return value.toISOString();
};

/**
 * `GET datasets/v3/snapshots` with the documented filters (`dataset_id`, `status`, `from_date`,
 * `to_date`, `skip`, `limit ≤ 5000`). A read: retried on 5xx and network errors by the policy.
 *
 * @throws {TypeError} for a date that is not a valid `Date` or a `limit` outside 1–5000.
 * @example
 * ```ts
 * const running = await listSnapshots(api, {datasetId: 'gd_l1viktl72bvl7bjuj0', status: 'running'});
 * ```
 */
export const listSnapshots = async (
  api: KyInstance,
  options: ListSnapshotsOptions = {},
): Promise<SnapshotSummary[]> => {
  requireVendor(api, 'brightdata', 'listSnapshots');
  const {skip, limit} = options;
  if (skip !== undefined && (!Number.isInteger(skip) || skip < 0)) {
    throw new TypeError(`\`skip\` must be a non-negative integer, got ${skip}`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 5000)) {
    throw new TypeError(`\`limit\` must be an integer from 1 to 5000, got ${limit}`);
  }
  const searchParams: Record<string, string | number> = {
    ...(options.datasetId === undefined ? {} : {dataset_id: options.datasetId}),
    ...(options.status === undefined ? {} : {status: options.status}),
    ...(options.fromDate === undefined ? {} : {from_date: isoDate('fromDate', options.fromDate)}),
    ...(options.toDate === undefined ? {} : {to_date: isoDate('toDate', options.toDate)}),
    ...(skip === undefined ? {} : {skip}),
    ...(limit === undefined ? {} : {limit}),
  };
  const response = await api.get('datasets/v3/snapshots', {
    searchParams,
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  });
  const body = await response.json<unknown>();
  if (!Array.isArray(body)) {
    throw unexpectedBody(response, body, 'an array of snapshots');
  }
  return body.filter(
    (entry): entry is SnapshotSummary =>
      typeof entry === 'object' && entry !== null && typeof (entry as {id?: unknown}).id === 'string',
  );
};
