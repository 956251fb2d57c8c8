/**
 * @module `RecordIterator`: the NDJSON reader behind `snapshotRecords()`, one record per `next()`.
 */
import {openSnapshotBody, type SnapshotByteSource} from './open-snapshot-body.ts';
import {RecordStreamError} from './RecordStreamError.ts';
import {utf8Length} from './utf8-length.ts';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The body broke off (connection dropped, last record cut short): safe to download again. */
export const truncated = (line: number, records: number, cause?: unknown): RecordStreamError =>
  new RecordStreamError({
    problem: 'truncated',
    line,
    records,
    message: `The snapshot body ended mid-record at line ${line} after ${records} records`,
    cause,
  });

const tooLong = (line: number, records: number, maxLineBytes: number): RecordStreamError =>
  new RecordStreamError({
    problem: 'line-too-long',
    line,
    records,
    message: `Line ${line} of the snapshot is longer than ${maxLineBytes} bytes`,
  });

/**
 * Whether a decoded line is longer than `maxBytes` in UTF-8. A UTF-16 unit takes 1 to 3 bytes (a
 * surrogate pair 4 for 2 units), so the length alone decides all but a narrow band; only there
 * are the bytes counted.
 */
const overLimit = (text: string, maxBytes: number): boolean =>
  text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes);

/** Marks "no record here": a blank line, or a chunk used up. */
const SKIP: unique symbol = Symbol('skip');
const NEED_BYTES: unique symbol = Symbol('need-bytes');
const DONE: IteratorReturnResult<void> = Object.freeze({done: true, value: undefined});

/**
 * Parses one line. JSON's own whitespace rules drop the `\r` of a CRLF and any padding, so a line
 * goes to `JSON.parse` as it is; only when that fails does it matter whether it was blank.
 */
const parseLine = (text: string, line: number, records: number, complete: boolean): unknown => {
  if (text.length === 0 || (text.length === 1 && text.charCodeAt(0) === CARRIAGE_RETURN)) return SKIP;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') return SKIP;
    if (!complete) throw truncated(line, records, error);
    throw new RecordStreamError({
      problem: 'malformed',
      line,
      records,
      message: `Line ${line} of the snapshot is not JSON (${utf8Length(text)} bytes)`,
      cause: error,
    });
  }
};

/**
 * Reads NDJSON records one per `next()`. Each chunk is decoded once and split on `\n` (in UTF-8 a
 * line feed is always the single byte 0x0A, never part of a longer character); a line or a
 * character cut between chunks is joined before it is parsed. A record already in the decoded
 * chunk is returned without awaiting anything, which is why this is a hand-written iterator and
 * not an async generator: a generator's `yield` costs several promise turns per record, more than
 * parsing a small record does.
 *
 * Memory stays at one chunk plus the line being joined, which `maxLineBytes` bounds.
 */
export class RecordIterator<T> implements AsyncGenerator<T, void, undefined> {
  readonly #response: Response;
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder('utf-8', {fatal: false});
  #source: SnapshotByteSource | undefined;
  /** The decoded chunk being split, and where its next line starts. */
  #text = '';
  #position = 0;
  /** True once `#text` has no more whole lines: the next record needs bytes. */
  #usedUp = true;
  /** The first line of a chunk, joined with what the chunks before it left over. */
  #joined: string | undefined;
  /** The line not yet ended, and its size on the wire. */
  #carry = '';
  #carryBytes = 0;
  /** The bytes after the last line feed of the current chunk: the next carry's size. */
  #tailBytes = 0;
  #line = 0;
  #records = 0;
  #closed = false;
  #bodyEnded = false;
  #pulling: Promise<unknown> | undefined;

  constructor(response: Response, maxLineBytes: number) {
    this.#response = response;
    this.#maxLineBytes = maxLineBytes;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.#pulling !== undefined) {
      // Calls made while bytes are awaited are answered in order, as an async generator does.
      const after = () => this.next();
      return this.#pulling.then(after, after);
    }
    if (this.#closed) return Promise.resolve(DONE);
    let value: unknown;
    try {
      value = this.#scan();
    } catch (error) {
      return this.#fail(error);
    }
    if (value !== NEED_BYTES) return Promise.resolve({done: false, value: value as T});
    const pulling = this.#pull();
    this.#pulling = pulling;
    return pulling;
  }

