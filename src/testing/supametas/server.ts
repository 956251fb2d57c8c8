/**
 * @module `startSupametasServer()` and `supametasFetch()`: the Supametas simulator on a loopback
 * HTTP server or in process, with no msw.
 */
import {type LoopbackServer, startLoopbackServer} from '../shared/serve.ts';
import type {SupametasSimulator} from './options.ts';

/**
 * The simulator as a `fetch`: answers in process, no network. Give it to ky's `fetch` option.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: SUPAMETAS_BASE_URL, fetch: supametasFetch(sim), ...withVendor(supametas)});
 * ```
 */
export const supametasFetch =
  (sim: SupametasSimulator): typeof fetch =>
  async (input, init) =>
    sim.handle(new Request(input, init));

/**
 * Serves the simulator on 127.0.0.1 (an ephemeral port). `url` is the host root, like every
 * simulator server, so the real `prefix` works with only the origin swapped:
 * `${url}/openapi/open/v1` (`SUPAMETAS_BASE_PATH`).
 *
 * @example
 * ```ts
 * const {url, close} = await startSupametasServer(createSupametasSimulator());
 * const api = ky.create({prefix: `${url}/openapi/open/v1`, ...withVendor(supametas, {auth: supametasAuth({accessKey})})});
 * await close();
 * ```
 */
export const startSupametasServer = (sim: SupametasSimulator): Promise<LoopbackServer> =>
  startLoopbackServer(sim.handle);
