/**
 * @module `ky-vendors/supametas`: Supametas.AI and its operations.
 */

export type {JobHandle} from '../../poll/job-handle.ts';
export type {SupametasCodeTable} from './codes.ts';
export type {FileTaskInput} from './create-file-task.ts';
export {createFileTask, FILE_TASK_TYPES} from './create-file-task.ts';
export type {ImageTaskInput} from './create-image-task.ts';
export {createImageTask, IMAGE_TASK_TYPES} from './create-image-task.ts';
export type {SupametasInputIssue} from './SupametasInputError.ts';
export {SupametasInputError} from './SupametasInputError.ts';
export {supametas} from './supametas.ts';
export type {SupametasAuthOptions} from './supametas-auth.ts';
export {supametasAuth} from './supametas-auth.ts';
export type {
  CreateTaskOptions,
  SupametasCreatedTask,
  SupametasCustomKey,
  SupametasOutputFormat,
} from './task-input.ts';
export type {SupametasTask, SupametasTaskState, TaskHandle, WaitForTaskOptions} from './wait-for-task.ts';
export {DEFAULT_TASK_OPTIONS, resumeWaitForTask, waitForTask} from './wait-for-task.ts';
