/**
 * @module The BrightData vendor: Web Scraper API (datasets v3) messages, status bodies and code table.
 */
import {
  defineVendor,
  type Evidence,
  envelope,
  type ResponseHead,
  type Vendor,
} from '../../core/define-vendor.ts';
import {tryAgainInHint} from '../../core/hints.ts';
import {fingerprint, hostAndPath} from '../../core/rate-key.ts';
import {notReady} from '../../core/rule.ts';
import * as z from '../../core/zod-core.ts';
import {type BrightdataCodeTable, brightdataCodes} from './codes.ts';

/** How many entries of an error list go into a message; the whole list stays in `envelope`. */
const MAX_LISTED_ERRORS = 5;

/** Status bodies that may say `failed` in a 2xx: progress and delivery (small JSON objects). */
const STATUS_PATH = /\/datasets\/v3\/(?:progress|delivery)\//;

/** Terminal failure values of the open `status` set (`error` is what BrightData's own SDK expects too). */
const FAILED_STATUS = /^(?:failed|error)$/i;

/**
 * A cancelled job or delivery: the docs spell it `canceled` (delivery status, snapshot list),
 * BrightData's JS SDK schema `cancelled`. Terminal: it never becomes `ready` or `done`.
 */
const CANCELED_STATUS = /^cancel+ed$/i;

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

const firstText = (...values: readonly unknown[]): string | undefined => {
  for (const value of values) {
    if (typeof value === 'string' && value.trim().length > 0) {
      return value.trim();
    }
  }
  return undefined;
};

/** `["url is required"]`, `[["url", "must be a valid url"]]` or objects → one line. */
const listErrors = (errors: readonly unknown[]): string =>
  errors
    .slice(0, MAX_LISTED_ERRORS)
    .map((item) =>
      Array.isArray(item)
        ? item.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(': ')
        : typeof item === 'string'
          ? item
          : JSON.stringify(item),
    )
    .filter((text) => typeof text === 'string' && text.length > 0)
    .join('; ');

const withDetail = (head: string, detail: string): string =>
  detail.length > 0 ? `${head}: ${detail}` : head;

/** `{validation_errors: [...]}`: the older validation shape of the per-endpoint list. */
const legacyValidation = envelope(z.object({validation_errors: z.array(z.unknown())}), (body) => ({
  code: 'validation_error',
  message: withDetail('Invalid input', listErrors(body.validation_errors)),
}));

/** `{error, code: "validation_error" | "parse_error", errors?: [[field, reason]]}`. */
const codedError = envelope(
  z.object({
    error: z.string(),
    code: z.enum(['validation_error', 'parse_error']),
    // Any type: a stray `errors` must not hide the code (read keeps an array only).
    errors: z.optional(z.unknown()),
  }),
  (body) => ({
    code: body.code,
    message: withDetail(body.error, listErrors(Array.isArray(body.errors) ? body.errors : [])),
  }),
);

/**
 * `{status, message?, error_message?}`: progress and delivery (`status: "failed"` is a failed job,
 * any other value a job still going or done) and the snapshot's 202 ("try again in 10s").
 */
const statusBody = envelope(
  z.object({
    status: z.string(),
    message: z.optional(z.unknown()),
    error_message: z.optional(z.unknown()),
    error: z.optional(z.unknown()),
  }),
  (body, {status}): Evidence | undefined => {
    const message = firstText(body.error_message, body.message, body.error);
    if (isSuccess(status) && CANCELED_STATUS.test(body.status.trim())) {
      return {code: 'job_canceled', message: message ?? `The job or delivery was ${body.status.trim()}`};
    }
    if (isSuccess(status) && FAILED_STATUS.test(body.status.trim())) {
      return {message, fallbackCode: 'job_failed'};
    }
    if (status === 202) {
      return {message, fallbackCode: 'snapshot_not_ready'};
    }
    return isSuccess(status) ? undefined : {message};
  },
);

