/**
 * @module `SupametasInputError`: task input refused before anything is sent.
 */

/** One problem with a task input: the field (as the API names it) and what is wrong with it. */
export type SupametasInputIssue = {
  /** The field, dotted as in the request (`data.getDemandFormat`, `file`, `data.customKeys.0.key`). */
  readonly field: string;
  /** What is wrong, in words a caller can act on. */
  readonly reason: string;
};

/**
 * A task input that Supametas would refuse (it answers `OPS40001`–`OPS40004`, "参数值不正确" and
 * the like, without saying which field): thrown by `createFileTask()` and `createImageTask()`
 * before the request is sent, naming every bad field. A `TypeError`, like every input check of
 * this library.
 *
 * @example
 * ```ts
 * try {
 *   await createFileTask(api, {file, format: 'json', title: true, contentDetails: true});
 * } catch (error) {
 *   if (error instanceof SupametasInputError) console.log(error.issues); // [{field: 'file', reason: …}]
 * }
 * ```
 */
export class SupametasInputError extends TypeError {
  override name = 'SupametasInputError';
  /** The endpoint the input was for (`file-task`, `image-task`). */
  readonly endpoint: string;
  /** Every problem found, in field order. */
  readonly issues: readonly SupametasInputIssue[];

  constructor(endpoint: string, issues: readonly SupametasInputIssue[]) {
    super(`Invalid ${endpoint} input: ${issues.map(({field, reason}) => `${field} ${reason}`).join('; ')}`);
    this.endpoint = endpoint;
    this.issues = issues;
  }
}
