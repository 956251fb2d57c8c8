/**
 * @module `toMswHandlers()`: a simulator's `(request) => response` as msw handlers. With the
 * vendors' `handlers.ts`, the only files of the testing kit that import msw.
 */
import {type HttpHandler, http} from 'msw';
import type {SimulatorHandler} from './serve.ts';

/**
 * msw handlers that answer every method and path under each base URL with `handle`.
 *
 * @example
 * ```ts
 * server.use(...toMswHandlers((request) => sim.handle(request), ['https://api.example.test/v1']));
 * ```
 */
export const toMswHandlers = (handle: SimulatorHandler, baseUrls: readonly string[]): HttpHandler[] =>
  baseUrls.map((baseUrl) => http.all(`${baseUrl.replace(/\/+$/, '')}/*`, ({request}) => handle(request)));
