/**
 * @module `waitForDelivery()`: polls a BrightData delivery until its files are delivered.
 */
import type {KyInstance} from 'ky';
import {parseRetryAfter} from '../../core/parse-retry-after.ts';
import {type PollOptions, poll} from '../../poll/poll.ts';
import {FAILED_STATUSES, failedStatusError} from './failed-status-error.ts';
import {segment} from './segment.ts';
import {BRIGHTDATA_POLL_INTERVAL_MS} from './wait-for-snapshot.ts';

/** The body of `GET datasets/v3/delivery/:delivery_id`; `status` is `done`, `failed`, `canceled` or a state in between. */
export type DeliveryStatus = {
  readonly id?: string;
  readonly status: string;
  /** The delivered files, once `done`. */
  readonly delivery_files?: readonly {readonly filename: string; readonly delivery_ts?: number | string}[];
  readonly [field: string]: unknown;
};

/**
 * Options of `waitForDelivery()`: the poll options. Every field is optional.
 *
 * @example
 * ```ts
 * await waitForDelivery(api, deliveryId, {timeoutMs: 30 * 60_000});
 * ```
 */
export type WaitForDeliveryOptions = PollOptions;

/**
 * Polls `GET datasets/v3/delivery/:delivery_id` until `status` is `done` and resolves with that
 * body; `failed`, `error` and `canceled` throw. Any other status keeps polling (10 s, or the
 * server's `Retry-After`), and transient failures of a poll are waited out.
 *
 * @throws {JobFailedError} when the delivery failed or was cancelled.
 * @throws {NotReadyError} when `timeoutMs` passes, with the last status.
 * @example
 * ```ts
 * const {delivery_files} = await waitForDelivery(api, await deliverSnapshot(api, id, target));
 * ```
 */
export const waitForDelivery = async (
  api: KyInstance,
  deliveryId: string,
  options: WaitForDeliveryOptions = {},
): Promise<DeliveryStatus> => {
  const path = `datasets/v3/delivery/${segment('deliveryId', deliveryId)}`;
  return poll<DeliveryStatus>(
    async ({signal}) => {
      const response = await api.get(path, signal === undefined ? {} : {signal});
      const body = await response.json<DeliveryStatus>();
      const status = typeof body?.status === 'string' ? body.status.trim().toLowerCase() : 'unknown';
      if (status === 'done') {
        return {done: true, value: body};
      }
      if (FAILED_STATUSES.has(status)) {
        throw failedStatusError(response, body, 'delivery');
      }
      return {done: false, status, delayMs: parseRetryAfter(response.headers.get('retry-after'))};
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...options},
  );
};
