/**
 * @module `deliverSnapshot()`: asks BrightData to push a snapshot to storage or a webhook.
 */
import type {KyInstance} from 'ky';
import {registerSecret} from '../../core/redact.ts';
import {requireVendor} from '../../core/vendor-of.ts';
import {segment} from './segment.ts';
import {unexpectedBody} from './unexpected-body.ts';

/**
 * Where and how to deliver, as BrightData's `deliver` object: `type` and the fields that type
 * needs (`bucket`, `directory`, `credentials`, `endpoint`, `filename`, …).
 *
 * @example
 * ```ts
 * const target: DeliveryTarget = {
 *   type: 's3',
 *   bucket: 'my-bucket',
 *   directory: 'brightdata/',
 *   filename: {template: '{[snapshot_id]}', extension: 'jsonl'},
 *   credentials: {'aws-access-key': key, 'aws-secret-key': secret},
 * };
 * ```
 */
export type DeliveryTarget = {
  readonly type:
    | 'webhook'
    | 's3'
    | 'gcs'
    | 'gcs_pubsub'
    | 'azure'
    | 'ali_oss'
    | 'sftp'
    | 'snowflake'
    | (string & Record<never, never>);
  readonly filename?: {
    readonly template: string;
    readonly extension: 'json' | 'jsonl' | 'csv' | (string & Record<never, never>);
  };
  /** Storage credentials: every string value is redacted from this library's error messages. */
  readonly credentials?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
};

/**
 * Options of `deliverSnapshot()`. Every field is optional.
 *
 * @example
 * ```ts
 * await deliverSnapshot(api, id, target, {compress: true, batchSize: 100_000, notify: 'https://example.com/hook'});
 * ```
 */
export type DeliverSnapshotOptions = {
  /**
   * Gzip the delivered files.
   * @default undefined (BrightData's default, uncompressed)
   */
  readonly compress?: boolean;
  /**
   * Records per delivered file (BrightData's minimum is 1000; one file is at most 5 GB).
   * @default undefined (one file)
   */
  readonly batchSize?: number;
  /**
   * A URL BrightData notifies when the delivery ends.
   * @default undefined
   */
  readonly notify?: string;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
};

/** Registers every string of `value`, redacted while `owner` (the caller's target) is alive. */
const registerCredentials = (value: unknown, owner: object, depth = 0): void => {
  if (typeof value === 'string') {
    registerSecret(value, {owner});
  } else if (typeof value === 'object' && value !== null && depth < 4) {
    for (const field of Object.values(value)) registerCredentials(field, owner, depth + 1);
  }
};

/**
 * `POST datasets/v3/deliver/:snapshot_id` with `{deliver, compress, batch_size}`; resolves with
 * the `delivery_id` to follow with `waitForDelivery()`. The POST is not resent after a 500 or a
 * network error (it may have started a delivery); call it again yourself if you want a second one.
 *
 * @throws {NotReadyError} for "Snapshot is not ready" (wait with `waitForSnapshot()` first).
 * @throws {ValidationError} for missing options, a too small batch or a snapshot too big for one file.
 * @example
 * ```ts
 * const deliveryId = await deliverSnapshot(api, id, {type: 'webhook', endpoint: 'https://example.com/in'});
 * await waitForDelivery(api, deliveryId);
 * ```
 */
export const deliverSnapshot = async (
  api: KyInstance,
  snapshotId: string,
  target: DeliveryTarget,
  options: DeliverSnapshotOptions = {},
): Promise<string> => {
  requireVendor(api, 'brightdata', 'deliverSnapshot');
  const path = `datasets/v3/deliver/${segment('snapshotId', snapshotId)}`;
  if (typeof target?.type !== 'string' || target.type === '') {
    throw new TypeError('`target.type` must name a delivery type (`s3`, `webhook`, …)');
  }
  registerCredentials(target.credentials, target);
  const response = await api.post(path, {
    json: {
      deliver: target,
      ...(options.compress === undefined ? {} : {compress: options.compress}),
      ...(options.batchSize === undefined ? {} : {batch_size: options.batchSize}),
    },
    ...(options.notify === undefined ? {} : {searchParams: {notify: options.notify}}),
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  });
  const body = await response.json<{delivery_id?: unknown}>();
  const deliveryId = body?.delivery_id;
  if (typeof deliveryId !== 'string' || deliveryId === '') {
    throw unexpectedBody(response, body, 'a delivery_id');
  }
  return deliveryId;
};
