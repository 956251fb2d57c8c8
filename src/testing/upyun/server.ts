/**
 * @module `startUpyunServer()` and `upyunFetch()`: the UPYUN simulator on a loopback socket or
 * in process, with no msw.
 */
import {type LoopbackServer, startLoopbackServer} from '../shared/serve.ts';
import type {UpyunSimulator} from './simulator.ts';

/**
 * The simulator as a fetch-style function: answers a `Request` in process, no network.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', fetch: upyunFetch(sim), ...withVendor(upyun)});
 * ```
 */
export const upyunFetch =
  (sim: UpyunSimulator): typeof fetch =>
  async (input, init) => {
    const request = new Request(input, init);
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
 * Serves the simulator on 127.0.0.1 and a free port. `url` is the host root
 * (`http://127.0.0.1:<port>`), so it replaces `https://v0.api.upyun.com` in a `prefix` unchanged.
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
