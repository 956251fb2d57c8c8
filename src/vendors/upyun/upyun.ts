/**
 * @module The UPYUN vendor: USS REST API envelope, `X-Error-Code` header and code table.
 */
import {defineVendor, envelope, type Vendor} from '../../core/define-vendor.ts';
import {urlParts} from '../../core/rate-key.ts';
import {conflict, transient} from '../../core/rule.ts';
import * as z from '../../core/zod-core.ts';
import {upyunCodeStatus} from './code-status.ts';
import {type UpyunCodeTable, upyunCodes} from './codes.ts';

const eightDigits = /^\d{8}$/;

/** `{"msg": "file or directory not found", "code": 40400001, "id": "11e4a729…"}` */
const errorBody = z.looseObject({
  // A number on the wire, defensively the same digits as a string: `wireCode` below checks it
  // whole (type, digits, range). A zod union of number and string would only sort out first what
  // `wireCode` refuses anyway (a body whose code it refuses gives no evidence, as one that does
  // not match), and its three schema classes would add 2 KB to every browser bundle.
  code: z.unknown(),
  // msg and id pass through as they are, of any type: a stray type in them must not hide the
  // code (read keeps strings only). Declaring them `optional(unknown())` would say the same and
  // ship two more zod schema types to every browser bundle.
});

const digitsOnly = /^\d{1,10}$/;

/** A code as UPYUN sends it: a non-negative integer, or the same digits as a string. */
const wireCode = (code: unknown): number | undefined => {
  if (typeof code === 'number') {
    return Number.isSafeInteger(code) && code >= 0 ? code : undefined;
  }
  if (typeof code !== 'string') {
    return undefined;
  }
  const digits = code.trim();
  return digitsOnly.test(digits) ? Number(digits) : undefined;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Reads `X-Error-Code` (the only evidence on a bodiless HEAD) and `X-Request-Id`. */
const fromHeaders = (headers: Headers) => {
  const code = headers.get('x-error-code')?.trim();
  return {
    code: code !== undefined && eightDigits.test(code) ? Number(code) : undefined,
    requestId: headers.get('x-request-id') ?? undefined,
  };
};

/**
 * UPYUN (又拍云) USS storage REST API on `v0.api.upyun.com` … `v3.api.upyun.com`.
 *
 * - Errors come as `{msg, code, id}` with an eight-digit numeric `code` whose first three digits are
 *   the HTTP status; `HEAD` answers carry the code in `X-Error-Code` instead. Unknown codes fall back
 *   on those three digits.
 * - The 429 family is throttled with UPYUN's waits (1 s, 5 s for the bandwidth cap); 42900004
 *   (banned) and 42900006 (too many auth checks) are never retried; 42900007 (concurrent write)
 *   and 50300007 (one change per file per second) are retried after 1 s.
 * - Successful answers never hide an error, so their bodies (downloads) are never read.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import {isVendorError, upyun, withVendor} from 'ky-vendors';
 *
 * const api = ky.create({prefix: 'https://v0.api.upyun.com/my-bucket', ...withVendor(upyun)});
 * try {
 *   await api.put('photos/cat.jpg', {body: bytes});
 * } catch (error) {
 *   if (isVendorError(error, upyun) && error.code === 42900004) {
 *     // banned: stop the batch
 *   }
 * }
 * ```
 */
export const upyun: Vendor<'upyun', UpyunCodeTable> = defineVendor({
  name: 'upyun',
  // UPYUN limits each bucket (the first path segment): buckets on one host keep their own pace.
  rateKey: (request) => {
    const {host, segments} = urlParts(request.url);
    return `upyun:${host}/${segments[0] ?? ''}`;
  },
  hosts: ['v0.api.upyun.com', 'v1.api.upyun.com', 'v2.api.upyun.com', 'v3.api.upyun.com'],
  envelopes: [
    envelope(errorBody, (body) => {
      const code = wireCode(body.code);
      // A body with no valid code is not UPYUN's error shape: no evidence, as if it did not match.
      return code === undefined ? {} : {code, message: text(body.msg), requestId: text(body.id)};
    }),
  ],
  headers: fromHeaders,
  codes: upyunCodes,
  codeStatus: upyunCodeStatus,
  statuses: {
    406: {...conflict, message: 'Not Acceptable'},
    444: {...transient, message: 'Connection Closed By Client'},
    599: {...transient, message: 'Internal Call Failed'},
  },
  inspect: () => false,
  // Transient 503s pass quickly; the 1 s waits UPYUN documents sit on their own rows as floors.
  backoff: {baseDelayMs: 300, maxDelayMs: 30_000},
  retryLimit: 5,
});
