/**
 * @module `startBrightdataServer()` and `brightdataFetch()`: the BrightData simulator on a loopback
 * HTTP port or in process, with no msw.
 */
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {encodeBody, fromRequest, toResponse} from './sim-response.ts';
import type {BrightdataSimulator} from './simulator.ts';

/** A running simulator server. */
export type BrightdataServer = {
  /** The origin to use as ky's `prefix`, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Stops accepting connections and closes open ones. */
  readonly close: () => Promise<void>;
};

/** Options of `startBrightdataServer()`. */
export type BrightdataServerOptions = {
  /**
   * The port; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * The address to listen on.
   * @default '127.0.0.1'
   */
  readonly host?: string;
};

/**
 * A `fetch` that answers from `sim` in-process: give it to ky (`ky.create({fetch})`) for tests
 * and benchmarks that need neither msw nor sockets. Honours the request's `AbortSignal`.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://api.brightdata.com', fetch: brightdataFetch(sim), ...withVendor(brightdata)});
 * ```
 */
export const brightdataFetch =
  (sim: BrightdataSimulator): typeof fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const response = await toResponse(sim.handle(await fromRequest(request)));
    request.signal.throwIfAborted();
    return response;
  };

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > MAX_REQUEST_BYTES) {
      throw new RangeError('request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Serves `sim` on a loopback port (127.0.0.1, a free port by default). A truncated download
 * declares its full `Content-Length`, sends the first bytes, then drops the connection.
 *
 * @example
 * ```ts
 * const {url, close} = await startBrightdataServer(sim);
 * const api = ky.create({prefix: url, ...withVendor(brightdata)});
 * // …
 * await close();
 * ```
 */
export const startBrightdataServer = async (
  sim: BrightdataSimulator,
  options: BrightdataServerOptions = {},
): Promise<BrightdataServer> => {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const answer = sim.handle({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        ...(body.length > 0 ? {body} : {}),
      });
      const bytes = await encodeBody(answer);
      response.writeHead(answer.status, {...answer.headers, 'content-length': String(bytes.byteLength)});
      const cut = answer.truncateAtBytes;
      if (cut !== undefined && cut < bytes.byteLength) {
        response.write(bytes.subarray(0, Math.max(0, cut)), () => response.destroy());
        return;
      }
      response.end(bytes);
    })().catch(() => {
      if (!response.headersSent) {
        response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'});
      }
      response.end('Internal server error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
