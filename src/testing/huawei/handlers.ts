/**
 * @module `huaweiHandlers()`: the Huawei simulator as msw handlers.
 */
import type {HttpHandler} from 'msw';
import {toMswHandlers} from '../shared/handlers.ts';
import {HUAWEI_IAM_URL, HUAWEI_OCTOPUS_URL, type HuaweiSimulator} from './options.ts';

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
