/**
 * @module The Huawei Cloud simulator: one implementation, as msw handlers or a loopback server.
 */

export type {HuaweiHandlersOptions} from './huawei-handlers.ts';
export {HUAWEI_IAM_URL, HUAWEI_OCTOPUS_URL, huaweiHandlers} from './huawei-handlers.ts';
export {createHuaweiSimulator} from './huawei-simulator.ts';
export type {
  HuaweiBusyCode,
  HuaweiRateLimit,
  HuaweiSimulatedJob,
  HuaweiSimulator,
  HuaweiSimulatorCounts,
  HuaweiSimulatorOptions,
} from './huawei-simulator-options.ts';
export {HUAWEI_BUSY_ANSWERS, HUAWEI_SIMULATOR_DEFAULTS} from './huawei-simulator-options.ts';
export {startHuaweiServer} from './start-huawei-server.ts';
export type {RateLimit, TokenBucket} from './token-bucket.ts';
export {createTokenBucket, describeWindow} from './token-bucket.ts';
