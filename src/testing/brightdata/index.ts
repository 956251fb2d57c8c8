/**
 * @module The BrightData simulator of the testing kit: one in-memory API served by `fetch` or a loopback
 * server (msw handlers live in `handlers.ts`, reached through the `testing/msw` entry).
 */

export type {
  BrightdataSimulatorOptions,
  NormalizedBrightdataSimulatorOptions,
} from './options.ts';
export {BRIGHTDATA_SIMULATOR_DEFAULTS} from './options.ts';
export type {SimFormat} from './render-records.ts';
export {renderRecords} from './render-records.ts';
export type {BrightdataServer, BrightdataServerOptions} from './server.ts';
export {brightdataFetch, startBrightdataServer} from './server.ts';
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