/** `{error: "Snapshot not found"}` (the log endpoint's 404). */
const plainError = envelope(z.object({error: z.string()}), (body) => ({message: body.error}));

/** The synchronous scrape's 202 `{snapshot_id, message}`: it became an async job. */
const scrapeAccepted = envelope(
  z.object({snapshot_id: z.string(), message: z.string()}),
  (body, {status}): Evidence | undefined => {
    if (status === 202) {
      return {code: 'scrape_in_progress', message: body.message};
    }
    return isSuccess(status) ? undefined : {message: body.message};
  },
);

const pathOf = (url: string): string => hostAndPath(url)?.pathname ?? url;

/**
 * A 202 always (not ready, or a scrape turned async); other 2xx only from progress and delivery,
 * whose bodies are small. Snapshot downloads (possibly gigabytes) are never read.
 */
const inspect = ({status, url}: ResponseHead): boolean =>
  status === 202 || (isSuccess(status) && STATUS_PATH.test(pathOf(url)));

/**
 * BrightData's Web Scraper API (datasets v3) on `api.brightdata.com`.
 *
 * - Errors are plain-text messages (matched against the table by prefix), except the JSON
 *   `validation_error` / `parse_error` bodies and `{validation_errors: [...]}`.
 * - Errors hide in 2xx: the snapshot answers 202 "Snapshot is building, try again in 10s" (a poll
 *   verdict with a 10 s wait), progress answers 200 `{status: "failed", error_message}` (a typed
 *   error per message), progress or delivery `{status: "canceled" | "cancelled"}` is a terminal
 *   `job_canceled`, and a bare 202 is "not ready".
 * - "Too many running jobs" (429) started no job, so even the trigger POST is resent, no faster
 *   than 2 s; a 500 on the trigger is never resent, as it may have started a paid job.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import {brightdata, isVendorError, withVendor} from 'ky-vendors';
 *
 * const api = ky.create({prefix: 'https://api.brightdata.com', ...withVendor(brightdata)});
 * try {
 *   const {snapshot_id} = await api
 *     .post('datasets/v3/trigger', {searchParams: {dataset_id}, json: inputs})
 *     .json<{snapshot_id: string}>();
 * } catch (error) {
 *   if (isVendorError(error, brightdata) && error.code === 'too_many_running_jobs') {
 *     // still throttled after every retry: slow the batch down
 *   }
 * }
 * ```
 */
export const brightdata: Vendor<'brightdata', BrightdataCodeTable> = defineVendor({
  name: 'brightdata',
  // BrightData's limits and its 25-429 ban belong to the account: keyed by a fingerprint of the API key.
  rateKey: (request) =>
    `brightdata:${hostAndPath(request.url)?.host ?? ''}:${fingerprint(request.headers.get('authorization'))}`,
  hosts: ['api.brightdata.com'],
  envelopes: [legacyValidation, codedError, statusBody, plainError, scrapeAccepted],
  text: (text) => ({message: text.trim()}),
  codes: brightdataCodes,
  hints: [tryAgainInHint],
  statuses: {
    /** A 2xx that is not the data: BrightData answers 202 while the snapshot is being built. */
    202: {
      status: 202,
      message: 'Snapshot is not ready yet, try again in 10s',
      ...notReady,
      delayMs: 10_000,
    },
  },
  inspect,
  // BrightData's own advice for 429s: back off 2, 4, 8, 16 and 32 seconds.
  backoff: {baseDelayMs: 2000, maxDelayMs: 32_000},
  retryLimit: 5,
  // BrightData blocks the IP on every request after 25 429s in 5 minutes until support clears it;
  // its own advice is to slow down at 10.
  throttleGuard: {
    maxThrottles: 10,
    windowMs: 5 * 60_000,
    reason: 'BrightData blocks an IP after 25 429 responses in 5 minutes; sending paused after 10',
  },
});
