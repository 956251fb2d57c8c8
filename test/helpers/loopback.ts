/**
 * @module A loopback HTTP server for tests that need real sockets: resets, truncated and slow bodies.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {afterAll, afterEach, beforeAll} from 'vitest';
import {server as msw} from './server.ts';

/**
 * Answers one request. It may write anything, or break the connection (`request.socket.destroy()`).
 * `hit` counts the requests with the same `x-request-id` header (or the same path) so far, from 1.
 * A returned promise is awaited; if it rejects, the connection is destroyed.
 */
export type LoopbackHandler = (request: IncomingMessage, response: ServerResponse, hit: number) => unknown;

/** What the server saw of one request. */
export type SeenRequest = {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
};

/** The loopback server of one test file. */
export type Loopback = {
  /** `http://127.0.0.1:<port>` (known once the file's `beforeAll` ran). */
  readonly url: string;
  /** Requests seen since the current test began, in arrival order. */
  readonly requests: readonly SeenRequest[];
  /** Requests seen per key (`x-request-id`, else the path) since the current test began. */
  readonly hits: ReadonlyMap<string, number>;
  /** Errors thrown by handlers since the current test began (the socket was destroyed). */
  readonly errors: readonly unknown[];
  /** Sets the handler for the rest of the current test. */
  readonly handle: (handler: LoopbackHandler) => void;
  /** Destroys every open socket (spare ones included); resolves once all are closed. */
  readonly dropConnections: () => Promise<void>;
};

const noHandler: LoopbackHandler = (_request, response) => {
  response.writeHead(599, {'content-type': 'text/plain'});
  response.end('no loopback handler for this test');
};

const keyOf = (request: IncomingMessage): string => {
  const id = request.headers['x-request-id'];
  return typeof id === 'string' ? id : (request.url ?? '/');
};

/**
 * Starts a `node:http` server on 127.0.0.1 (ephemeral port) for the calling test file, with a
 * handler per test. msw, which the suite's setup starts for every file, is switched off for the
 * file so `fetch` reaches the real socket. Every response closes its connection, every socket is
 * destroyed after each test, and the server closes after the file.
 *
 * @example
 * ```ts
 * const loopback = useLoopback();
 * test('a reset is retried', async () => {
 *   loopback.handle((request, response, hit) => (hit === 1 ? request.socket.destroy() : response.end('ok')));
 *   await ky.get(`${loopback.url}/x`);
 * });
 * ```
 */
export const useLoopback = (): Loopback => {
  let handler = noHandler;
  let url = '';
  let requests: SeenRequest[] = [];
  let hits = new Map<string, number>();
  let errors: unknown[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const key = keyOf(request);
    const hit = (hits.get(key) ?? 0) + 1;
    hits.set(key, hit);
    requests.push({method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers});
    // One connection per request: a pooled socket closed by the previous test (or by a fault)
    // must never be reused, or a request fails for a reason the test did not stage.
    response.shouldKeepAlive = false;
    const current = handler;
    Promise.resolve()
      .then(() => current(request, response, hit))
      .catch((error: unknown) => {
        errors.push(error);
        request.socket.destroy();
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Client-side resets show up as socket errors on the server: expected here, never fatal.
  server.on('clientError', (_error, socket) => socket.destroy());

  const dropConnections = async (): Promise<void> => {
    const closing = [...sockets].map(
      (socket) =>
        new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve()))),
    );
    for (const socket of sockets) {
      socket.destroy();
    }
    sockets.clear();
    await Promise.all(closing);
  };

  beforeAll(async () => {
    msw.close();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A deep backlog: a thousand concurrent connects must not wait on SYN retransmits.
      server.listen({port: 0, host: '127.0.0.1', backlog: 2048}, () => {
        server.off('error', reject);
        resolve();
      });
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await dropConnections();
    // fetch may hold a spare connection it never used: let it see the close before the next
    // test, or that test's first request goes out on a dead socket.
    await new Promise((resolve) => setTimeout(resolve, 20));
    handler = noHandler;
    requests = [];
    hits = new Map();
    errors = [];
  });
  afterAll(async () => {
    await dropConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // The suite's teardown closes msw once more; it must be listening then.
    msw.listen({onUnhandledFrame: 'error'});
  });

  return {
    get url() {
      return url;
    },
    get requests() {
      return requests;
    },
    get hits() {
      return hits;
    },
    get errors() {
      return errors;
    },
    handle: (next) => {
      handler = next;
    },
    dropConnections,
  };
};
