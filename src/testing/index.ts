/**
 * @module `ky-vendors/testing`: vendor simulators for tests and examples, each served by a
 * loopback HTTP server (Node) or an in-process `fetch`, sharing one implementation. Needs ky only;
 * the msw handlers are in `ky-vendors/testing/msw`.
 */
export type {
  BrightdataServer,
  BrightdataServerOptions,
  BrightdataSimulator,
  BrightdataSimulatorCounts,
  BrightdataSimulatorOptions,
  SimDelivery as BrightdataSimulatedDelivery,
  SimEndpoint as BrightdataEndpoint,
  SimFault as BrightdataFault,
  SimFormat as BrightdataFormat,
  SimJob as BrightdataSimulatedJob,
  SimLogEntry as BrightdataLogEntry,
} from './brightdata/index.ts';
export {
  BRIGHTDATA_SIMULATOR_DEFAULTS,
  brightdataFetch,
  createBrightdataSimulator,
  renderRecords,
  startBrightdataServer,
} from './brightdata/index.ts';
export type {
  HuaweiBusyCode,
  HuaweiRateLimit,
  HuaweiSimulatedJob,
  HuaweiSimulator,
  HuaweiSimulatorCounts,
  HuaweiSimulatorOptions,
} from './huawei/index.ts';
export {
  createHuaweiSimulator,
  HUAWEI_BUSY_ANSWERS,
  HUAWEI_IAM_URL,
  HUAWEI_OCTOPUS_URL,
  HUAWEI_SIMULATOR_DEFAULTS,
  huaweiFetch,
  startHuaweiServer,
} from './huawei/index.ts';
export type {SentRequest, ThrottleBudgetOptions} from './shared/policy-assertions.ts';
export {
  assertNothingSentAfter,
  assertOneJobPerInput,
  assertThrottleBudget,
  PolicyAssertionError,
  recordRequests,
} from './shared/policy-assertions.ts';
export type {LoopbackServer, SimulatorHandler} from './shared/serve.ts';
export {startLoopbackServer} from './shared/serve.ts';
export type {
  SupametasSimulatedTask,
  SupametasSimulator,
  SupametasSimulatorCounts,
  SupametasSimulatorOptions,
  SupametasTaskOutcome,
} from './supametas/index.ts';
export {
  createSupametasSimulator,
  SUPAMETAS_BASE_PATH,
  SUPAMETAS_BASE_URL,
  SUPAMETAS_SIMULATOR_DEFAULTS,
  startSupametasServer,
  supametasFetch,
} from './supametas/index.ts';
export type {
  MultipartSession as UpyunMultipartSession,
  SimRequestInfo as UpyunSimRequestInfo,
  SimResponse as UpyunSimResponse,
  StoredFile as UpyunStoredFile,
  UpyunBucketLimit,
  UpyunRateStep,
  UpyunSimulator,
  UpyunSimulatorCounts,
  UpyunSimulatorOptions,
} from './upyun/index.ts';
export {
  createUpyunSimulator,
  startUpyunServer,
  UPYUN_LIST_END,
  UPYUN_SIMULATOR_DEFAULTS,
  upyunError,
  upyunFetch,
} from './upyun/index.ts';
