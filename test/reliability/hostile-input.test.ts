/**
 * @module Hostile input: secrets planted where adversarial tests found them leaking, and bodies
 * built to balloon. Each case is a named test over a real loopback socket.
 */
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {constants, createBrotliCompress, createGzip, gzipSync} from 'node:zlib';
import {isHTTPError, isKyError} from 'ky';
import {beforeAll, describe, expect, test} from 'vitest';
import {
  brightdata,
  type GiveUpEvent,
  NotFoundError,
  type RetryEvent,
  ServerError,
  ValidationError,
  VendorError,
  type VendorOptions,
} from '../../src/index.ts';
import {brightdataAuth} from '../../src/vendors/brightdata/brightdata-auth.ts';
import {supametasAuth} from '../../src/vendors/supametas/supametas-auth.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';
import {recordingClient} from '../helpers/recording-client.ts';
import {errorViews, eventViews, leaksIn} from '../helpers/views.ts';

const loopback = useLoopback();

failOnUnhandledRejections();

/** A real, forced full collection (the flag is set at run time, so no worker option is needed). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const client = (options: VendorOptions = {}, headers: Record<string, string> = {}) =>
  recordingClient(loopback.url, brightdata, {retryLimit: 0, ...options}, headers);

const failure = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => {
      throw new Error('the call was meant to fail');
    },
    (error: unknown) => error,
  );

const allViews = (error: unknown, retries: readonly RetryEvent[], giveUps: readonly GiveUpEvent[]) => [
  ...errorViews(error),
  ...retries.flatMap((event, index) => eventViews(`onRetry ${index}`, event)),
  ...giveUps.flatMap((event, index) => eventViews(`onGiveUp ${index}`, event)),
];

describe('secrets in URL parameters', () => {
  const secrets = {
    access_token: 'AccTok-7f3a9c2e4b1d8',
    client_secret: 'CliSec-2b8e4f6a1c9d3',
    sig: 'SigVal-9d1c3e5f7a2b4',
    'X-Amz-Signature': 'AmzSig-4e6a8c0b2d4f6',
    api_key: 'ApiKey-1a2b3c4d5e6f7',
  };
  const query = new URLSearchParams(secrets).toString();

  test('access_token, client_secret, sig, X-Amz-Signature and api_key never show in a 404 error', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(404, {'content-type': 'text/plain'});
      response.end('dataset not found');
    });
    const {api, retries, giveUps} = client();
    const error = await failure(api.get(`datasets/v3/snapshot/s_1?dataset_id=gd_1&${query}`));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as VendorError).url).toContain('dataset_id=gd_1');
    expect(leaksIn(allViews(error, retries, giveUps), Object.values(secrets))).toEqual([]);
  });

  test('onRetry and onGiveUp never carry them', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(503, {'content-type': 'text/plain'});
      response.end('busy');
    });
    const {api, retries, giveUps} = client({retryLimit: 1});
    const error = await failure(api.get(`items?${query}`));
    expect(error).toBeInstanceOf(ServerError);
    expect(retries).toHaveLength(1);
    expect(leaksIn(allViews(error, retries, giveUps), Object.values(secrets))).toEqual([]);
  });
});

describe("ky's NetworkError and TimeoutError", () => {
  const bearer = 'bd_live_0c4e9a7f2b5d8e1a3c6f9b2d5e8a1c4f';
  const cookie = 'sessionid=Ck9f8e7d6c5b4a3f2e1d';
  const custom = 'Cx-7d3f9b1e5a2c8f4d';
  const token = 'QryTok-6e2a9d4f8b1c5e7a';
  const secrets = [bearer, cookie, cookie.split('=')[1] ?? '', custom, token];
  const headers = {cookie, 'x-vendor-secret': custom};

  test('a reset leaves no secret in the error, its cause chain, onRetry or onGiveUp', async () => {
    loopback.handle((request) => request.socket.destroy());
    const {api, retries, giveUps} = client({retryLimit: 1, auth: brightdataAuth({apiKey: bearer})}, headers);
    const error = await failure(api.get(`items?access_token=${token}`));
    expect(isKyError(error)).toBe(true);
    expect(retries).toHaveLength(1);
    expect(giveUps).toHaveLength(1);
    expect(leaksIn(allViews(error, retries, giveUps), secrets)).toEqual([]);
    // The request is still there for code that needs it.
    expect((error as {request: Request}).request.headers.get('authorization')).toBe(`Bearer ${bearer}`);
  });

  test('a timeout leaves no secret in the error or onGiveUp', async () => {
    loopback.handle(() => {});
    const {api, retries, giveUps} = client({auth: brightdataAuth({apiKey: bearer})}, headers);
    const error = await failure(api.get(`items?access_token=${token}`, {timeout: 50}));
    expect(isKyError(error)).toBe(true);
    expect(leaksIn(allViews(error, retries, giveUps), secrets)).toEqual([]);
  });
});

describe('escaped JSON', () => {
  const password = 'Pw-5f1e9d3c7b2a8e4f';
  const apiSecret = 'Sk-3a7e1c9f5d2b8a4e';

  test('a request body echoed as a JSON string inside the envelope is redacted in every view', async () => {
    loopback.handle(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      response.writeHead(400, {'content-type': 'application/json'});
      response.end(JSON.stringify({error: 'invalid input', code: 'validation_error', echo: body}));
    });
    const {api, retries, giveUps} = client();
    const error = await failure(
      api.post('datasets/v3/trigger', {json: {user: 'svc', password, nested: {api_secret: apiSecret}}}),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(leaksIn(allViews(error, retries, giveUps), [password, apiSecret])).toEqual([]);
    expect(JSON.stringify((error as VendorError).envelope)).toContain('svc');
  });

  test('an envelope that carries credentials as fields is redacted in {...error} and JSON', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(400, {'content-type': 'application/json'});
      response.end(JSON.stringify({error: 'bad', input: {password, apiSecret, 'X-Auth-Token': apiSecret}}));
    });
    const {api, retries, giveUps} = client();
    const error = await failure(api.get('x'));
    expect(error).toBeInstanceOf(VendorError);
    expect(leaksIn(allViews(error, retries, giveUps), [password, apiSecret])).toEqual([]);
  });
});

describe('the secret registry', () => {
  test('a live helper’s key stays redacted after 300 other helpers registered theirs', async () => {
    const apiKey = 'bd_live_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
    const {api, retries, giveUps} = client({auth: brightdataAuth({apiKey})});
    const others = Array.from({length: 300}, (_, index) =>
      supametasAuth({accessKey: `ak_tenant_${index}_${'f'.repeat(24)}`}),
    );
    loopback.handle((_request, response) => {
      response.writeHead(400, {'content-type': 'text/plain'});
      // The vendor quotes the key bare, with no scheme or field name to recognise it by.
      response.end(`dataset not allowed for ${apiKey}`);
    });
    const error = await failure(api.get('x'));
    expect(error).toBeInstanceOf(VendorError);
    expect(others).toHaveLength(300);
    expect(leaksIn(allViews(error, retries, giveUps), [apiKey])).toEqual([]);
  });
});

describe('ky compatibility', () => {
  test('a vendor 404 satisfies isKyError and isHTTPError, with response, request and data', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(404, {'content-type': 'application/json'});
      response.end(JSON.stringify({error: 'snapshot not found'}));
    });
    const {api} = client();
    const error = await failure(api.get('datasets/v3/snapshot/s_9'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(isKyError(error)).toBe(true);
    expect(isHTTPError(error)).toBe(true);
    if (!isHTTPError(error)) return;
    expect(error.response.status).toBe(404);
    expect(error.request.url).toBe(`${loopback.url}/datasets/v3/snapshot/s_9`);
    expect(error.data).toEqual({error: 'snapshot not found'});
    expect(error.name).toBe('NotFoundError');
  });
});

/** 100 MB of zeros, compressed as a stream (the plain body never sits in this process's memory). */
const bomb = async (compress: () => NodeJS.ReadWriteStream): Promise<Buffer> => {
  const zeros = Buffer.alloc(1024 * 1024);
  const chunks: Buffer[] = [];
  const sink = compress();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await pipeline(
    Readable.from(
      (function* () {
        for (let index = 0; index < 100; index++) yield zeros;
      })(),
    ),
    sink,
  );
  return Buffer.concat(chunks);
};

