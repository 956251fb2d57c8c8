/**
 * @module The Supametas.AI vendor: the `{code, message, data}` envelope, business codes and statuses.
 */
import {defineVendor, envelope, type Vendor} from '../../core/define-vendor.ts';
import {fingerprint, hostAndPath} from '../../core/rate-key.ts';
import {
  auth,
  conflict,
  notFound,
  permission,
  serverRetry,
  throttled,
  transient,
  validation,
} from '../../core/rule.ts';
import type {VendorCodeValue} from '../../core/types.ts';
import * as z from '../../core/zod-core.ts';
import {SUPAMETAS_CODE_MEANINGS, type SupametasCodeTable, supametasCodes} from './codes.ts';

/** The code Supametas answers every success with. */
const SUCCESS_CODE = '0';

const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

/**
 * The vendor's message, with the table's English meaning beside it when the message is Chinese:
 * `参数值不正确 (a parameter value is incorrect)`.
 */
const withMeaning = (code: string, message: string | undefined): string | undefined => {
  const meaning = (SUPAMETAS_CODE_MEANINGS as Readonly<Record<string, string>>)[code.toUpperCase()];
  if (meaning === undefined || message === undefined || !CJK.test(message)) {
    return message;
  }
  return `${message} (${meaning})`;
};

/**
 * `{"code": "OPS40001", "message": "[getDemandFormat] 不合法", "data": null}`; `code: "0"` is
 * success (documented). Errors in this envelope are documented only as the OPS40001–4 table: that
 * they may come in an HTTP 200, and as `{code: "401" | "404", …}`, is assumed.
 */
const answer = envelope(
  z.object({
    // A string on the wire; a number is accepted so `0` still reads as success.
    code: z.union([z.string(), z.number()]),
    message: z.optional(z.unknown()),
    data: z.optional(z.unknown()),
  }),
  (body) => {
    const code = String(body.code).trim();
    if (code === SUCCESS_CODE) {
      return undefined;
    }
    return {code, message: withMeaning(code, typeof body.message === 'string' ? body.message : undefined)};
  },
);

const opsCode = /^OPS([45])\d+$/i;
const httpCode = /^[45]\d\d$/;

/**
 * The HTTP status an unknown code stands for (assumed, not documented): `OPS4xxxx` → 400,
 * `OPS5xxxx` → 500, a bare HTTP status (`"401"`) → itself. Anything else is still an error (success is `"0"` only), and since it
 * may arrive in an HTTP 200 it is read as a server fault rather than passed on as data.
 */
const codeStatus = (code: VendorCodeValue, status: number): number => {
  const text = String(code).trim();
  const ops = opsCode.exec(text);
  if (ops !== null) {
    return ops[1] === '4' ? 400 : 500;
  }
  if (httpCode.test(text)) {
    return Number(text);
  }
  // An unknown code on an error status keeps that status (a 429 stays a throttle); in a 2xx it
  // is still an error.
  return status >= 400 ? status : 500;
};

/**
 * Supametas.AI's open API on `api.supametas.ai` (`/openapi/open/v1`, `Access-Key` header).
 *
 * - Every answer is `{code, message, data}`: `code: "0"` is success (documented); any other code
 *   is an error even in an HTTP 200 (assumed: the docs do not say which status carries an error),
 *   so every 2xx body is read (they are small JSON objects).
 * - Business codes `OPS40001`–`OPS40004` fail as validation errors, their Chinese message followed
 *   by the table's English meaning; unknown `OPS4xxxx` as validation and `OPS5xxxx` as server
 *   faults (assumed from the prefix).
 * - Every endpoint is a POST: a 5xx is resent only when the request opts in with
 *   `context: {idempotent: true}` (read-only calls such as `query-task`).
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import {isVendorError, supametas, withVendor} from 'ky-vendors';
 *
 * const api = ky.create({prefix: 'https://api.supametas.ai/openapi/open/v1', ...withVendor(supametas)});
 * const task = await api
 *   .post('query-task', {json: {taskId}, context: {idempotent: true}})
 *   .json<{data: {state: string}}>();
 * ```
 */
export const supametas: Vendor<'supametas', SupametasCodeTable> = defineVendor({
  name: 'supametas',
  // Supametas limits each access key: keyed by a fingerprint of it.
  rateKey: (request) =>
    `supametas:${hostAndPath(request.url)?.host ?? ''}:${fingerprint(request.headers.get('access-key'))}`,
  hosts: ['api.supametas.ai'],
  envelopes: [answer],
  codes: supametasCodes,
  codeStatus,
  statuses: {
    400: {status: 400, message: 'Bad Request: a syntax or parameter error', ...validation},
    401: {
      status: 401,
      message: 'Unauthorized: authentication failed',
      ...auth,
      note: 'Assumed body: {code: "401", message, data: null}; the docs show no error body.',
    },
    403: {
      status: 403,
      message: 'Forbidden: access refused',
      ...permission,
      note: 'The error page lists 403 for "too many erroneous requests" too: never retried, least of all fast.',
    },
    404: {
      status: 404,
      message: 'Not Found',
      ...notFound,
      note: 'Assumed body: {code: "404", message, data: null}; the docs show no error body.',
    },
    405: {status: 405, message: 'Method Not Allowed', ...validation},
    406: {status: 406, message: 'Not Acceptable: unsupported data format', ...validation},
    409: {status: 409, message: 'Conflict: resource state conflict', ...conflict},
    429: {
      status: 429,
      message: 'Too Many Requests',
      ...throttled,
      note: 'Listed on the error page; no rate limit is published, so the wait is assumed (Retry-After, else backoff).',
    },
    500: {
      status: 500,
      message: 'Internal Server Error',
      ...serverRetry,
    },
    502: {status: 502, message: 'Bad Gateway: service temporarily unavailable', ...transient},
    /** Retry-After tells the expected downtime and is the minimum wait. */
    503: {
      status: 503,
      message: 'Service Unavailable: overloaded or down for maintenance',
      ...transient,
    },
  },
  inspect: ({status}) => status >= 200 && status < 300,
  backoff: {baseDelayMs: 1000, maxDelayMs: 30_000},
});
