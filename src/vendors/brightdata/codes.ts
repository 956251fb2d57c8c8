/**
 * @module BrightData's error messages (Web Scraper API, datasets v3), one row per message, by endpoint.
 */
import type {CodeTable} from '../../core/define-vendor.ts';
import {
  auth,
  conflict,
  jobFailed,
  notFound,
  notReady,
  permission,
  serverRetry,
  throttled,
  validation,
} from '../../core/rule.ts';

const TRIGGER = 'POST /datasets/v3/trigger';
const SCRAPE = 'POST /datasets/v3/scrape';
const SNAPSHOT = 'GET /datasets/v3/snapshot/:snapshot_id';
const PARTS = 'GET /datasets/v3/snapshot/:snapshot_id/parts';
const INPUT = 'GET /datasets/v3/snapshot/:snapshot_id/input';
const CANCEL = 'POST /datasets/v3/snapshot/:snapshot_id/cancel';
const PROGRESS = 'GET /datasets/v3/progress/:snapshot_id';
const DELIVERY = 'GET /datasets/v3/delivery/:delivery_id';
const DELIVER = 'POST /datasets/v3/deliver/:snapshot_id';
const SNAPSHOTS = 'GET /datasets/v3/snapshots';
const LOG = 'GET /datasets/v3/log/:snapshot_id';

const EVERY_ENDPOINT = [
  TRIGGER,
  SCRAPE,
  SNAPSHOT,
  PARTS,
  INPUT,
  CANCEL,
  PROGRESS,
  DELIVERY,
  DELIVER,
  SNAPSHOTS,
];

/** How long BrightData asks a caller to wait for a snapshot ("try again in 10s"). */
const SNAPSHOT_POLL_MS = 10_000;

/**
 * Every message of BrightData's per-endpoint error list, keyed by a slug: BrightData sends no codes
 * except `validation_error` and `parse_error`, so rows are found by `match` (the message prefix,
 * case-insensitive, or a RegExp for messages with variables). One row serves a message on every
 * endpoint listed in `endpoints`. Rows are tried in order, so a longer message comes before its
 * prefix ("Snapshot is not ready yet" before "Snapshot is not ready").
 *
 * @example
 * ```ts
 * brightdataCodes.too_many_running_jobs; // {status: 429, category: 'rate_limited', action: 'throttle', delayMs: 2000, …}
 * ```
 */