describe('decompression bombs', () => {
  let brotli: Buffer;
  let gzip: Buffer;
  beforeAll(async () => {
    brotli = await bomb(() => createBrotliCompress({params: {[constants.BROTLI_PARAM_QUALITY]: 5}}));
    // Two layers, as `Content-Encoding: gzip, gzip` allows: 100 MB in a body under 1 KB.
    gzip = gzipSync(await bomb(() => createGzip({level: 9})), {level: 9});
  });

  const MAX_BODY_BYTES = 65_536;

  test.each([
    ['brotli', 'br', () => brotli],
    ['gzip', 'gzip, gzip', () => gzip],
  ] as const)(
    'a 100 MB %s error body is cut at 64 KiB decoded, without growing memory',
    async (_name, encoding, body) => {
      const compressed = body();
      expect(compressed.length).toBeLessThan(MAX_BODY_BYTES);
      loopback.handle((_request, response) => {
        response.writeHead(503, {
          'content-type': 'application/json',
          'content-encoding': encoding,
          'content-length': String(compressed.length),
        });
        response.end(compressed);
      });
      // Memory, through fetch as users have it: forced full collections before and after.
      const {api} = client({maxBodyBytes: MAX_BODY_BYTES});
      gc();
      const before = process.memoryUsage().rss;
      const error = await failure(api.get('x'));
      gc();
      const growth = process.memoryUsage().rss - before;
      expect(error).toBeInstanceOf(ServerError);
      expect((error as ServerError).status).toBe(503);
      expect((error as ServerError).envelope).toBeUndefined();
      expect(growth).toBeLessThan(10 * 1024 * 1024);

      // Decoded bytes, counted by a fetch that passes the body through a counter.
      let decoded = 0;
      const counting = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const response = await fetch(input, init);
        const counter = new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk, controller) => {
            decoded += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        return new Response(response.body?.pipeThrough(counter) ?? null, response);
      };
      const counted = await failure(client({fetch: counting, maxBodyBytes: MAX_BODY_BYTES}).api.get('x'));
      expect(counted).toBeInstanceOf(ServerError);
      // The cap, plus the decoded chunk that crossed it (zlib inflates 16 KiB at a time) and one
      // the counting pipe itself reads ahead: 80 KiB measured, of 100 MB.
      expect(decoded).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 16_384);
      if (process.env.REPORT_BOMB) console.log(_name, {growthBytes: growth, decodedBytes: decoded});
    },
  );
});
