/**
 * @module `ky-vendors/testing`: vendor simulators for tests and examples, each usable as msw
 * handlers and as a loopback HTTP server (Node), sharing one implementation.
 */
export type {
  BrightdataHandlersOptions,
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
  brightdataHandlers,
  createBrightdataSimulator,
  renderRecords,
  startBrightdataServer,
} from './brightdata/index.ts';
export type {
  HuaweiBusyCode,
  HuaweiHandlersOptions,
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
  huaweiHandlers,
  startHuaweiServer,
} from './huawei/index.ts';
export type {SimulatorHandler} from './shared/serve.ts';
export {startLoopbackServer} from './shared/serve.ts';
export type {
  SupametasHandlersOptions,
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
  supametasHandlers,
} from './supametas/index.ts';
export type {
  MultipartSession as UpyunMultipartSession,
  StoredFile as UpyunStoredFile,
  UpyunSimulator,
  UpyunSimulatorCounters,
  UpyunSimulatorOptions,
} from './upyun/index.ts';
export {
  createUpyunSimulator,
  startUpyunServer,
  UPYUN_SIMULATOR_DEFAULTS,
  upyunError,
  upyunHandlers,
} from './upyun/index.ts';
