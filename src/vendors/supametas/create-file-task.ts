/**
 * @module `createFileTask()`: imports a text file (`POST file-task`) with the documented fields.
 */
import type {KyInstance} from 'ky';
import * as z from 'zod/mini';
import {
  type CreateTaskOptions,
  checkFileType,
  commonData,
  commonFields,
  fileFields,
  flag,
  nameOf,
  parseInput,
  postTask,
  type SupametasCreatedTask,
  type SupametasCustomKey,
  type SupametasOutputFormat,
} from './task-input.ts';

/** The file types `file-task` accepts (Supametas docs, "Import Text File"). */
export const FILE_TASK_TYPES = ['.docx', '.pdf', '.txt', '.md', '.json'] as const;

const FILE_TASK_NAME = /\.(docx|pdf|txt|md|json)$/i;

/**
 * The documented fields of `POST file-task` ("Import Text File").
 *
 * @example
 * ```ts
 * const input: FileTaskInput = {file: new File([text], 'report.pdf'), format: 'json', title: true, contentDetails: true};
 * ```
 */
export type FileTaskInput = {
  /** The file: `.docx`, `.pdf`, `.txt`, `.md` or `.json`. A `Blob` needs `fileName`. */
  readonly file: Blob;
  /**
   * The name sent with the file; its extension must be one of `FILE_TASK_TYPES`.
   * @default the `File`'s own name
   */
  readonly fileName?: string;
  /** The output document format (`data.getDemandFormat`: `"1"` JSON, `"2"` Markdown). */
  readonly format: SupametasOutputFormat;
  /** Extract the text title (`data.title`, required by the API: 1 or 0). */
  readonly title: boolean;
  /** Extract the text details (`data.contentDetails`, required by the API: 1 or 0). */
  readonly contentDetails: boolean;
  /**
   * Custom fields to extract (`data.customKeys`).
   * @default undefined (none)
   */
  readonly customKeys?: readonly SupametasCustomKey[];
};

const schema = z.object({
  ...fileFields,
  ...commonFields,
  title: z.boolean('must be true or false'),
  contentDetails: z.boolean('must be true or false'),
});

/**
 * Creates a text-file import task: `POST file-task`, multipart `file` plus `data` (JSON text)
 * with `getDemandFormat`, `title`, `contentDetails` and `customKeys`, exactly as the docs list
 * them. The input is checked first, so a wrong field is a `SupametasInputError` naming it, not an
 * `OPS40004 参数值不正确` from the server. Not resent on failure: the task may exist.
 *
 * @throws {SupametasInputError} for an input the API would refuse (nothing is sent).
 * @throws {ValidationError} for `OPS4xxxx` answers the checks cannot foresee.
 * @example
 * ```ts
 * const {taskId} = await createFileTask(api, {file, format: 'markdown', title: true, contentDetails: true});
 * const task = await waitForTask(api, taskId);
 * ```
 */
export const createFileTask = async (
  api: KyInstance,
  input: FileTaskInput,
  options: CreateTaskOptions = {},
): Promise<SupametasCreatedTask> => {
  const parsed = parseInput('file-task', schema, input);
  const name = checkFileType(
    'file-task',
    nameOf(parsed.file, parsed.fileName),
    FILE_TASK_NAME,
    FILE_TASK_TYPES.join(' '),
  );
  const data = {
    ...commonData(parsed.format, parsed.customKeys),
    title: flag(parsed.title),
    contentDetails: flag(parsed.contentDetails),
  };
  return postTask(api, 'file-task', parsed.file, name, data, options);
};
