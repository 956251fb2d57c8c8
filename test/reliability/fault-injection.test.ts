/**
 * @module Faults on real sockets: resets, truncated, slow, huge and malformed bodies, per vendor.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {isNetworkError, isTimeoutError} from 'ky';
import {describe, expect, test} from 'vitest';
import {
  AuthError,
  brightdata,
  huaweiCloud,
  QuotaError,
  ServerError,
  supametas,
  upyun,
  ValidationError,
  type Vendor,
  type VendorOptions,
} from '../../src/index.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';
import {recordingClient} from '../helpers/recording-client.ts';

const loopback = useLoopback();

failOnUnhandledRejections();

/** A ky instance for `vendor` on the loopback server, with waits cut to a few milliseconds. */
const client = (vendor: Vendor, options: VendorOptions = {}) =>
  recordingClient(loopback.url, vendor, options);

const reply = (
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {'content-type': 'application/json'},
): void => {
  response.writeHead(status, headers);
  response.end(body);
};

/** Sends the head and `part` of a body announced as `length` bytes, then breaks the connection. */
const halfBody = (
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  part: string,
  length: number,
): void => {
  response.writeHead(status, {'content-type': 'application/json', 'content-length': String(length)});
  response.write(part, () => request.socket.destroy());
};

const drainedOrClosed = (response: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });

/** Sends the head, then one byte every `everyMs` until the connection closes (well under the body cap). */
const trickle = (response: ServerResponse, status: number, everyMs = 40): void => {
  response.writeHead(status, {'content-type': 'application/json', 'content-length': '1000'});
  response.write('{');
  const timer = setInterval(() => response.write(' '), everyMs);
  response.once('close', () => clearInterval(timer));
};

const settle = async (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ok: true as const, value}),
    (error: unknown) => ({ok: false as const, error}),
  );

const vendors = [
  {name: 'UPYUN', vendor: upyun, path: 'bucket/file.txt'},
  {name: 'BrightData', vendor: brightdata, path: 'datasets/v3/snapshots'},
  {name: 'Huawei', vendor: huaweiCloud, path: 'v1.0/project/octopus/tasks'},
] as const;

describe('a connection reset before any header', () => {
  test.each(vendors)('is retried on a $name GET, which then succeeds', async ({vendor, path}) => {
    loopback.handle((request, response, hit) => {
      if (hit === 1) {
        request.socket.destroy();
        return;
      }
      reply(response, 200, 'stored', {'content-type': 'text/plain'});
    });
    const {api, retries, giveUps} = client(vendor);
    await expect(api.get(path).text()).resolves.toBe('stored');
    expect(loopback.requests).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.verdict).toMatchObject({category: 'transient', status: 0});
    expect(giveUps).toEqual([]);
  });

  test.each([
    {name: 'BrightData', vendor: brightdata, path: 'datasets/v3/trigger'},
    {name: 'Supametas', vendor: supametas, path: 'create-task'},
    {name: 'Huawei', vendor: huaweiCloud, path: 'v1.0/project/octopus/tasks'},
  ])('is not resent for a $name POST: ky NetworkError after one request', async ({vendor, path}) => {
    loopback.handle((request) => request.socket.destroy());
    const {api, retries, giveUps} = client(vendor);
    const error = await api.post(path, {json: {input: 1}}).catch((error_: unknown) => error_);
    expect(isNetworkError(error)).toBe(true);
    expect(loopback.requests).toHaveLength(1);
    expect(retries).toEqual([]);
    expect(giveUps.map((event) => event.reason)).toEqual(['network']);
  });

  test('ends in a ky NetworkError once the retry limit is spent', async () => {
    loopback.handle((request) => request.socket.destroy());
    const {api, retries, giveUps} = client(upyun, {retryLimit: 2});
    const error = await api.get('bucket/file.txt').catch((error_: unknown) => error_);
    expect(isNetworkError(error)).toBe(true);
    expect(loopback.requests).toHaveLength(3);
    expect(retries).toHaveLength(2);
    expect(giveUps).toHaveLength(1);
  });
});

