/**
 * @module `brightdataHandlers()`: the BrightData simulator as msw request handlers.
 */
import {type HttpHandler, HttpResponse, http} from 'msw';
import {fromRequest, toResponse} from './sim-response.ts';
import type {BrightdataSimulator} from './simulator.ts';

/** Options of `brightdataHandlers()`. */
export type BrightdataHandlersOptions = {
  /**
   * The API origin the handlers answer on.
   * @default 'https://api.brightdata.com'
   */
  readonly baseUrl?: string;
};

/**
 * msw handlers that answer every `…/datasets/v3/*` request from `sim`.
 *
 * msw writes mocked responses to a mock socket and cannot break a body halfway without wedging
 * its interceptor, so under msw a download cut by `truncateDownloadBytes` fails as a network
 * error before its first byte. For drops in the middle of a body, serve the simulator with
 * `brightdataFetch(sim)` or `startBrightdataServer(sim)`.
 *
 * @example
 * ```ts
 * const sim = createBrightdataSimulator({readyAfterMs: 20_000});
 * server.use(...brightdataHandlers(sim));
 * ```
 */
export const brightdataHandlers = (
  sim: BrightdataSimulator,
  options: BrightdataHandlersOptions = {},
): HttpHandler[] => {
  const baseUrl = (options.baseUrl ?? 'https://api.brightdata.com').replace(/\/+$/, '');
  return [
    http.all(`${baseUrl}/datasets/v3/*`, async ({request}) => {
      const answer = sim.handle(await fromRequest(request));
      return answer.truncateAtBytes === undefined ? toResponse(answer) : HttpResponse.error();
    }),
  ];
};
