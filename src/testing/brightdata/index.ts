/**
 * @module The BrightData simulator of the testing kit: one in-memory API served by msw, `fetch` or a loopback server.
 */

export {brightdataFetch} from './brightdata-fetch.ts';
export type {BrightdataHandlersOptions} from './handlers.ts';
export {brightdataHandlers} from './handlers.ts';
export type {
  BrightdataSimulatorOptions,
  NormalizedBrightdataSimulatorOptions,
} from './options.ts';
export {BRIGHTDATA_SIMULATOR_DEFAULTS} from './options.ts';
export type {SimFormat} from './render-records.ts';
export {renderRecords} from './render-records.ts';
export type {BrightdataServer, BrightdataServerOptions} from './server.ts';
export {startBrightdataServer} from './server.ts';
export type {
  BrightdataSimulatorCounts,
  SimDelivery,
  SimEndpoint,
  SimFault,
  SimJob,
  SimLogEntry,
  SimRequest,
  SimResponse,
} from './sim-types.ts';
export type {BrightdataSimulator} from './simulator.ts';
export {createBrightdataSimulator} from './simulator.ts';
