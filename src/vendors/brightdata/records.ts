/**
 * @module Reading a downloaded snapshot: a JSON document, or NDJSON/JSONL records streamed one by one.
 */
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
const NEWLINE = 0x0a;

/** Where the bytes of a body come from: its own reader, or a gunzip of it. */
type ByteSource = {
  readonly read: () => Promise<ReadableStreamReadResult<Uint8Array>>;
  readonly cancel: () => Promise<void>;
};

const isGzip = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Opens the body, gunzipping it when it starts with the gzip magic bytes (a `compress: true`
 * download is a gzip file, not a `Content-Encoding`). Plain bodies are read from their own
 * reader, so the records before a dropped connection are still handed out.
 */
const openBody = async (response: Response): Promise<ByteSource | undefined> => {
  if (response.body === null) {
    return undefined;
  }
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done || !isGzip(first.value)) {
    let peeked: ReadableStreamReadResult<Uint8Array> | undefined = first;
    return {
      read: () => {
        const result = peeked;
        peeked = undefined;
        return result === undefined ? reader.read() : Promise.resolve(result);
      },
      cancel: () => reader.cancel(),
    };
  }
  const head = first.value;
  const compressed = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) {
        controller.close();
      } else {
        controller.enqueue(next.value);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const unpacked = compressed
    // The DOM typings want ArrayBuffer-backed chunks; fetch bodies are, whatever their declared type.
    .pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
    .getReader();
  return {read: () => unpacked.read(), cancel: () => unpacked.cancel()};
};

const truncated = (line: number, records: number, cause?: unknown): RecordStreamError =>
  new RecordStreamError({
    problem: 'truncated',
    line,
    records,
    message: `The snapshot body ended mid-record at line ${line} after ${records} records`,
    cause,
  });

const concat = (chunks: readonly Uint8Array[], size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
};

/**
 * Streams the records of an NDJSON/JSONL snapshot (`format: 'ndjson'` or `'jsonl'`), one parsed
 * line at a time, without holding the whole body: memory stays at one line. Blank lines are
 * skipped; a gzip body is unpacked. Breaking out of the loop cancels the download.
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
export async function* snapshotRecords<T = unknown>(
  response: Response,
  options: SnapshotRecordsOptions = {},
): AsyncGenerator<T, void, undefined> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', {fatal: false});
  let line = 0;
  let records = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let finished = false;

  const parse = (bytes: Uint8Array, complete: boolean): {value: T} | undefined => {
    line++;
    const text = decoder.decode(bytes).replace(/\r$/, '');
    if (text.trim() === '') {
      return undefined;
    }
    try {
      return {value: JSON.parse(text) as T};
    } catch (error) {
      if (!complete) {
        throw truncated(line, records, error);
      }
      throw new RecordStreamError({
        problem: 'malformed',
        line,
        records,
        message: `Line ${line} of the snapshot is not JSON (${bytes.byteLength} bytes)`,
        cause: error,
      });
    }
  };

  const tooLong = (): RecordStreamError =>
    new RecordStreamError({
      problem: 'line-too-long',
      line: line + 1,
      records,
      message: `Line ${line + 1} of the snapshot is longer than ${maxLineBytes} bytes`,
    });

  const reader = await openBody(response).catch((error: unknown) => {
    throw truncated(1, 0, error);
  });
  if (reader === undefined) {
    return;
  }
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw truncated(line + 1, records, error);
      }
      if (chunk.done) {
        break;
      }
      let start = 0;
      const bytes = chunk.value;
      for (let index = bytes.indexOf(NEWLINE); index !== -1; index = bytes.indexOf(NEWLINE, start)) {
        const piece = bytes.subarray(start, index);
        if (pendingBytes + piece.byteLength > maxLineBytes) throw tooLong();
        const whole = concat([...pending, piece], pendingBytes + piece.byteLength);
        pending = [];
        pendingBytes = 0;
        start = index + 1;
        const parsed = parse(whole, true);
        if (parsed !== undefined) {
          records++;
          yield parsed.value;
        }
      }
      if (start < bytes.byteLength) {
        const rest = bytes.slice(start);
        if (pendingBytes + rest.byteLength > maxLineBytes) throw tooLong();
        pending.push(rest);
        pendingBytes += rest.byteLength;
      }
    }
    finished = true;
    if (pendingBytes > 0) {
      // A last line without its newline is fine if it parses; if not, the body was cut short.
      const parsed = parse(concat(pending, pendingBytes), false);
      if (parsed !== undefined) {
        records++;
        yield parsed.value;
      }
    }
  } finally {
    if (!finished) {
      await reader.cancel().catch(() => {});
    }
  }
}

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
    const reader = await openBody(response);
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
