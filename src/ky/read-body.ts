/**
 * @module Bounded, time-limited reading of a response body for classification.
 */
import {parseBody} from '../core/parse-body.ts';

/** Limits for `readBody`. */
export type ReadBodyLimits = {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
};

/** Why a body was not read in full. */
export type IncompleteReason = 'too-large' | 'timeout' | 'broken';

/** The body as `classify()` takes it, or why it could not be read in full. */
export type ReadBodyResult =
  | {readonly body: unknown; readonly complete: true}
  | {readonly body: undefined; readonly complete: false; readonly reason: IncompleteReason};

/** Encodings whose decoded size the declared `Content-Length` says nothing about. */
const encoded = (response: Response): boolean => {
  const coding = response.headers.get('content-encoding');
  return coding !== null && coding.trim() !== '' && coding.trim().toLowerCase() !== 'identity';
};

/**
 * Reads at most `maxBytes` of `response`'s decoded body within `timeoutMs`, then parses it (JSON
 * when it looks like JSON, else text). Bytes are counted as `fetch` decodes them, on every path:
 * a declared length, a chunked body and a compressed one (`Content-Encoding: br`, `gzip`, …) alike,
 * so a few hundred compressed bytes that inflate to 100 MB stop at the cap. A body over the cap is
 * cancelled, never read to its end; one slower than the limit or broken mid-stream is too. Each
 * yields `{body: undefined, complete: false}`, and the response is then classified by status and
 * headers. Never throws and leaves no timer behind.
 */
export const readBody = async (response: Response, limits: ReadBodyLimits): Promise<ReadBodyResult> => {
  if (response.body === null) {
    return {body: undefined, complete: true};
  }
  // Without a content coding the declared length is the decoded length: refuse before reading.
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!encoded(response) && Number.isFinite(declared) && declared > limits.maxBytes) {
    // Not awaited: cancelling one branch of a tee (the clone being classified) settles only
    // when the other branch is cancelled or read too, which happens after this returns.
    response.body.cancel().catch(() => {});
    return {body: undefined, complete: false, reason: 'too-large'};
  }
  if (!encoded(response) && Number.isFinite(declared)) {
    return readDeclared(response, limits);
  }
  const reader = response.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), limits.timeoutMs);
  });
  const onAbort = (): void => {
    reader.cancel().catch(() => {});
  };
  limits.signal?.addEventListener('abort', onAbort, {once: true});
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'expired') {
        return {body: undefined, complete: false, reason: 'timeout'};
      }
      if (next.done) {
        break;
      }
      size += next.value.byteLength;
      if (size > limits.maxBytes) {
        return {body: undefined, complete: false, reason: 'too-large'};
      }
      chunks.push(next.value);
    }
  } catch {
    return {body: undefined, complete: false, reason: 'broken'};
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onAbort);
    // Stops the decoder too: the rest of an oversized body is never inflated.
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return {body: parseBody(new TextDecoder().decode(bytes)), complete: true};
};

/**
 * A body without a content coding whose declared length fits the cap: `text()` is much cheaper
 * than a reader loop for the small status and error bodies this is for. fetch enforces an
 * identity body's Content-Length, so no more than the declared bytes can arrive and the cap holds.
 */
const readDeclared = async (response: Response, limits: ReadBodyLimits): Promise<ReadBodyResult> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), limits.timeoutMs);
  });
  const text = response.text();
  // Settles after a timeout too, when ky drops the connection: nothing may go unhandled then.
  text.catch(() => {});
  try {
    const result = await Promise.race([text, expired]);
    return result === 'expired'
      ? {body: undefined, complete: false, reason: 'timeout'}
      : {body: parseBody(result), complete: true};
  } catch {
    return {body: undefined, complete: false, reason: 'broken'};
  } finally {
    clearTimeout(timer);
  }
};
