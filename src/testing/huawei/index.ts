/**
 * @module The Huawei Cloud simulator: one implementation, as a loopback server or an in-process
 * fetch (msw handlers live in `handlers.ts`, reached through the `testing/msw` entry).
 */

export type {
  HuaweiBusyCode,
  HuaweiRateLimit,
  HuaweiSimulatedJob,
  HuaweiSimulator,
  HuaweiSimulatorCounts,
  HuaweiSimulatorOptions,
} from './options.ts';
export {
  HUAWEI_BUSY_ANSWERS,
  HUAWEI_IAM_URL,
  HUAWEI_OCTOPUS_URL,
  HUAWEI_SIMULATOR_DEFAULTS,
} from './options.ts';
export {huaweiFetch, startHuaweiServer} from './server.ts';
export {createHuaweiSimulator} from './simulator.ts';
export type {RateLimit, TokenBucket} from './token-bucket.ts';
export {createTokenBucket, describeWindow} from './token-bucket.ts';