describe('a connection reset in the middle of an error body', () => {
  test('is classified by its 503 status and retried, then succeeds (Huawei GET)', async () => {
    loopback.handle((request, response, hit) => {
      if (hit === 1) {
        halfBody(request, response, 503, '{"error_code":"APIGW.0201","error_msg":"Backe', 400);
        return;
      }
      reply(response, 200, '{"tasks":[]}');
    });
    const {api, retries} = client(huaweiCloud);
    await expect(api.get('v1.0/project/octopus/tasks').json()).resolves.toEqual({tasks: []});
    expect(loopback.requests).toHaveLength(2);
    expect(retries.map((event) => [event.verdict.status, event.verdict.category])).toEqual([
      [503, 'transient'],
    ]);
  });

  test('ends in a ServerError with status 503 once the limit is spent (UPYUN GET)', async () => {
    loopback.handle((request, response) =>
      halfBody(request, response, 503, '{"msg":"unknown error","code":5030', 300),
    );
    const {api, giveUps} = client(upyun, {retryLimit: 2});
    const error = await api.get('bucket/file.txt').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({status: 503, category: 'transient', attempts: 3, code: undefined});
    expect(loopback.requests).toHaveLength(3);
    expect(giveUps.map((event) => event.reason)).toEqual(['exhausted']);
  });
});

