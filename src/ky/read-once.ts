/**
 * @module `readOnce()`: read a response body once, bounded in decoded bytes and time, and hand the
 * caller a response that still has it: no `clone()`, no second read, no second parse. Error bodies
 * and inspected 2xx bodies go through this one reader.
 */
import {parseBody} from '../core/parse-body.ts';
import {rebuildResponse} from './rebuild-response.ts';
import {rememberParsedJson} from './reuse-parsed-json.ts';

/** Limits for `readOnce()`. */
export type ReadOnceLimits = {
  /** The most body bytes read (as fetch hands them out, after any `Content-Encoding`). */
  readonly maxBytes: number;
  /** How long the read may take. */
  readonly timeoutMs: number;
  /** Stops the read early (the call was aborted). */
  readonly signal?: AbortSignal | undefined;
};

/** Why a body was not read in full. */
export type ReadOnceIncomplete = 'too-large' | 'timeout' | 'broken' | 'aborted';

/**
 * The body as `classify()` takes it and a response to hand on in place of the one read. When
 * complete, `response` is rebuilt from the bytes read (its `.json()`, `.text()`,
 * `.arrayBuffer()` work as before) and `text` is the decoded body. When not, `response` gives
 * the bytes already read followed by the rest of the original stream, exactly as the original
 * would have (its error too, for a broken body).
 */
export type ReadOnceResult =
  | {readonly complete: true; readonly body: unknown; readonly text: string; readonly response: Response}
  | {readonly complete: false; readonly reason: ReadOnceIncomplete; readonly response: Response};

type Pending = Promise<ReadableStreamReadResult<Uint8Array>>;

/** A body that gives `chunks` first, then whatever `reader` still has (starting with `pending`). */
const continued = (
  chunks: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
  pending: Pending | undefined,
): ReadableStream<Uint8Array> => {
  let next = pending;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = chunks.shift();
        if (chunk !== undefined) {
          controller.enqueue(chunk);
          return;
        }
        const read = next ?? reader.read();
        next = undefined;
        try {
          const result = await read;
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        chunks.length = 0;
        return reader.cancel(reason);
      },
    },
    {highWaterMark: 0},
  );
};

/** Decodes whole bodies only (never `stream: true`), so one instance serves every call. */
const decoder = new TextDecoder();

/**
 * A body that gives `bytes` as they are: a `Uint8Array` body is copied by the `Response`
 * constructor (for 64 KB that costs more than the rest of the call), a stream's chunks are not.
 */
const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });

