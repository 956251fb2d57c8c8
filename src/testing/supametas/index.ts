/**
 * @module The Supametas.AI simulator: one implementation, as msw handlers or a loopback server.
 */

export {SUPAMETAS_BASE_PATH, startSupametasServer} from './start-supametas-server.ts';
export type {SupametasHandlersOptions} from './supametas-handlers.ts';
export {SUPAMETAS_BASE_URL, supametasHandlers} from './supametas-handlers.ts';
export {createSupametasSimulator} from './supametas-simulator.ts';
export type {
  SupametasSimulatedTask,
  SupametasSimulator,
  SupametasSimulatorCounts,
  SupametasSimulatorOptions,
  SupametasTaskOutcome,
} from './supametas-simulator-options.ts';
export {SUPAMETAS_SIMULATOR_DEFAULTS} from './supametas-simulator-options.ts';
