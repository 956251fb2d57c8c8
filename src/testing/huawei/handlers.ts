/**
 * @module `huaweiHandlers()`: the Huawei simulator as msw handlers.
 */
import type {HttpHandler} from 'msw';
import {toMswHandlers} from '../shared/handlers.ts';
import type {HuaweiSimulator} from './options.ts';

/** The Octopus endpoint (华南-广州) where the handlers answer by default. */
export const HUAWEI_OCTOPUS_URL = 'https://octopus.cn-south-1.myhuaweicloud.com';

/** The IAM endpoint of the same region, for `POST /v3/auth/tokens`. */
export const HUAWEI_IAM_URL = 'https://iam.cn-south-1.myhuaweicloud.com';

/**
 * Options of `huaweiHandlers()`.
 *
 * @example
 * ```ts
 * huaweiHandlers(sim, {baseUrls: ['https://octopus.cn-north-11.myhuaweicloud.com']});
 * ```
 */
export type HuaweiHandlersOptions = {
  /**
   * The base URLs to answer under (the service and IAM).
   * @default [HUAWEI_OCTOPUS_URL, HUAWEI_IAM_URL]
   */
  readonly baseUrls?: readonly string[];
};

/**
 * msw handlers that answer every request under the base URLs with the simulator.
 *
 * @example
 * ```ts
 * const sim = createHuaweiSimulator();
 * server.use(...huaweiHandlers(sim));
 * ```
 */
export const huaweiHandlers = (sim: HuaweiSimulator, options: HuaweiHandlersOptions = {}): HttpHandler[] =>
  toMswHandlers(sim.handle, options.baseUrls ?? [HUAWEI_OCTOPUS_URL, HUAWEI_IAM_URL]);
