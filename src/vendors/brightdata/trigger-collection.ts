/**
 * @module `triggerCollection()`: starts a BrightData collection job and returns its snapshot id.
 */
import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {unexpectedBody} from './unexpected-body.ts';

/**
 * What to collect: the dataset, its inputs, and the trigger's query options.
 *
 * @example
 * ```ts
 * const request: TriggerRequest = {datasetId: 'gd_l1viktl72bvl7bjuj0', inputs: [{url: 'https://www.linkedin.com/in/someone/'}], includeErrors: true};
 * ```
 */
export type TriggerRequest = {
  /** The dataset (scraper) id, `gd_…`. */
  readonly datasetId: string;
  /** The inputs, sent as the JSON array body; at least one. */
  readonly inputs: readonly unknown[];
  /**
   * Include per-record errors (`error_code`) in the results.
   * @default undefined (BrightData's default)
   */
  readonly includeErrors?: boolean;
  /**
   * Only these output fields (sent pipe-separated).
   * @default undefined (all fields)
   */
  readonly customOutputFields?: readonly string[];
  /**
   * Run a discovery (`type=discover_new`) by this method (`keyword`, `url`, …).
   * @default undefined (collect by URL)
   */
  readonly discoverBy?: string;
  /**
   * Most records per input (discovery).
   * @default undefined
   */
  readonly limitPerInput?: number;
  /**
   * Most records for the whole job.
   * @default undefined
   */
  readonly limitMultipleResults?: number;
  /**
   * A URL BrightData notifies when the job ends.
   * @default undefined
   */
  readonly notify?: string;
  /**
   * Any other query parameter the trigger accepts (they win over the fields above).
   * @default {}
   */
  readonly searchParams?: Readonly<Record<string, string | number | boolean>>;
};

/**
 * Options of `triggerCollection()`. Every field is optional.
 *
 * @example
 * ```ts
 * await triggerCollection(api, request, {signal: AbortSignal.timeout(60_000)});
 * ```
 */
export type TriggerOptions = {
  /** Aborts the trigger request. */
  readonly signal?: AbortSignal;
};

/** The trigger's query for a request. */
export const triggerQuery = (request: TriggerRequest): Record<string, string | number | boolean> => {
  if (typeof request.datasetId !== 'string' || request.datasetId.trim() === '') {
    throw new TypeError('`datasetId` must be a non-empty string');
  }
  return {
    dataset_id: request.datasetId,
    ...(request.includeErrors === undefined ? {} : {include_errors: request.includeErrors}),
    ...(request.customOutputFields === undefined
      ? {}
      : {custom_output_fields: request.customOutputFields.join('|')}),
    ...(request.discoverBy === undefined ? {} : {type: 'discover_new', discover_by: request.discoverBy}),
    ...(request.limitPerInput === undefined ? {} : {limit_per_input: request.limitPerInput}),
    ...(request.limitMultipleResults === undefined
      ? {}
      : {limit_multiple_results: request.limitMultipleResults}),
    ...(request.notify === undefined ? {} : {notify: request.notify}),
    ...request.searchParams,
  };
};

/** Checks the inputs: an empty list would only earn a 400 "No data to trigger". */
export const checkInputs = (inputs: readonly unknown[]): void => {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new TypeError('`inputs` must be a non-empty array');
  }
};

/**
 * `POST datasets/v3/trigger?dataset_id=…` with the inputs as a JSON array; resolves with the
 * `snapshot_id`. Each call starts a paid job, so the POST is resent only when BrightData proves
 * it started nothing (429 "too many running jobs", which `withVendor(brightdata)` waits out, 2 s
 * then doubling), never after a 500 or a network error, whose outcome is unknown.
 *
 * @throws {RateLimitError} when the running-jobs cap still holds after every retry.
 * @throws {ServerError} for a 500 (not resent: the job may exist; check `GET datasets/v3/snapshots`).
 * @throws {ValidationError} / {NotFoundError} for bad inputs or an unknown dataset.
 * @example
 * ```ts
 * const snapshotId = await triggerCollection(api, {datasetId, inputs: [{url}]});
 * ```
 */
export const triggerCollection = async (
  api: KyInstance,
  request: TriggerRequest,
  options: TriggerOptions = {},
): Promise<string> => {
  requireVendor(api, 'brightdata', 'triggerCollection');
  const searchParams = triggerQuery(request);
  checkInputs(request.inputs);
  const response = await api.post('datasets/v3/trigger', {
    searchParams,
    json: request.inputs,
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  });
  const body = await response.json<{snapshot_id?: unknown}>();
  const snapshotId = body?.snapshot_id;
  if (typeof snapshotId !== 'string' || snapshotId === '') {
    throw unexpectedBody(response, body, 'a snapshot_id');
  }
  return snapshotId;
};
