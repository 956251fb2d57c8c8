/**
 * @module `startHuaweiServer()` and `huaweiFetch()`: the Huawei simulator on a loopback HTTP
 * server or in process, with no msw.
 */
import {type LoopbackServer, startLoopbackServer} from '../shared/serve.ts';
import type {HuaweiSimulator} from './options.ts';

/**
 * The simulator as a `fetch`: answers in process, no network. Give it to ky's `fetch` option.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: `${HUAWEI_OCTOPUS_URL}/v2/${projectId}`, fetch: huaweiFetch(sim), ...withVendor(huaweiCloud)});
 * ```
 */
export const huaweiFetch =
  (sim: HuaweiSimulator): typeof fetch =>
  async (input, init) =>
    sim.handle(new Request(input, init));

/**
 * Serves the simulator on 127.0.0.1 (an ephemeral port). `url` is the host root and stands for
 * both the service and IAM (`${url}/v3/auth/tokens`), so it replaces the service's origin in a
 * `prefix` unchanged.
 *
 * @example
 * ```ts
 * const {url, close} = await startHuaweiServer(createHuaweiSimulator());
 * const octopus = ky.create({prefix: `${url}/v2/${projectId}`, ...withVendor(huaweiCloud)});
 * await close();
 * ```
 */
export const startHuaweiServer = (sim: HuaweiSimulator): Promise<LoopbackServer> =>
  startLoopbackServer(sim.handle);
