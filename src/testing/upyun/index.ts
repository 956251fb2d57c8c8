/**
 * @module The UPYUN simulator: one in-memory service, usable as msw handlers or a loopback server.
 */

export type {MultipartSession} from './multipart.ts';
export type {SimRequest, SimRequestInfo, SimResponse, SimulatorStats, StoredFile} from './sim-types.ts';
export {upyunError} from './upyun-error.ts';
export {startUpyunServer, upyunFetch, upyunHandlers} from './upyun-handlers.ts';
export type {UpyunSimulator, UpyunSimulatorOptions} from './upyun-simulator.ts';
export {createUpyunSimulator, UPYUN_SIMULATOR_DEFAULTS} from './upyun-simulator.ts';