describe('a truncated 2xx body that the vendor inspects (Supametas)', () => {
  test('is never handed over as data: it is retried when it may be, then a typed ServerError', async () => {
    loopback.handle((request, response) => {
      response.writeHead(200, {'content-type': 'application/json', 'content-length': '200'});
      response.write('{"code":"0","message":"success","data":{"taskId":"t-1","sta', () =>
        request.socket.end(),
      );
    });
    // No timer can end it (no ky timeout, a 10-minute body timeout): settling within the test's
    // time proves the cut connection itself ended each read.
    const {api} = client(supametas, {bodyTimeoutMs: 600_000});
    const result = await settle(
      api.post('query-task', {json: {taskId: 't-1'}, context: {idempotent: true}, timeout: false}).json(),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(ServerError);
    expect(result.ok ? undefined : result.error).toMatchObject({category: 'transient', status: 200});
    expect(loopback.requests.length).toBeGreaterThan(1);
  });

  test('on a POST that may not be resent it is one request and a typed ServerError', async () => {
    loopback.handle((request, response) => {
      response.writeHead(200, {'content-type': 'application/json', 'content-length': '200'});
      response.write('{"code":"0","message":"success","data":{"taskId":"t-1","sta', () =>
        request.socket.end(),
      );
    });
    const {api} = client(supametas);
    const result = await settle(api.post('file-task', {json: {}}).json());
    expect(result.ok ? undefined : result.error).toBeInstanceOf(ServerError);
    expect(loopback.requests).toHaveLength(1);
  });

  test('an empty 2xx body is a SyntaxError for .json(), never undefined', async () => {
    loopback.handle((_request, response) =>
      reply(response, 200, '', {'content-type': 'application/json', 'content-length': '0'}),
    );
    const {api} = client(supametas);
    const result = await settle(api.post('query-task', {json: {taskId: 't-1'}}).json());
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(SyntaxError);
    expect(loopback.requests).toHaveLength(1);
  });
});

// The trickled body takes 40 s to arrive and every other bound is set far beyond the guard, so a
// call that ends before the 20 s guard was ended by the 200 ms timeout under test, however busy
// the machine.
describe('a body slower than the timeout', {timeout: 30_000}, () => {
  /** Runs `call` with an abort signal that ends it after the test, whatever happened. */
  const bounded = async (call: (signal: AbortSignal) => Promise<unknown>) => {
    const controller = new AbortController();
    const guard = new Promise<never>((_resolve, reject) => {
      setTimeout(() => reject(new Error('still pending after 20 s')), 20_000).unref();
    });
    try {
      return await settle(Promise.race([call(controller.signal), guard]));
    } finally {
      controller.abort(new Error('test over'));
    }
  };

  test('on a 2xx the vendor does not inspect (UPYUN) ends in a ky TimeoutError', async () => {
    loopback.handle((_request, response) => trickle(response, 200));
    const {api} = client(upyun, {bodyTimeoutMs: 600_000});
    const result = await bounded((signal) => api.get('bucket/file.txt', {timeout: 200, signal}).text());
    expect(result.ok ? undefined : isTimeoutError(result.error)).toBe(true);
  });

  test('on an error body ends quickly when bodyTimeoutMs is set to match (Huawei 503)', async () => {
    loopback.handle((_request, response) => trickle(response, 503));
    const {api} = client(huaweiCloud, {retryLimit: 1, bodyTimeoutMs: 200});
    const result = await bounded((signal) => api.get('v1.0/p/tasks', {timeout: 200, signal}));
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(ServerError);
    expect(result.ok ? undefined : result.error).toMatchObject({
      status: 503,
      attempts: 2,
      envelope: undefined,
    });
  });

  // ky hides `timeout` from response hooks, so the adapter keeps it from the init hook: the
  // classifying read is bounded by the smallest of bodyTimeoutMs, ky's timeout and the deadline.
  test('on a 503 error body (Huawei GET) ends by timeout: 200, whatever bodyTimeoutMs says', async () => {
    loopback.handle((_request, response) => trickle(response, 503));
    const {api} = client(huaweiCloud, {retryLimit: 1, bodyTimeoutMs: 600_000});
    const result = await bounded((signal) => api.get('v1.0/p/tasks', {timeout: 200, signal}));
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error instanceof ServerError || isTimeoutError(error)).toBe(true);
  });

  // The same bound on a 2xx the vendor must read (Supametas hides errors in 200 bodies).
  test('on an inspected 2xx (Supametas) ends by timeout: 200, whatever bodyTimeoutMs says', async () => {
    loopback.handle((_request, response) => trickle(response, 200));
    const {api} = client(supametas, {bodyTimeoutMs: 600_000});
    const result = await bounded((signal) =>
      api.post('query-task', {json: {taskId: 't-1'}, timeout: 200, signal}).json(),
    );
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error instanceof ServerError || isTimeoutError(error)).toBe(true);
  });
});

describe('gateway HTML pages', () => {
  const page = (status: number) =>
    `<!DOCTYPE html><html><head><title>${status}</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`;

  test.each([
    {name: 'UPYUN', vendor: upyun, status: 502},
    {name: 'BrightData', vendor: brightdata, status: 504},
    {name: 'Huawei', vendor: huaweiCloud, status: 502},
    {name: 'Huawei', vendor: huaweiCloud, status: 504},
  ])('$status on a $name GET is retried, then a ServerError with its status', async ({vendor, status}) => {
    loopback.handle((_request, response) =>
      reply(response, status, page(status), {'content-type': 'text/html'}),
    );
    const {api, retries} = client(vendor, {retryLimit: 2});
    const error = await api.get('x/y').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({status, category: 'transient', attempts: 3});
    expect(loopback.requests).toHaveLength(3);
    expect(retries).toHaveLength(2);
  });
});

