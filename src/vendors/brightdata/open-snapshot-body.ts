/**
 * @module Opening a downloaded snapshot's body: its own reader, or a gunzip of it.
 */

/** Where the bytes of a body come from: its own reader, or a gunzip of it. */
export type SnapshotByteSource = {
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
export const openSnapshotBody = async (response: Response): Promise<SnapshotByteSource | undefined> => {
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