export const brightdataCodes = {
  validation_error: {
    status: 400,
    message: 'Invalid input: {validation_errors: [ERRORS]}',
    endpoints: [TRIGGER, SCRAPE, SNAPSHOT, PARTS, DELIVER, SNAPSHOTS],
    ...validation,
  },
  parse_error: {
    status: 400,
    message: 'The request body could not be parsed',
    endpoints: [TRIGGER, SCRAPE],
    ...validation,
  },
  dataset_missing: {
    status: 400,
    message: 'dataset missing',
    match: 'dataset missing',
    endpoints: [TRIGGER],
    ...validation,
  },
  invalid_attachments: {
    status: 400,
    message: 'Invalid attachments',
    match: 'Invalid attachments',
    endpoints: [TRIGGER],
    ...validation,
  },
  dataset_not_allowed: {
    status: 400,
    message: 'This dataset is not allowed for API',
    match: 'This dataset is not allowed for API',
    endpoints: [TRIGGER],
    ...validation,
  },
  /** The dataset, not a snapshot: nothing documents that it passes, so it is not retried. */
  dataset_not_ready: {
    status: 400,
    message: 'This dataset is not ready yet',
    match: 'This dataset is not ready yet',
    endpoints: [TRIGGER],
    ...validation,
  },
  no_data_to_trigger: {
    status: 400,
    message: 'No data to trigger',
    match: 'No data to trigger',
    endpoints: [TRIGGER],
    ...validation,
  },
  too_few_inputs: {
    status: 400,
    message: 'Should be at least LIMIT inputs',
    match: /^should be at least \S+ inputs?\b/i,
    endpoints: [TRIGGER],
    ...validation,
  },
  dataset_not_found: {
    status: 404,
    message: 'dataset does not exist',
    match: 'dataset does not exist',
    endpoints: [TRIGGER],
    ...notFound,
  },
  /** Not in the per-endpoint list: answered when `dataset_id` is missing (research 1.7). */
  collector_not_found: {
    status: 404,
    message: 'Collector not found',
    match: 'Collector not found',
    endpoints: [TRIGGER, SCRAPE],
    ...notFound,
  },
  /** No job was started, so resending the trigger is safe; BrightData asks for 2, 4, 8, 16, 32 s between tries and blocks the IP after 25 429s in 5 minutes. */
  too_many_running_jobs: {
    status: 429,
    message:
      'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request. Running jobs: RUNNING_JOBS>=JOBS_LIMIT',
    match: /^you have too many running jobs|running jobs:\s*\S+\s*>=\s*\S+/i,
    endpoints: [TRIGGER, SCRAPE],
    ...throttled,
    delayMs: 2000,
  },
  /** Retried for reads only: a POST (trigger, cancel, deliver) may have taken effect. Sent in a progress 200 {status: "failed", error_message}: the job failed. */
  internal_server_error: {
    status: 500,
    message: 'Internal server error',
    match: 'Internal server error',
    endpoints: EVERY_ENDPOINT,
    ...serverRetry,
    byStatus: {200: {...jobFailed}},
  },
  snapshot_not_ready: {
    status: 202,
    message: 'Snapshot is not ready yet, try again in 10s',
    match: 'Snapshot is not ready yet',
    endpoints: [SNAPSHOT],
    ...notReady,
    delayMs: SNAPSHOT_POLL_MS,
  },
  snapshot_building: {
    status: 202,
    message: 'Snapshot is building, try again in 10s',
    match: 'Snapshot is building',
    endpoints: [SNAPSHOT],
    ...notReady,
    delayMs: SNAPSHOT_POLL_MS,
  },
  /** A 400 that means "ask again later": the snapshot is still being collected; polled at the 10 s pace of the snapshot endpoint. */
  snapshot_not_ready_for_delivery: {
    status: 400,
    message: 'Snapshot is not ready',
    match: 'Snapshot is not ready',
    endpoints: [PARTS, DELIVER],
    ...notReady,
    delayMs: SNAPSHOT_POLL_MS,
  },
  /** The synchronous scrape outlived its minute and became an async job: poll progress with the `snapshot_id` of the body, at the pace of its Retry-After. */
  scrape_in_progress: {
    status: 202,
    message:
      'Your request is still in progress and cannot be retrieved in this call. Use the provided Snapshot ID to track progress via the Monitor Snapshot endpoint and download it once ready via the Download Snapshot endpoint.',
    match: 'Your request is still in progress',
    endpoints: [SCRAPE],
    ...notReady,
  },
  /** A 400 for a snapshot past its retention (16 to 30 days): gone for good. */
  snapshot_expired: {
    status: 400,
    message: 'Snapshot is expired',
    match: 'Snapshot is expired',
    endpoints: [SNAPSHOT, DELIVER],
    ...notFound,
  },
  /** The job finished without records: nothing to download and nothing to wait for. Sent in a progress 200 {status: "failed", error_message} too. */
  snapshot_empty: {
    status: 400,
    message: 'Snapshot is empty',
    match: 'Snapshot is empty',
    endpoints: [SNAPSHOT, DELIVER, PROGRESS],
    ...notFound,
  },
  deliver_options_missing: {
    status: 400,
    message: 'Deliver options are missing',
    match: 'Deliver options are missing',
    endpoints: [DELIVER],
    ...validation,
  },
  snapshot_too_big: {
    status: 400,
    message: 'Snapshot is too big for single file delivery',
    match: 'Snapshot is too big',
    endpoints: [DELIVER],
    ...validation,
  },
  batch_size_too_small: {
    status: 400,
    message: 'Batch size should be at least MIN_BATCH_SIZE',
    match: /^batch size should be at least\b/i,
    endpoints: [DELIVER],
    ...validation,
  },
  /** A 400 that says the input file of the snapshot does not exist. */
  snapshot_input_not_found: {
    status: 400,
    message: 'Snapshot input does not exist',
    match: 'Snapshot input does not exist',
    endpoints: [INPUT],
    ...notFound,
  },
  /** Cancelling a snapshot that already ended: its state conflicts with the request; the job is not running either way. */
  snapshot_not_running: {
    status: 400,
    message: 'Snapshot is not running',
    match: 'Snapshot is not running',
    endpoints: [CANCEL],
    ...conflict,
  },
  snapshot_not_found: {
    status: 404,
    message: 'Snapshot does not exist',
    match: /^snapshot (?:does not exist|not found)/i,
    endpoints: [SNAPSHOT, PARTS, INPUT, CANCEL, PROGRESS, DELIVER, LOG],
    ...notFound,
  },
  delivery_not_found: {
    status: 404,
    message: 'Delivery does not exist',
    match: 'Delivery does not exist',
    endpoints: [DELIVERY],
    ...notFound,
  },
  /** Deliver is a POST, so it is not resent unless the caller opts in; deliver again to retry. Sent in a progress 200 {status: "failed", error_message}: the job failed. */
  deliver_failed: {
    status: 500,
    message: 'Failed to deliver snapshot',
    match: 'Failed to deliver snapshot',
    endpoints: [DELIVER, PROGRESS],
    ...serverRetry,
    byStatus: {200: {...jobFailed}},
  },
  /** Sent in a progress 200 {status: "failed", error_message}: the job failed; trigger a new one to try again. */
  something_went_wrong: {
    status: 200,
    message: 'Something went wrong. Our team is looking into it.',
    match: 'Something went wrong',
    endpoints: [PROGRESS],
    ...jobFailed,
  },
  /** Sent in a progress 200 {status: "failed", error_message}: the account may not run jobs until BrightData lifts the suspension. */
  account_suspended: {
    status: 200,
    message: 'Account is suspended',
    match: 'Account is suspended',
    endpoints: [PROGRESS],
    ...permission,
  },
  /** Sent in a progress 200 {status: "failed", error_message}: the account must be activated in its settings first. */
  account_not_activated: {
    status: 200,
    message: 'Account is new, please activate it in account settings. URL',
    match: 'Account is new',
    endpoints: [PROGRESS],
    ...permission,
  },
  /** Sent in a progress 200 {status: "failed", error_message}: discovery found nothing to collect, so the job ended empty. */
  no_data_found: {
    status: 200,
    message: 'No data found in discovery',
    match: 'No data found in discovery',
    endpoints: [PROGRESS],
    ...notFound,
  },
  /** Sent in a progress 200 {status: "failed", error_message}: the job failed. */
  download_failed: {
    status: 200,
    message: 'Failed to download response',
    match: 'Failed to download response',
    endpoints: [PROGRESS],
    ...jobFailed,
  },
  /** Sent in a progress 200 {status: "failed", error_message}: the job failed. */
  collector_failed: {
    status: 200,
    message: 'Failed to trigger collector',
    match: 'Failed to trigger collector',
    endpoints: [PROGRESS],
    ...jobFailed,
  },
  /** Sent in a progress 200 {status: "failed", error_message}: the input was rejected; fix it before triggering again. */
  input_validation_failed: {
    status: 200,
    message: 'Input validation failed: DETAILS',
    match: 'Input validation failed',
    endpoints: [PROGRESS],
    ...validation,
  },
  /** Sent in a progress or delivery 200 {status: "canceled"} (or "cancelled", the spelling of BrightData's JS SDK schema): the job or delivery was cancelled and will not finish; waiting longer changes nothing. @brightdata/sdk 0.2.0 ends its wait on "ready" and "failed" only, so it polls a cancelled job forever. */
  job_canceled: {
    status: 200,
    message: 'Canceled',
    endpoints: [PROGRESS, DELIVERY],
    ...jobFailed,
  },
  /** Sent in a progress 200 {status: "failed", error_message} with a message not listed here: the fallback for every failed job or delivery. */
  job_failed: {
    status: 200,
    message: 'Collection failed',
    endpoints: [PROGRESS, DELIVERY],
    ...jobFailed,
  },
  credentials_missing: {
    status: 401,
    message: 'Credentials are missing',
    match: 'Credentials are missing',
    endpoints: EVERY_ENDPOINT,
    ...auth,
  },
  auth_method_not_supported: {
    status: 401,
    message: 'Auth method is not supported',
    match: 'Auth method is not supported',
    endpoints: EVERY_ENDPOINT,
    ...auth,
  },
  invalid_credentials: {
    status: 401,
    message: 'Invalid credentials',
    match: 'Invalid credentials',
    endpoints: EVERY_ENDPOINT,
    ...auth,
  },
} as const satisfies CodeTable;

type TableBrightdataCodeTable = typeof brightdataCodes;

/**
 * The type of BrightData's code table, by name: editors and `.d.ts` files show the name instead of spelling
 * out every row. An interface, since TypeScript shows an alias of a `typeof` by its expansion.
 */
export interface BrightdataCodeTable extends TableBrightdataCodeTable {}
