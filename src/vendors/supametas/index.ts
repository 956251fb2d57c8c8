/**
 * @module `ky-vendors/supametas`: Supametas.AI and its operations.
 */

export type {SupametasCodeTable} from './codes.ts';
export {supametas} from './supametas.ts';
export type {SupametasAuthOptions} from './supametas-auth.ts';
export {supametasAuth} from './supametas-auth.ts';
export type {SupametasTask, SupametasTaskState, WaitForTaskOptions} from './wait-for-task.ts';
export {DEFAULT_TASK_OPTIONS, waitForTask} from './wait-for-task.ts';
