/**
 * @module `startHuaweiServer()`: the Huawei simulator on a loopback HTTP server.
 */
import {type LoopbackServer, startLoopbackServer} from '../shared/serve.ts';
import type {HuaweiSimulator} from './options.ts';

/**
 * Serves the simulator on 127.0.0.1 (an ephemeral port); `url` stands for both the service and
 * IAM (`${url}/v3/auth/tokens`).
 *
 * @example
 * ```ts
 * const {url, close} = await startHuaweiServer(createHuaweiSimulator());
 * const octopus = ky.create({prefix: `${url}/v2/${projectId}/`, ...withVendor(huaweiCloud)});
 * await close();
 * ```
 */
export const startHuaweiServer = (sim: HuaweiSimulator): Promise<LoopbackServer> =>
  startLoopbackServer(sim.handle);
