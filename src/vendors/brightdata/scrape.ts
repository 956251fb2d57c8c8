/**
 * @module `scrape()`: BrightData's synchronous collection, handed over to polling when it runs long.
 */
import type {KyInstance, KyResponse} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {NotReadyError} from '../../errors/NotReadyError.ts';
import {abortableSleep} from '../../poll/abortable-sleep.ts';
import type {CollectOptions} from './collect.ts';
import {startDeadline} from './deadline.ts';
import {downloadSnapshot} from './download-snapshot.ts';
import type {SnapshotFormat} from './snapshot-query.ts';
import {checkInputs, type TriggerRequest, triggerQuery} from './trigger-collection.ts';
import {unexpectedBody} from './unexpected-body.ts';
import {type SnapshotProgress, waitForSnapshot} from './wait-for-snapshot.ts';

/**
 * What to scrape synchronously: the trigger's fields and the format of the answer.
 *
 * @example
 * ```ts
 * const request: ScrapeRequest = {datasetId: 'gd_l1viktl72bvl7bjuj0', inputs: [{url}], format: 'json'};
 * ```
 */
export type ScrapeRequest = TriggerRequest & {
  /**
   * The format of the records, for the direct answer and for a handed-over download alike.
   * @default 'json'
   */
  readonly format?: SnapshotFormat;
};

/**
 * Options of `scrape()`: those of `collect()` and the time the synchronous request may take.
 * Every field is optional.
 *
 * @example
 * ```ts
 * await scrape(api, request, {requestTimeoutMs: 75_000, timeoutMs: 10 * 60_000});
 * ```
 */
export type ScrapeOptions = CollectOptions & {
  /**
   * ky's `timeout` for the synchronous POST: BrightData holds it up to a minute before it hands
   * over a `snapshot_id`. A timeout is not resent (the job may run).
   * @default 90_000
   */
  readonly requestTimeoutMs?: number;
};

/** What `scrape()` resolves with. */
export type ScrapeResult = {
  /** The snapshot id when the scrape was handed over to polling; `undefined` for a direct answer. */
  readonly snapshotId: string | undefined;
  /** The last progress body when the scrape was handed over. */
  readonly progress: SnapshotProgress | undefined;
  /** The records, body unread (`snapshotJson()`, `snapshotRecords()`). */
  readonly response: KyResponse;
};

const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;

type Handover = {readonly snapshotId: string; readonly delayMs: number | undefined};

const snapshotIdOf = (body: unknown): string | undefined => {
  const id = (body as {snapshot_id?: unknown} | undefined)?.snapshot_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/** The `snapshot_id` of a 202 "still in progress", thrown by the hooks as `NotReadyError`. */
const handoverOf = (error: unknown): Handover | undefined => {
  if (!(error instanceof NotReadyError)) return undefined;
  const snapshotId = snapshotIdOf(error.envelope);
  return snapshotId === undefined ? undefined : {snapshotId, delayMs: error.statedDelayMs};
};

/**
 * `POST datasets/v3/scrape?dataset_id=…` with `{input: [...]}`: BrightData answers with the
 * records within about a minute, or with 202 `{snapshot_id, message}` and a `Retry-After` when the
 * job runs longer. That 202 is handed over: after the `Retry-After` wait, `waitForSnapshot()` and
 * `downloadSnapshot()` take it to the end, within the same `timeoutMs`. Either way the records
 * come back as a `Response`, body unread.
 *
 * Like the trigger, the POST is resent only on BrightData's 429 (no job started).
 *
 * @throws {JobFailedError} (or the error of its message) when a handed-over job fails.
 * @throws {NotReadyError} when `timeoutMs` passes, with the last status.
 * @example
 * ```ts
 * const {response} = await scrape(api, {datasetId, inputs: [{url}]});
 * const records = await snapshotJson<Profile[]>(response);
 * ```
 */
export const scrape = async (
  api: KyInstance,
  request: ScrapeRequest,
  options: ScrapeOptions = {},
): Promise<ScrapeResult> => {
  requireVendor(api, 'brightdata', 'scrape');
  const deadline = startDeadline(options);
  const format = request.format ?? 'json';
  const searchParams = {...triggerQuery(request), format};
  checkInputs(request.inputs);
  const {signal} = options;
  let handover: Handover | undefined;
  try {
    const response = await api.post('datasets/v3/scrape', {
      searchParams,
      json: {input: request.inputs},
      timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      ...(signal === undefined ? {} : {signal}),
    });
    if (response.status !== 202) {
      return {snapshotId: undefined, progress: undefined, response};
    }
    // The policy throws a 202 with a snapshot_id as NotReadyError; a bare 202 has no handover.
    throw unexpectedBody(response, undefined, 'a snapshot_id');
  } catch (error) {
    handover = handoverOf(error);
    if (handover === undefined) {
      throw error;
    }
  }
  options.onSnapshotId?.(handover.snapshotId);
  // The 202 said when to look again; looking sooner only costs a request.
  await abortableSleep(Math.min(handover.delayMs ?? 0, deadline.remainingMs()), signal);
  const progress = await waitForSnapshot(api, handover.snapshotId, deadline.rest(options));
  const response = await downloadSnapshot(api, handover.snapshotId, deadline.rest({...options, format}));
  return {snapshotId: handover.snapshotId, progress, response};
};
