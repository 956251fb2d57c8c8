/**
 * @module What the documented task-creating endpoints share: the output format, custom keys, the
 * multipart body and the `{num, taskId}` answer.
 */
import type {KyInstance} from 'ky';
import * as z from 'zod/mini';
import {createVendorError} from '../../errors/create-vendor-error.ts';
import {SupametasInputError, type SupametasInputIssue} from './SupametasInputError.ts';
import {supametas} from './supametas.ts';

/**
 * The output document format: `getDemandFormat` `"1"` (JSON) or `"2"` (Markdown) on the wire.
 *
 * @example
 * ```ts
 * const format: SupametasOutputFormat = 'markdown';
 * ```
 */
export type SupametasOutputFormat = 'json' | 'markdown';

/**
 * A custom field to extract: its key and a description that tells the model what it means.
 *
 * @example
 * ```ts
 * const key: SupametasCustomKey = {key: 'invoiceTotal', desc: 'The total amount due, with currency'};
 * ```
 */
export type SupametasCustomKey = {
  /** The field's key in the output. */
  readonly key: string;
  /**
   * What the field means.
   * @default undefined (sent as an empty string)
   */
  readonly desc?: string | undefined;
};

/**
 * A created task: `num` files taken in, and the id to pass to `waitForTask()`.
 *
 * @example
 * ```ts
 * const {taskId} = await createFileTask(api, input);
 * ```
 */
export type SupametasCreatedTask = {
  /** Number of files processed. */
  readonly num: number;
  /** The import task id, for `query-task` / `waitForTask()`. */
  readonly taskId: string;
};

/**
 * Options of the task-creating helpers. Every field is optional.
 *
 * @example
 * ```ts
 * await createImageTask(api, input, {signal: AbortSignal.timeout(60_000)});
 * ```
 */
export type CreateTaskOptions = {
  /**
   * Aborts the upload.
   * @default undefined
   */
  readonly signal?: AbortSignal;
};

const FORMAT_CODES: Readonly<Record<SupametasOutputFormat, string>> = {json: '1', markdown: '2'};

/** The wire value of a documented 1/0 flag. */
export const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'must be a non-empty string'));

const customKeySchema = z.object({
  key: nonEmpty,
  desc: z.optional(z.string()),
});

/** The zod schema of the fields every task-creating endpoint shares. */
export const commonFields = {
  format: z.enum(['json', 'markdown'], 'must be "json" or "markdown"'),
  customKeys: z.optional(z.array(customKeySchema, 'must be an array of {key, desc?}')),
};

/** The zod schema of the uploaded file: a `Blob`, named by `fileName` or by the `File` itself. */
export const fileFields = {
  file: z.instanceof(Blob, {error: 'must be a File or a Blob'}),
  fileName: z.optional(nonEmpty),
};

const WIRE_FIELDS: Readonly<Record<string, string>> = {
  format: 'data.getDemandFormat',
  title: 'data.title',
  contentDetails: 'data.contentDetails',
  getImageText: 'data.getImageText',
  imageText: 'data.getImageText',
  customKeys: 'data.customKeys',
};

const toIssues = (error: {
  readonly issues: readonly {readonly path: readonly PropertyKey[]; readonly message: string}[];
}): SupametasInputIssue[] =>
  error.issues.map((issue) => {
    const [head, ...rest] = issue.path.map(String);
    const field = [WIRE_FIELDS[head ?? ''] ?? head ?? 'input', ...rest].join('.');
    return {field, reason: issue.message};
  });

/**
 * Parses an input with a schema, or throws `SupametasInputError` naming every bad field as the
 * API names it.
 */
export const parseInput = <Schema extends z.ZodMiniType>(
  endpoint: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new SupametasInputError(endpoint, toIssues(result.error));
  }
  return result.data;
};

/** The file's name: `fileName`, else the `File`'s own name. */
export const nameOf = (file: Blob, fileName: string | undefined): string | undefined =>
  fileName ??
  (typeof File !== 'undefined' && file instanceof File && file.name !== '' ? file.name : undefined);

/** Checks the file name against the documented types, or throws `SupametasInputError`. */
export const checkFileType = (
  endpoint: string,
  name: string | undefined,
  allowed: RegExp,
  types: string,
): string => {
  if (name === undefined) {
    throw new SupametasInputError(endpoint, [
      {field: 'file', reason: 'needs a name (pass a File or `fileName`)'},
    ]);
  }
  if (!allowed.test(name)) {
    throw new SupametasInputError(endpoint, [
      {field: 'file', reason: `must be one of ${types} (got "${name}")`},
    ]);
  }
  return name;
};

/** The documented `data` fields shared by every task: format and custom keys. */
export const commonData = (
  format: SupametasOutputFormat,
  customKeys: readonly SupametasCustomKey[] | undefined,
): Record<string, unknown> => ({
  getDemandFormat: FORMAT_CODES[format],
  ...(customKeys === undefined
    ? {}
    : {customKeys: customKeys.map(({key, desc}) => ({key, desc: desc ?? ''}))}),
});

const createdSchema = z.object({num: z.number(), taskId: z.string().check(z.minLength(1))});

/**
 * Sends the documented multipart body (`file` and `data` as JSON text) and returns the created
 * task. Errors in the envelope are thrown by `withVendor(supametas)`; a success without a task id
 * is a `ServerError` (category `unknown`), not resent since the task may exist.
 */
export const postTask = async (
  api: KyInstance,
  endpoint: string,
  file: Blob,
  fileName: string,
  data: Record<string, unknown>,
  options: CreateTaskOptions,
): Promise<SupametasCreatedTask> => {
  const form = new FormData();
  form.set('file', file, fileName);
  form.set('data', JSON.stringify(data));
  const response = await api.post(endpoint, {
    body: form,
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  });
  const body = await response.json<{data?: unknown}>();
  const created = createdSchema.safeParse(body?.data);
  if (!created.success) {
    throw createVendorError(
      {
        vendor: supametas.name,
        action: 'fail',
        category: 'unknown',
        status: response.status,
        message: 'Expected {num, taskId} in the response data',
      },
      {envelope: body, method: 'POST', url: response.url === '' ? undefined : response.url, response},
    );
  }
  return created.data;
};
