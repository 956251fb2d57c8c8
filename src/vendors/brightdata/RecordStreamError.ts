/**
 * @module `RecordStreamError`: a downloaded snapshot that cannot be read as records.
 */

/** Why the records could not be read. */
export type RecordStreamProblem = 'truncated' | 'malformed' | 'line-too-long';

/** What a `RecordStreamError` is built from. */
export type RecordStreamErrorInit = {
  readonly problem: RecordStreamProblem;
  /** The 1-based line (NDJSON) where reading stopped; 1 for a JSON document. */
  readonly line: number;
  /** Records already handed out before the problem. */
  readonly records: number;
  readonly message: string;
  readonly cause?: unknown;
};

/**
 * A snapshot body that is not whole or not records: the connection dropped mid-body
 * (`truncated`, safe to download again), a line is not JSON (`malformed`), or a line is longer
 * than the limit (`line-too-long`). The message names the line, never its content (records may
 * hold personal data).
 *
 * @example
 * ```ts
 * try {
 *   for await (const record of snapshotRecords(response)) await save(record);
 * } catch (error) {
 *   if (error instanceof RecordStreamError && error.problem === 'truncated') {
 *     // download again and skip error.records records
 *   }
 * }
 * ```
 */
export class RecordStreamError extends Error {
  override name = 'RecordStreamError' as const;
  readonly problem: RecordStreamProblem;
  readonly line: number;
  readonly records: number;

  constructor(init: RecordStreamErrorInit) {
    super(init.message, init.cause === undefined ? undefined : {cause: init.cause});
    this.problem = init.problem;
    this.line = init.line;
    this.records = init.records;
  }
}
