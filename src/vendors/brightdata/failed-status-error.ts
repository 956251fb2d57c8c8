/**
 * @module The typed error for a status body that reports a failed job or delivery.
 */
import {classify} from '../../classify/classify.ts';
import {createVendorError} from '../../errors/create-vendor-error.ts';
import {JobFailedError} from '../../errors/JobFailedError.ts';
import type {VendorError} from '../../errors/VendorError.ts';
import {brightdata} from './brightdata.ts';

/**
 * Statuses after which waiting is pointless. The open set BrightData reports (`starting`,
 * `running`, `building`, `collecting`, `digesting`, …) is otherwise all "keep waiting".
 */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed', 'error', 'canceled', 'cancelled']);

/**
 * The error for a 2xx status body that says the job ended badly. An instance made with
 * `withVendor(brightdata)` has already thrown it from its hooks; this covers statuses the table
 * does not read (`canceled`) and instances without the hooks, with the same classification.
 */
export const failedStatusError = (response: Response, body: unknown, what: string): VendorError => {
  const verdict = classify(brightdata, {status: response.status, headers: response.headers, body});
  const url = response.url === '' ? undefined : response.url;
  const context = {envelope: body, method: 'GET', url, response};
  if (verdict.action === 'fail') {
    return createVendorError(verdict, context);
  }
  const status = (body as {status?: unknown}).status;
  return new JobFailedError({
    ...context,
    vendor: brightdata.name,
    action: 'fail',
    category: 'job_failed',
    status: response.status,
    code: 'job_failed',
    message: `${what} ${String(status)}`,
  });
};
