/**
 * @module Reading a downloaded snapshot: a JSON document, or NDJSON/JSONL records streamed one by one.
 */
import {openSnapshotBody} from './open-snapshot-body.ts';
import {RecordIterator, truncated} from './RecordIterator.ts';
import {RecordStreamError} from './RecordStreamError.ts';

/**
 * Options of `snapshotRecords()`. Every field is optional.
 *
 * @example
 * ```ts
 * snapshotRecords(response, {maxLineBytes: 1024 * 1024});
 * ```
 */
export type SnapshotRecordsOptions = {
  /**
   * The longest line accepted, in bytes; a longer one throws `RecordStreamError`
   * (`line-too-long`) instead of growing memory without bound.
   * @default 16_777_216 (16 MiB)
   */
  readonly maxLineBytes?: number;
};

const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The records of a snapshot: an async generator (`for await`), plus `forEach`, which hands on the
 * records of each chunk without a promise per record.
 *
 * @example
 * ```ts
 * await snapshotRecords<Profile>(response).forEach((record) => index.add(record));
 * ```
 */
export type RecordStream<T> = AsyncGenerator<T, void, undefined> & {
  /**
   * Calls `callback` with each record in order; resolves when the body is read. A callback that
   * returns a promise is awaited before the next record. A throw or rejection stops the read,
   * cancels the download and rejects with it; the stream's own errors are `RecordStreamError`s,
   * as with `for await`.
   */
  readonly forEach: (callback: (record: T, index: number) => unknown) => Promise<void>;
};

/**
 * Streams the records of an NDJSON/JSONL snapshot (`format: 'ndjson'` or `'jsonl'`), one parsed
 * line at a time, without holding the whole body: memory stays at one chunk plus one line. Blank
 * lines are skipped; CRLF line ends are accepted; a gzip body is unpacked. Breaking out of the
 * loop cancels the download. Each chunk is decoded once and split on line feeds. `for await`
 * pays a promise per record (any async iterator does); `.forEach(callback)` hands on the records of
 * each chunk without one, at the cost of a hand-written split + `JSON.parse` loop.
 *
 * @throws {RecordStreamError} `truncated` when the connection drops mid-body or the last line is
 *   cut short, `malformed` when a complete line is not JSON, `line-too-long` past `maxLineBytes`.
 * @example
 * ```ts
 * const response = await downloadSnapshot(api, id, {format: 'ndjson'});
 * for await (const record of snapshotRecords<Profile>(response)) {
 *   await db.insert(record);
 * }
 * ```
 */
export const snapshotRecords = <T = unknown>(
  response: Response,
  options: SnapshotRecordsOptions = {},
): RecordStream<T> => new RecordIterator<T>(response, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);

/**
 * Reads a JSON snapshot (`format: 'json'`, the default) as one value, gunzipping it if needed.
 * Buffers the whole body: for big snapshots prefer NDJSON with `snapshotRecords()`.
 *
 * @throws {RecordStreamError} `truncated` when the body breaks off (connection dropped, JSON cut
 *   short), `malformed` when it is complete but not JSON.
 * @example
 * ```ts
 * const records = await snapshotJson<Profile[]>(await downloadSnapshot(api, id));
 * ```
 */
export const snapshotJson = async <T = unknown>(response: Response): Promise<T> => {
  let text = '';
  try {
    const reader = await openSnapshotBody(response);
    const decoder = new TextDecoder();
    for (let chunk = await reader?.read(); chunk !== undefined && !chunk.done; chunk = await reader?.read()) {
      text += decoder.decode(chunk.value, {stream: true});
    }
    text += decoder.decode();
  } catch (error) {
    throw truncated(1, 0, error);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    // A JSON snapshot is an array or an object: if it does not end like one, it was cut short.
    if (!/[\]}]\s*$/.test(text)) {
      throw truncated(1, 0, error);
    }
    throw new RecordStreamError({
      problem: 'malformed',
      line: 1,
      records: 0,
      message: `The snapshot body is not JSON (${text.length} characters)`,
      cause: error,
    });
  }
};
