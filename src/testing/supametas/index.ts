/**
 * @module The Supametas.AI simulator: one implementation, as msw handlers or a loopback server.
 */

export type {SupametasHandlersOptions} from './handlers.ts';
export {SUPAMETAS_BASE_URL, supametasHandlers} from './handlers.ts';
export type {
  SupametasSimulatedTask,
  SupametasSimulator,
  SupametasSimulatorCounts,
  SupametasSimulatorOptions,
  SupametasTaskOutcome,
} from './options.ts';
export {SUPAMETAS_SIMULATOR_DEFAULTS} from './options.ts';
export {SUPAMETAS_BASE_PATH, startSupametasServer} from './server.ts';
export {createSupametasSimulator} from './simulator.ts';
