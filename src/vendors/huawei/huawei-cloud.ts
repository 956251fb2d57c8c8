/**
 * @module `huaweiCloud`: Huawei Cloud's API gateway and Octopus service as a vendor definition.
 */
import * as z from 'zod/mini';
import {rateWindowHint} from '../../classify/hints.ts';
import {defineVendor, envelope, type Vendor} from '../../core/define-vendor.ts';
import type {VendorCodeValue} from '../../core/types.ts';
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

/** `{error_code, error_msg, request_id?}`: the gateway and the Octopus service. */
const flatError = envelope(
  z.object({
    error_code: z.string(),
    error_msg: z.nullish(z.string()),
    request_id: z.nullish(z.string()),
  }),
  (body) => ({
    code: body.error_code,
    message: body.error_msg ?? undefined,
    requestId: body.request_id ?? undefined,
  }),
);

/** `{error: {code, message}}`: the nested form Huawei's SDKs also accept. */
const nestedError = envelope(
  z.object({error: z.object({code: z.string(), message: z.nullish(z.string())})}),
  (body) => ({code: body.error.code, message: body.error.message ?? undefined}),
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
  hosts: ['.myhuaweicloud.com', '.huaweicloud.com'],
  envelopes: [flatError, nestedError],
  codes: huaweiCodes,
  normalizeCode: normalizeHuaweiCode,
  hints: [rateWindowHint],
  inspect: () => false,
  // The Huawei Python SDK caps its backoff at 60 s; a 1-minute rate window needs the same room.
  backoff: {baseDelayMs: 1000, maxDelayMs: 60_000},
});
