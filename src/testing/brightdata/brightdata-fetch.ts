/**
 * @module `brightdataFetch()`: the BrightData simulator as a `fetch` function, no network at all.
 */

import {fromRequest, toResponse} from './sim-response.ts';
import type {BrightdataSimulator} from './simulator.ts';

/**
 * A `fetch` that answers from `sim` in-process: give it to ky (`ky.create({fetch})`) for tests
 * and benchmarks that need neither msw nor sockets. Honours the request's `AbortSignal`.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://api.brightdata.com', fetch: brightdataFetch(sim), ...withVendor(brightdata)});
 * ```
 */
export const brightdataFetch =
  (sim: BrightdataSimulator): typeof fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const response = await toResponse(sim.handle(await fromRequest(request)));
    request.signal.throwIfAborted();
    return response;
  };