describe('malformed and oversized error bodies', () => {
  test.each([
    {name: 'UPYUN', vendor: upyun},
    {name: 'BrightData', vendor: brightdata},
    {name: 'Huawei', vendor: huaweiCloud},
    {name: 'Supametas', vendor: supametas},
  ])('invalid JSON labelled application/json on a $name 400 is a ValidationError', async ({vendor}) => {
    loopback.handle((_request, response) => reply(response, 400, '{"code": "OPS4000'));
    const {api} = client(vendor);
    const error = await api.get('x').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({status: 400});
    expect(loopback.requests).toHaveLength(1);
  });

  /** Streams `total` bytes with backpressure; `written()` tells how many the socket took. */
  const bigBody = (status: number, total: number, headers: Record<string, string>) => {
    let written = 0;
    const closed = new Promise<void>((resolve) => {
      loopback.handle(async (_request, response) => {
        response.once('close', () => resolve());
        response.writeHead(status, headers);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        while (written < total && !response.destroyed) {
          const part = chunk.subarray(0, Math.min(chunk.byteLength, total - written));
          written += part.byteLength;
          if (!response.write(part)) {
            await drainedOrClosed(response);
          }
        }
        response.end();
      });
    });
    return {closed, written: () => written};
  };

  test('a 10 MB chunked error body is classified by status without reading it all', async () => {
    const total = 10 * 1024 * 1024;
    const server = bigBody(500, total, {'content-type': 'application/json'});
    // No timer can end the read (no ky timeout, a 10-minute body timeout): it must stop at the cap.
    const {api, giveUps} = client(upyun, {retryLimit: 0, bodyTimeoutMs: 600_000});
    const result = await settle(api.get('bucket/big', {timeout: false}));
    await server.closed;
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({status: 500, attempts: 1, envelope: undefined});
    expect(giveUps.map((event) => event.reason)).toEqual(['exhausted']);
    // The client dropped the connection long before the server could send it all.
    expect(server.written()).toBeLessThan(total);
  });

  // The hook's response is ky's tee'd clone, and a tee branch's cancel() settles only once the
  // other branch is cancelled too (after the hook returns): read-body.ts must not await it, or a
  // large declared body would hang until the connection dies.
  test.each([
    {
      name: 'a 10 MB JSON 500 (UPYUN)',
      vendor: upyun,
      status: 500,
      size: 10 * 1024 * 1024,
      type: 'application/json',
    },
    {
      name: 'a 100 KB HTML 502 page (Huawei)',
      vendor: huaweiCloud,
      status: 502,
      size: 100_000,
      type: 'text/html',
    },
  ])(
    '$name with its Content-Length ends without waiting for the rest',
    async ({vendor, status, size, type}) => {
      const server = bigBody(status, size, {'content-type': type, 'content-length': String(size)});
      // No timer can end it: a hang until the connection dies fails the test by its timeout.
      const {api} = client(vendor, {retryLimit: 0, bodyTimeoutMs: 600_000});
      const result = await settle(api.get('bucket/big', {timeout: false}));
      const error = result.ok ? undefined : result.error;
      expect(error).toBeInstanceOf(ServerError);
      expect(error).toMatchObject({status, attempts: 1, envelope: undefined});
      expect(server.written()).toBeLessThanOrEqual(size);
    },
  );
});

describe('a JSON error body without a content type', () => {
  test.each([
    {
      name: 'UPYUN banned',
      vendor: upyun,
      status: 429,
      body: {msg: 'request banned', code: 42900004, id: 'a1b2'},
      type: QuotaError,
      code: 42900004,
    },
    {
      name: 'Huawei APIGW.0301',
      vendor: huaweiCloud,
      status: 401,
      body: {error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information'},
      type: AuthError,
      code: 'APIGW.0301',
    },
    {
      name: 'Supametas OPS40004 in a 200',
      vendor: supametas,
      status: 200,
      body: {code: 'OPS40004', message: '参数值不正确', data: null},
      type: ValidationError,
      code: 'OPS40004',
    },
  ])('is still classified by its code: $name', async ({vendor, status, body, type, code}) => {
    loopback.handle((_request, response) => reply(response, status, JSON.stringify(body), {}));
    const {api} = client(vendor);
    const error = await api.get('x').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({code, status, attempts: 1});
    expect(loopback.requests).toHaveLength(1);
    expect(loopback.requests[0]?.headers['content-type']).toBeUndefined();
  });
});