  async return(): Promise<IteratorResult<T, void>> {
    await this.#close();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<T, void>> {
    await this.#close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Calls `callback` with each record in order and resolves once the body is read (as the async
   * iterator helpers' `forEach` does). Records already in the decoded chunk are handed on with no
   * promise in between, which a `for await` loop pays per record; a callback that returns a
   * promise is awaited before the next record. A throw (or rejection) stops the read, cancels the
   * download and rejects with it.
   */
  async forEach(callback: (record: T, index: number) => unknown): Promise<void> {
    if (this.#pulling !== undefined) await this.#pulling.catch(() => {});
    let index = 0;
    try {
      while (!this.#closed) {
        let value = this.#scan();
        if (value === NEED_BYTES) {
          const pulling = this.#pull();
          this.#pulling = pulling;
          const result = await pulling;
          if (result.done === true) return;
          value = result.value;
        }
        const returned = callback(value as T, index++);
        if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') await returned;
      }
    } catch (error) {
      await this.#close();
      throw error;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#close();
  }

  /** The next record of the decoded chunk, or `NEED_BYTES` when it has no whole line left. */
  #scan(): unknown {
    for (;;) {
      let text: string;
      if (this.#joined !== undefined) {
        text = this.#joined;
        this.#joined = undefined;
      } else {
        if (this.#usedUp) return NEED_BYTES;
        const end = this.#text.indexOf('\n', this.#position);
        if (end === -1) {
          this.#carry = this.#text.slice(this.#position);
          this.#carryBytes = this.#tailBytes;
          this.#text = '';
          this.#usedUp = true;
          if (this.#carryBytes > this.#maxLineBytes) {
            throw tooLong(this.#line + 1, this.#records, this.#maxLineBytes);
          }
          return NEED_BYTES;
        }
        text = this.#text.slice(this.#position, end);
        this.#position = end + 1;
      }
      this.#line++;
      if (overLimit(text, this.#maxLineBytes)) throw tooLong(this.#line, this.#records, this.#maxLineBytes);
      const value = parseLine(text, this.#line, this.#records, true);
      if (value !== SKIP) {
        this.#records++;
        return value;
      }
    }
  }

  /** Decodes a chunk; a chunk without a line feed only lengthens the carried line. */
  #feed(bytes: Uint8Array): void {
    const text = this.#decoder.decode(bytes, {stream: true});
    const end = text.indexOf('\n');
    if (end === -1) {
      this.#carry += text;
      this.#carryBytes += bytes.byteLength;
      if (this.#carryBytes > this.#maxLineBytes) {
        throw tooLong(this.#line + 1, this.#records, this.#maxLineBytes);
      }
      return;
    }
    this.#joined = this.#carry === '' ? text.slice(0, end) : this.#carry + text.slice(0, end);
    this.#carry = '';
    this.#carryBytes = 0;
    this.#text = text;
    this.#position = end + 1;
    this.#usedUp = false;
    this.#tailBytes = bytes.byteLength - bytes.lastIndexOf(NEWLINE) - 1;
  }

  /** Reads chunks until one holds a record, or the body ends. */
  async #pull(): Promise<IteratorResult<T, void>> {
    try {
      if (this.#source === undefined) {
        this.#source = await openSnapshotBody(this.#response).catch((error: unknown) => {
          throw truncated(1, 0, error);
        });
        if (this.#source === undefined) {
          this.#bodyEnded = true;
          this.#closed = true;
          return DONE;
        }
      }
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await this.#source.read();
        } catch (error) {
          throw truncated(this.#line + 1, this.#records, error);
        }
        if (this.#closed) return DONE;
        if (chunk.done) return this.#finish();
        this.#feed(chunk.value);
        const value = this.#scan();
        if (value !== NEED_BYTES) return {done: false, value: value as T};
      }
    } catch (error) {
      await this.#close();
      throw error;
    } finally {
      this.#pulling = undefined;
    }
  }

  /** The body ended: a last line without its line feed is a record if it parses, else a cut. */
  #finish(): IteratorResult<T, void> {
    this.#bodyEnded = true;
    this.#closed = true;
    const last = this.#carry + this.#decoder.decode();
    this.#carry = '';
    if (last === '') return DONE;
    this.#line++;
    const value = parseLine(last, this.#line, this.#records, false);
    if (value === SKIP) return DONE;
    this.#records++;
    return {done: false, value: value as T};
  }

  #fail(error: unknown): Promise<never> {
    return this.#close().then(() => {
      throw error;
    });
  }

  /** Stops reading; a body not read to its end is cancelled, so the download stops too. */
  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#text = '';
    this.#carry = '';
    if (this.#source !== undefined && !this.#bodyEnded) {
      await this.#source.cancel().catch(() => {});
    }
  }
}
