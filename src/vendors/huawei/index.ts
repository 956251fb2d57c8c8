/**
 * @module `ky-vendors/huawei`: Huawei Cloud (API gateway + Octopus) and its operations.
 */

export type {HuaweiAuthOptions} from './huawei-auth.ts';
export {huaweiAuth, TOKEN_EXPIRED_CODES} from './huawei-auth.ts';
export type {HuaweiCodeTable} from './huawei-cloud.ts';
export {huaweiCloud} from './huawei-cloud.ts';
export type {WaitWhileBusyOptions} from './wait-while-busy.ts';
export {DEFAULT_BUSY_OPTIONS, waitWhileBusy} from './wait-while-busy.ts';
