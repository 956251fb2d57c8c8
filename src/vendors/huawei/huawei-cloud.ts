/**
 * @module `huaweiCloud`: Huawei Cloud's API gateway and Octopus service as a vendor definition.
 */
import {defineVendor, envelope, type Vendor} from '../../core/define-vendor.ts';
import {rateLimitHint, rateWindowHint} from '../../core/hints.ts';
import {urlParts} from '../../core/rate-key.ts';
import type {VendorCodeValue} from '../../core/types.ts';
import * as z from '../../core/zod-core.ts';
import {apigwCodes} from './apigw-codes.ts';
import {octopusCodes} from './octopus-codes.ts';

const huaweiCodes = {...octopusCodes, ...apigwCodes};

type TableHuaweiCodeTable = typeof huaweiCodes;

/**
 * The type of Huawei Cloud's code table (Octopus and the API gateway), by name: editors and `.d.ts` files show the name instead of spelling
 * out every row. An interface, since TypeScript shows an alias of a `typeof` by its expansion.
 */
export interface HuaweiCodeTable extends TableHuaweiCodeTable {}

/** Gateway codes arrive as `APIGW.NNNN` or `APIG.NNNN` for the same condition. */
const apigPrefix = /^APIG\.(\d{4})$/;

/**
 * Maps the gateway's `APIG.NNNN` spelling onto the table's `APIGW.NNNN`; other codes pass as they are.
 *
 * @example
 * ```ts
 * normalizeHuaweiCode('APIG.0308'); // 'APIGW.0308'
 * ```
 */
export const normalizeHuaweiCode = (code: VendorCodeValue): VendorCodeValue =>
  typeof code === 'string' ? code.replace(apigPrefix, 'APIGW.$1') : code;

const code = z.nullish(z.union([z.string(), z.number()]));
const text = z.nullish(z.string());

/**
 * Every Huawei error body in one shape, read the way the official SDK core reads it
 * (`ExceptionUtil.generalException` in `@huaweicloud/huaweicloud-sdk-core`): the nested
 * `{error: {code, message, encoded_authorization_message}}` first, then the flat
 * `{error_code, error_msg, encoded_authorization_message}` of the gateway and of Octopus. Codes may
 * be numbers; a body with a message and no code still carries its message. The request id is the
 * `X-Request-Id` header, the only place the SDK core looks; the body's `request_id` is kept for
 * responses that lack the header.
 */
const errorEnvelope = envelope(
  z.object({
    error: z.catch(
      z.nullish(z.object({code, message: text, encoded_authorization_message: text})),
      undefined,
    ),
    error_code: z.catch(code, undefined),
    error_msg: z.catch(text, undefined),
    request_id: z.catch(text, undefined),
    encoded_authorization_message: z.catch(text, undefined),
  }),
  (body, {headers}) => ({
    code: body.error?.code ?? body.error_code ?? undefined,
    message: body.error?.message ?? body.error_msg ?? undefined,
    requestId: headers.get('x-request-id') ?? body.request_id ?? undefined,
    authorizationMessage:
      body.error?.encoded_authorization_message ?? body.encoded_authorization_message ?? undefined,
  }),
);

/**
 * Huawei Cloud: the API gateway (`APIGW.NNNN` / `APIG.NNNN`) in front of every service, and the
 * Octopus autonomous-driving service (`octopus.NNNNNN`). The code wins over the HTTP status;
 * unknown codes fall back on the status. Gateway throttling (`APIGW.0308`) waits out the rate
 * window its message names. Errors come with 4xx/5xx only, so successful bodies are never read.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import {huaweiCloud, withVendor} from 'ky-vendors';
 *
 * const octopus = ky.create({
 *   prefix: `https://octopus.cn-south-1.myhuaweicloud.com/v1.0/${projectId}/`,
 *   ...withVendor(huaweiCloud),
 * });
 * ```
 */
export const huaweiCloud: Vendor<'huawei', HuaweiCodeTable> = defineVendor({
  name: 'huawei',
  // The gateway's throttling policies bind an API for a project (`/v1.0/{project_id}/…`, or X-Project-Id).
  rateKey: (request) => {
    const {host, segments} = urlParts(request.url);
    const project = request.headers.get('x-project-id') ?? segments[1] ?? '';
    return `huawei:${host}/${project}`;
  },
  hosts: ['.myhuaweicloud.com', '.huaweicloud.com'],
  envelopes: [errorEnvelope],
  codes: huaweiCodes,
  normalizeCode: normalizeHuaweiCode,
  hints: [rateWindowHint],
  rateHints: [rateLimitHint],
  inspect: () => false,
  // The Huawei Python SDK caps its backoff at 60 s; a 1-minute rate window needs the same room.
  backoff: {baseDelayMs: 1000, maxDelayMs: 60_000},
});
