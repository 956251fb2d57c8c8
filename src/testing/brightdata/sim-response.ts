/**
 * @module Turns simulator answers into web `Response`s and web `Request`s into simulator requests.
 */
import type {SimRequest, SimResponse} from './sim-types.ts';

const gzip = async (bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> => {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};

/** The bytes an adapter sends for a simulator answer: the body, gzipped when asked. */
export const encodeBody = async (response: SimResponse): Promise<Uint8Array<ArrayBuffer>> => {
  const bytes = new TextEncoder().encode(response.body);
  return response.gzip === true ? gzip(bytes) : bytes;
};

/** The error a cut-off body stream fails with, as undici reports a dropped connection. */
export const truncatedStreamError = (): TypeError =>
  new TypeError('terminated: the connection was closed mid-body');

/**
 * A web `Response` for a simulator answer. A truncated answer streams its first bytes, then
 * errors the stream, as a dropped connection does.
 */
export const toResponse = async (response: SimResponse): Promise<Response> => {
  const bytes = await encodeBody(response);
  const init = {status: response.status, headers: response.headers};
  const cut = response.truncateAtBytes;
  if (cut === undefined || cut >= bytes.byteLength) {
    return new Response(bytes.byteLength === 0 || response.status === 204 ? null : bytes, init);
  }
  const head = bytes.slice(0, Math.max(0, cut));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.byteLength > 0) controller.enqueue(head);
    },
    pull(controller) {
      controller.error(truncatedStreamError());
    },
  });
  return new Response(stream, init);
};

/** Reads a web `Request` into the simulator's request shape. */
export const fromRequest = async (request: Request): Promise<SimRequest> => {
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(body === undefined ? {} : {body}),
  };
};
