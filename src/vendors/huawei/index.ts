/**
 * @module `ky-vendors/huawei`: Huawei Cloud (API gateway + Octopus) and its operations.
 */

export type {ApigRateLimit, ScopedApigRateLimit} from '../../core/parse-apig-rate-limit.ts';
export {parseApigRateLimit, parseApigRateLimits} from '../../core/parse-apig-rate-limit.ts';
export type {HuaweiAkSkOptions} from './huawei-aksk.ts';
export {huaweiAkSk} from './huawei-aksk.ts';
export type {HuaweiAuthOptions} from './huawei-auth.ts';
export {huaweiAuth, TOKEN_EXPIRED_CODES} from './huawei-auth.ts';
export type {HuaweiCodeTable} from './huawei-cloud.ts';
export {huaweiCloud} from './huawei-cloud.ts';
export type {AkSkSignature, AkSkSignInput} from './sign-aksk.ts';
export {AKSK_ALGORITHM, importAkSkKey, sdkDate, signAkSk, UNSIGNED_PAYLOAD} from './sign-aksk.ts';
export type {WaitWhileBusyOptions} from './wait-while-busy.ts';
export {DEFAULT_BUSY_OPTIONS, waitWhileBusy} from './wait-while-busy.ts';