/** What `parseBody()` would try as JSON. */
const LOOKS_LIKE_JSON = /^\s*[[{"]/;

const concat = (chunks: readonly Uint8Array[], size: number): Uint8Array => {
  // Most small bodies arrive in one chunk: no copy then.
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
 * Decodes and parses the body as `classify()` wants it (JSON when it looks like JSON, else text),
 * and remembers a JSON value for the caller's `.json()` when `JSON.parse` of the very same text
 * gives it, as ky's own `.json()` would.
 */
const complete = (response: Response, bytes: Uint8Array): ReadOnceResult => {
  // Response.text() decodes as UTF-8 and drops a BOM: the same text the caller's .json() gets.
  const text = decoder.decode(bytes);
  // The caller's `.json()` decodes the bytes again (cheap) and gets the parsed value below. Handing
  // it this very text instead (an own `text()` on the response) measured slower: a 64 KB body
  // cost 30-50 % more CPU per call, most of it in garbage collection.
  const rebuilt = rebuildResponse(response, streamOf(bytes));
  return {complete: true, body: parseRemembered(rebuilt, text), text, response: rebuilt};
};

/** `text` parsed, its JSON value remembered for `rebuilt`'s `.json()` (see `complete()`). */
const parseRemembered = (rebuilt: Response, text: string): unknown => {
  if (LOOKS_LIKE_JSON.test(text)) {
    try {
      const body: unknown = JSON.parse(text);
      rememberParsedJson(rebuilt, text, body);
      return body;
    } catch {
      // Not JSON for JSON.parse as it is; parseBody may still read it (it trims first).
    }
  }
  return parseBody(text);
};

/** A body not read in full: the response handed on gives `rest` (or is the original, untouched). */
const incomplete = (
  reason: ReadOnceIncomplete,
  response: Response,
  rest?: ReadableStream<Uint8Array>,
): ReadOnceResult => ({
  complete: false,
  reason,
  response: rest === undefined ? response : rebuildResponse(response, rest),
});

type Stop = 'timeout' | 'aborted';
type Outcome<T> = {readonly value: T} | {readonly error: unknown} | Stop;

/**
 * One time limit and one abort listener for a whole read, however many chunks it takes; each
 * chunk's read races them (by hand: `Promise.race` costs more than a small body's whole read).
 * `dispose()` clears both.
 */
const createLimit = (limits: ReadOnceLimits) => {
  let stopped: Stop | undefined;
  let settle: ((why: Stop) => void) | undefined;
  const stop = (why: Stop) => {
    stopped ??= why;
    settle?.(why);
  };
  const timer = setTimeout(() => stop('timeout'), limits.timeoutMs);
  const onAbort = () => stop('aborted');
  if (limits.signal?.aborted === true) onAbort();
  limits.signal?.addEventListener('abort', onAbort, {once: true});
  return {
    race: <T>(read: Promise<T>): Promise<Outcome<T>> =>
      stopped === undefined
        ? new Promise<Outcome<T>>((resolve) => {
            settle = resolve;
            read.then(
              (value) => resolve({value}),
              (error: unknown) => resolve({error}),
            );
          })
        : Promise.resolve(stopped),
    dispose: () => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
    },
  };
};

/**
 * Whether fetch decodes the body (`Content-Encoding: br`, `gzip`, …): then its declared
 * `Content-Length` counts the encoded bytes and says nothing of how many the decoder hands out.
 */
const encoded = (response: Response): boolean =>
  (response.headers.get('content-encoding')?.trim().toLowerCase() || 'identity') !== 'identity';

/**
 * A body of declared length within the cap, without a content coding: one `arrayBuffer()` is much
 * cheaper than a reader loop for the small bodies this is for, and fetch enforces an identity
 * body's `Content-Length`, so the cap holds.
 */
const readDeclared = async (response: Response, limits: ReadOnceLimits): Promise<ReadOnceResult> => {
  const whole = response.arrayBuffer();
  const limit = createLimit(limits);
  const outcome = await limit.race(whole);
  limit.dispose();
  if (typeof outcome === 'object' && 'error' in outcome) {
    const {error} = outcome;
    const failed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(error);
      },
    });
    return incomplete('broken', response, failed);
  }
  if (typeof outcome === 'string') {
    // The read goes on; the caller's body waits for it.
    const later = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          controller.enqueue(new Uint8Array(await whole));
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
    });
    whole.catch(() => {});
    return incomplete(outcome, response, later);
  }
  return complete(response, new Uint8Array(outcome.value));
};

/**
 * Reads `response`'s body once, at most `limits.maxBytes` decoded bytes within `limits.timeoutMs`,
 * and returns the parsed body with a response that stands in for the one read (see
 * `ReadOnceResult`). Bytes are counted as fetch decodes them, on every path: a declared length, a
 * chunked body and a compressed one alike, so a few hundred compressed bytes that inflate to 100 MB
 * stop at the cap (cancelling the response handed on stops the decoder: the rest is never
 * inflated). A JSON body's parsed value is remembered for that response, so a ky instance whose
 * `parseJson` is `reuseParsedJson()` does not parse it again. A body without a content coding
 * declared longer than the cap is not touched: the original response comes back. Never throws and
 * leaves no timer behind.
 *
 * @example
 * ```ts
 * const read = await readOnce(response, {maxBytes: 65_536, timeoutMs: 10_000});
 * const verdict = classify(vendor, {status, headers, body: read.complete ? read.body : undefined});
 * return read.response; // the caller's .json() reuses read.body
 * ```
 */
export const readOnce = async (response: Response, limits: ReadOnceLimits): Promise<ReadOnceResult> => {
  if (response.body === null) {
    return {complete: true, body: undefined, text: '', response};
  }
  const declared = response.headers.get('content-length');
  if (
    !encoded(response) &&
    declared !== null &&
    declared.trim() !== '' &&
    Number.isFinite(Number(declared))
  ) {
    return Number(declared) > limits.maxBytes
      ? incomplete('too-large', response)
      : readDeclared(response, limits);
  }
  const reader = response.body.getReader();
  const limit = createLimit(limits);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const pending = reader.read();
      const outcome = await limit.race(pending);
      if (typeof outcome === 'string' || 'error' in outcome) {
        // The read in flight is handed on: the caller's body starts with what it brings (or its
        // error, for a broken body).
        pending.catch(() => {});
        const reason = typeof outcome === 'string' ? outcome : 'broken';
        return incomplete(reason, response, continued(chunks, reader, pending));
      }
      if (outcome.value.done) break;
      chunks.push(outcome.value.value);
      size += outcome.value.value.byteLength;
      if (size > limits.maxBytes) {
        return incomplete('too-large', response, continued(chunks, reader, undefined));
      }
    }
  } finally {
    limit.dispose();
  }
  reader.releaseLock();
  return complete(response, concat(chunks, size));
};
