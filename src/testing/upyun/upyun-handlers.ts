/**
 * @module `upyunHandlers()` and `startUpyunServer()`: the UPYUN simulator behind msw or a loopback socket.
 */
import type {HttpHandler} from 'msw';
import {type LoopbackServer, startLoopbackServer, toMswHandlers} from '../shared/serve.ts';
import type {UpyunSimulator} from './upyun-simulator.ts';

/**
 * The simulator as a fetch-style function: answers a `Request` in process, no network.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', fetch: upyunFetch(sim), ...withVendor(upyun)});
 * ```
 */
export const upyunFetch =
  (sim: UpyunSimulator) =>
  async (request: Request): Promise<Response> => {
    const body = new Uint8Array(await request.arrayBuffer());
    const answer = await sim.handle({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
    });
    return new Response(answer.body ?? null, {status: answer.status, headers: answer.headers});
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
export const upyunHandlers = (
  sim: UpyunSimulator,
  options: {
    /**
     * The host the handlers answer for.
     * @default 'https://v0.api.upyun.com'
     */
    readonly baseUrl?: string;
  } = {},
): HttpHandler[] => toMswHandlers(upyunFetch(sim), [options.baseUrl ?? 'https://v0.api.upyun.com']);

/**
 * Serves the simulator on 127.0.0.1 and a free port, for benchmarks and examples that need real
 * sockets.
 *
 * @example
 * ```ts
 * const server = await startUpyunServer(createUpyunSimulator());
 * const api = ky.create({prefix: server.url, ...withVendor(upyun)});
 * // …
 * await server.close();
 * ```
 */
export const startUpyunServer = (sim: UpyunSimulator): Promise<LoopbackServer> =>
  startLoopbackServer(upyunFetch(sim));
