/**
 * @module `createImageTask()`: imports an image (`POST image-task`) with the documented fields.
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

/** The file types `image-task` accepts (Supametas docs, "Import Image Files": jpg, png). */
export const IMAGE_TASK_TYPES = ['.jpg', '.jpeg', '.png'] as const;

const IMAGE_TASK_NAME = /\.(jpe?g|png)$/i;

/**
 * The documented fields of `POST image-task` ("Import Image Files").
 *
 * @example
 * ```ts
 * const input: ImageTaskInput = {file: new File([bytes], 'receipt.png'), format: 'json', imageText: true};
 * ```
 */
export type ImageTaskInput = {
  /** The image: `.jpg` or `.png` (`.jpeg` is taken as jpg). A `Blob` needs `fileName`. */
  readonly file: Blob;
  /**
   * The name sent with the file; its extension must be one of `IMAGE_TASK_TYPES`.
   * @default the `File`'s own name
   */
  readonly fileName?: string;
  /** The output document format (`data.getDemandFormat`: `"1"` JSON, `"2"` Markdown). */
  readonly format: SupametasOutputFormat;
  /**
   * Extract the text in the image (`data.getImageText`: 1 or 0).
   * @default undefined (not sent; the API's default applies)
   */
  readonly imageText?: boolean;
  /**
   * Custom fields to extract (`data.customKeys`).
   * @default undefined (none)
   */
  readonly customKeys?: readonly SupametasCustomKey[];
};

const schema = z.object({
  ...fileFields,
  ...commonFields,
  imageText: z.optional(z.boolean('must be true or false')),
});

/**
 * Creates an image import task: `POST image-task`, multipart `file` plus `data` (JSON text) with
 * `getDemandFormat`, `getImageText` and `customKeys`, exactly as the docs list them. The input is
 * checked first, so a wrong field is a `SupametasInputError` naming it. Not resent on failure.
 *
 * @throws {SupametasInputError} for an input the API would refuse (nothing is sent).
 * @throws {ValidationError} for `OPS4xxxx` answers the checks cannot foresee.
 * @example
 * ```ts
 * const {taskId} = await createImageTask(api, {file, format: 'json', imageText: true});
 * ```
 */
export const createImageTask = async (
  api: KyInstance,
  input: ImageTaskInput,
  options: CreateTaskOptions = {},
): Promise<SupametasCreatedTask> => {
  const parsed = parseInput('image-task', schema, input);
  const name = checkFileType(
    'image-task',
    nameOf(parsed.file, parsed.fileName),
    IMAGE_TASK_NAME,
    IMAGE_TASK_TYPES.join(' '),
  );
  const data = {
    ...commonData(parsed.format, parsed.customKeys),
    ...(parsed.imageText === undefined ? {} : {getImageText: flag(parsed.imageText)}),
  };
  return postTask(api, 'image-task', parsed.file, name, data, options);
};
