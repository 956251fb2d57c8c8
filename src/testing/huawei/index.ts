/**
 * @module The Huawei Cloud simulator: one implementation, as msw handlers or a loopback server.
 */

export type {HuaweiHandlersOptions} from './handlers.ts';
export {HUAWEI_IAM_URL, HUAWEI_OCTOPUS_URL, huaweiHandlers} from './handlers.ts';
export type {
  HuaweiBusyCode,
  HuaweiRateLimit,
  HuaweiSimulatedJob,
  HuaweiSimulator,
  HuaweiSimulatorCounts,
  HuaweiSimulatorOptions,
} from './options.ts';
export {HUAWEI_BUSY_ANSWERS, HUAWEI_SIMULATOR_DEFAULTS} from './options.ts';
export {startHuaweiServer} from './server.ts';
export {createHuaweiSimulator} from './simulator.ts';
export type {RateLimit, TokenBucket} from './token-bucket.ts';
export {createTokenBucket, describeWindow} from './token-bucket.ts';
