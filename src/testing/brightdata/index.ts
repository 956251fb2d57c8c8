/**
 * @module The BrightData simulator of the testing kit: one in-memory API served by msw, `fetch` or a loopback server.
 */

export {brightdataFetch} from './brightdata-fetch.ts';
export type {BrightdataHandlersOptions} from './brightdata-handlers.ts';
export {brightdataHandlers} from './brightdata-handlers.ts';
export type {BrightdataServer, BrightdataServerOptions} from './brightdata-server.ts';
export {startBrightdataServer} from './brightdata-server.ts';
export type {BrightdataSim} from './brightdata-sim.ts';
export {createBrightdataSim} from './brightdata-sim.ts';
export type {BrightdataSimOptions, NormalizedBrightdataSimOptions} from './brightdata-sim-options.ts';
export {DEFAULT_SIM_OPTIONS} from './brightdata-sim-options.ts';
export type {SimFormat} from './render-records.ts';
export {renderRecords} from './render-records.ts';
export type {
  BrightdataSimCounters,
  SimDelivery,
  SimEndpoint,
  SimFault,
  SimJob,
  SimLogEntry,
  SimRequest,
  SimResponse,
} from './sim-types.ts';
