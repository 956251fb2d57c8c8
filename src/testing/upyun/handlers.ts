/**
 * @module `upyunHandlers()`: the UPYUN simulator behind msw.
 */
import type {HttpHandler} from 'msw';
import {toMswHandlers} from '../shared/handlers.ts';
import {upyunFetch} from './server.ts';
import type {UpyunSimulator} from './simulator.ts';

/**
 * Options of `upyunHandlers()`.
 *
 * @example
 * ```ts
 * upyunHandlers(sim, {baseUrl: 'https://v1.api.upyun.com'});
 * ```
 */
export type UpyunHandlersOptions = {
  /**
   * The host the handlers answer for.
   * @default 'https://v0.api.upyun.com'
   */
  readonly baseUrl?: string;
};

/**
 * msw handlers that answer every request to `baseUrl` from the simulator.
 *
 * @example
 * ```ts
 * const sim = createUpyunSimulator({seed: 1});
 * server.use(...upyunHandlers(sim));
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun)});
 * ```
 */
export const upyunHandlers = (sim: UpyunSimulator, options: UpyunHandlersOptions = {}): HttpHandler[] =>
  toMswHandlers(upyunFetch(sim), [options.baseUrl ?? 'https://v0.api.upyun.com']);
