/**
 * @module Serves a simulator's `(request) => response` as a loopback HTTP server (Node, no msw).
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * A simulator's whole behaviour: one request in, one response out.
 *
 * @example
 * ```ts
 * const handle: SimulatorHandler = (request) => Response.json({url: request.url});
 * ```
 */
export type SimulatorHandler = (request: Request) => Promise<Response> | Response;

/**
 * A running loopback server.
 *
 * @example
 * ```ts
 * const {url, close}: LoopbackServer = await startLoopbackServer(handle);
 * ```
 */
export type LoopbackServer = {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** Stops the server and drops open keep-alive connections. */
  readonly close: () => Promise<void>;
};

/** Request headers that describe the connection, not the request. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade']);

const toRequest = async (message: IncomingMessage, origin: string): Promise<Request> => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      headers.append(name, item);
    }
  }
  const method = message.method ?? 'GET';
  const url = new URL(message.url ?? '/', origin);
  if (method === 'GET' || method === 'HEAD') {
    return new Request(url, {method, headers});
  }
  const chunks: Buffer[] = [];
  for await (const chunk of message) {
    chunks.push(chunk as Buffer);
  }
  return new Request(url, {method, headers, body: Buffer.concat(chunks)});
};

const writeResponse = async (response: Response, target: ServerResponse): Promise<void> => {
  target.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'transfer-encoding') {
      target.setHeader(name, value);
    }
  });
  target.end(Buffer.from(await response.arrayBuffer()));
};

/**
 * Starts a `node:http` server on 127.0.0.1 with an ephemeral port that answers with `handle`.
 * A handler that throws answers 500 with the error's message.
 *
 * @example
 * ```ts
 * const {url, close} = await startLoopbackServer((request) => sim.handle(request));
 * try {
 *   await fetch(`${url}/ping`);
 * } finally {
 *   await close();
 * }
 * ```
 */
export const startLoopbackServer = async (handle: SimulatorHandler): Promise<LoopbackServer> => {
  let origin = 'http://127.0.0.1';
  const server = createServer((message, target) => {
    const respond = async (): Promise<void> => {
      let response: Response;
      try {
        response = await handle(await toRequest(message, origin));
      } catch (error) {
        response = new Response(error instanceof Error ? error.message : 'simulator error', {status: 500});
      }
      await writeResponse(response, target);
    };
    respond().catch(() => {
      target.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
