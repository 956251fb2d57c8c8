/**
 * @module The UPYUN simulator: one in-memory service, as a loopback server or an in-process fetch
 * (msw handlers live in `handlers.ts`, reached through the `testing/msw` entry).
 */

export type {RateStep as UpyunRateStep} from '../shared/token-bucket.ts';
export {LIST_END as UPYUN_LIST_END} from './listing.ts';
export type {MultipartSession} from './multipart.ts';
export type {NormalizedUpyunSimulatorOptions, UpyunBucketLimit, UpyunSimulatorOptions} from './options.ts';
export {UPYUN_SIMULATOR_DEFAULTS} from './options.ts';
export {startUpyunServer, upyunFetch} from './server.ts';
export type {
  SimRequest,
  SimRequestInfo,
  SimResponse,
  StoredFile,
  UpyunSimulatorCounts,
} from './sim-types.ts';
export type {UpyunSimulator} from './simulator.ts';
export {createUpyunSimulator} from './simulator.ts';
export {upyunError} from './upyun-error.ts';
