/**
 * @module `startSupametasServer()`: the Supametas simulator on a loopback HTTP server.
 */
import {type LoopbackServer, startLoopbackServer} from '../shared/serve.ts';
import type {SupametasSimulator} from './options.ts';

/** The base path of Supametas's open API, kept on the loopback server so URLs look real. */
export const SUPAMETAS_BASE_PATH = '/openapi/open/v1';

/**
 * Serves the simulator on 127.0.0.1 (an ephemeral port). `url` is the open API's base URL on
 * that server (with `/openapi/open/v1`), ready to be a ky `prefix`.
 *
 * @example
 * ```ts
 * const {url, close} = await startSupametasServer(createSupametasSimulator());
 * const api = ky.create({prefix: url, ...withVendor(supametas, {auth: supametasAuth({accessKey})})});
 * await close();
 * ```
 */
export const startSupametasServer = async (sim: SupametasSimulator): Promise<LoopbackServer> => {
  const server = await startLoopbackServer(sim.handle);
  return {url: `${server.url}${SUPAMETAS_BASE_PATH}`, close: server.close};
};
