/**
 * @module The Supametas.AI simulator: one implementation, as a loopback server or an in-process
 * fetch (msw handlers live in `handlers.ts`, reached through the `testing/msw` entry).
 */

export type {
  SupametasSimulatedTask,
  SupametasSimulator,
  SupametasSimulatorCounts,
  SupametasSimulatorOptions,
  SupametasTaskOutcome,
} from './options.ts';
export {SUPAMETAS_BASE_PATH, SUPAMETAS_BASE_URL, SUPAMETAS_SIMULATOR_DEFAULTS} from './options.ts';
export {startSupametasServer, supametasFetch} from './server.ts';
export {createSupametasSimulator} from './simulator.ts';
