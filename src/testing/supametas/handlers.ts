/**
 * @module `supametasHandlers()`: the Supametas simulator as msw handlers.
 */
import type {HttpHandler} from 'msw';
import {toMswHandlers} from '../shared/handlers.ts';
import {SUPAMETAS_BASE_URL, type SupametasSimulator} from './options.ts';

/**
 * Options of `supametasHandlers()`.
 *
 * @example
 * ```ts
 * supametasHandlers(sim, {baseUrl: 'https://supametas.test/v1'});
 * ```
 */
export type SupametasHandlersOptions = {
  /**
   * The base URL to answer under.
   * @default SUPAMETAS_BASE_URL
   */
  readonly baseUrl?: string;
};

/**
 * msw handlers that answer every request under the base URL with the simulator.
 *
 * @example
 * ```ts
 * const sim = createSupametasSimulator();
 * server.use(...supametasHandlers(sim));
 * ```
 */
export const supametasHandlers = (
  sim: SupametasSimulator,
  options: SupametasHandlersOptions = {},
): HttpHandler[] => toMswHandlers(sim.handle, [options.baseUrl ?? SUPAMETAS_BASE_URL]);
