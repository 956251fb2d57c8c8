/**
 * @module `waitForDelivery()`: polls a BrightData delivery until its files are delivered.
 */
import type {KyInstance} from 'ky';
import {statedWaitOf} from '../../core/stated-wait.ts';
import {requireVendor} from '../../core/vendor-of.ts';
import {type PollOptions, poll} from '../../poll/poll.ts';
import {segment} from './segment.ts';
import {unexpectedBody} from './unexpected-body.ts';
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
  const vendor = requireVendor(api, 'brightdata', 'waitForDelivery');
  const path = `datasets/v3/delivery/${segment('deliveryId', deliveryId)}`;
  return poll<DeliveryStatus>(
    async ({signal}) => {
      const response = await api.get(path, signal === undefined ? {} : {signal});
      const body = await response.json<DeliveryStatus>();
      if (typeof body?.status !== 'string') {
        throw unexpectedBody(response, body, 'a status');
      }
      // Failed and canceled deliveries were thrown as typed errors by the policy.
      const status = body.status.trim().toLowerCase();
      return status === 'done'
        ? {done: true, value: body}
        : {done: false, status, delayMs: statedWaitOf(response)};
    },
    {intervalMs: BRIGHTDATA_POLL_INTERVAL_MS, ...options},
    {vendor: vendor.name},
  );
};
