/**
 * @module The BrightData simulator of the testing kit: one in-memory API served by msw, `fetch` or a loopback server.
 */

export {brightdataFetch} from './brightdata-fetch.ts';
export type {BrightdataHandlersOptions} from './brightdata-handlers.ts';
export {brightdataHandlers} from './brightdata-handlers.ts';
export type {BrightdataServer, BrightdataServerOptions} from './brightdata-server.ts';
export {startBrightdataServer} from './brightdata-server.ts';
export type {BrightdataSimulator} from './brightdata-sim.ts';
export {createBrightdataSimulator} from './brightdata-sim.ts';
export type {
  BrightdataSimulatorOptions,
  NormalizedBrightdataSimulatorOptions,
} from './brightdata-sim-options.ts';
export {BRIGHTDATA_SIMULATOR_DEFAULTS} from './brightdata-sim-options.ts';
export type {SimFormat} from './render-records.ts';
export {renderRecords} from './render-records.ts';
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
