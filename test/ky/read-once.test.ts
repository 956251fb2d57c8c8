import {gzipSync} from 'node:zlib';
import ky from 'ky';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {readOnce} from '../../src/ky/read-once.ts';
import {rebuildResponse} from '../../src/ky/rebuild-response.ts';
import {reuseParsedJson} from '../../src/ky/reuse-parsed-json.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';

failOnUnhandledRejections();

const LIMITS = {maxBytes: 1024, timeoutMs: 10_000};
const encode = (text: string) => new TextEncoder().encode(text);

/**
 * A streamed body (no Content-Length) in these chunks. `stallAfter` chunks, it waits for
 * `release()`; with `error` it breaks after the last chunk instead of closing.
 */
const streamed = (chunks: readonly Uint8Array[], options: {stallAfter?: number; error?: Error} = {}) => {
  let sent = 0;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (sent === options.stallAfter) await released;
        const chunk = chunks[sent++];
        if (chunk !== undefined) controller.enqueue(chunk);
        else if (options.error !== undefined) controller.error(options.error);
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    },
    {highWaterMark: 0},
  );
  const response = new Response(body, {
    status: 200,
    statusText: 'Fine',
    headers: {'content-type': 'application/json', 'x-request-id': 'r-1'},
  });
  return {response, release, cancelled: () => cancelled};
};

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

afterEach(() => {
  vi.useRealTimers();
});

describe('readOnce: a body read in full', () => {
  test('parses JSON and hands on a response with the same status, headers and body', async () => {
    const {response} = streamed([encode('{"code":"0",'), encode('"data":{"taskId":"1"}}')]);
    const read = await readOnce(response, LIMITS);
    expect(read).toMatchObject({complete: true, body: {code: '0', data: {taskId: '1'}}});
    if (!read.complete) return;
    expect(read.text).toBe('{"code":"0","data":{"taskId":"1"}}');
    expect(read.response).not.toBe(response);
    expect(read.response.status).toBe(200);
    expect(read.response.statusText).toBe('Fine');
    expect(read.response.headers.get('x-request-id')).toBe('r-1');
    expect(await read.response.json()).toEqual({code: '0', data: {taskId: '1'}});
    expect(read.response.bodyUsed).toBe(true);
  });

  test('text() hands out the decoded text once, then the body is used up as after a real read', async () => {
    const read = await readOnce(streamed([encode('{"a":"é"}')]).response, LIMITS);
    if (!read.complete) throw new Error('expected a complete read');
    expect(read.response.bodyUsed).toBe(false);
    expect(await read.response.text()).toBe('{"a":"é"}');
    expect(read.response.bodyUsed).toBe(true);
    await expect(read.response.text()).rejects.toThrow(TypeError);
    await expect(read.response.arrayBuffer()).rejects.toThrow(TypeError);
  });

  test('text() after the body was read another way fails as on any response', async () => {
    const read = await readOnce(streamed([encode('{"a":1}')]).response, LIMITS);
    expect(await read.response.json()).toEqual({a: 1});
    await expect(read.response.text()).rejects.toThrow(TypeError);
  });

  test('keeps the exact bytes, invalid UTF-8 included, for arrayBuffer()', async () => {
    const raw = new Uint8Array([0x22, 0xff, 0xc3, 0xa9, 0x22]);
    const read = await readOnce(streamed([raw.slice(0, 3), raw.slice(3)]).response, LIMITS);
    expect(read.complete).toBe(true);
    expect(await bytesOf(read.response)).toEqual(raw);
    expect(read).toMatchObject({body: '\uFFFDé'});
  });

  test('gives text as text, and an empty body as undefined', async () => {
    const text = await readOnce(
      streamed([encode('Snapshot is building, try again in 10s')]).response,
      LIMITS,
    );
    expect(text).toMatchObject({complete: true, body: 'Snapshot is building, try again in 10s'});
    expect(await text.response.text()).toBe('Snapshot is building, try again in 10s');
    const empty = await readOnce(streamed([]).response, LIMITS);
    expect(empty).toMatchObject({complete: true, body: undefined, text: ''});
  });

  test('a body-less response comes back as it is', async () => {
    const response = new Response(null, {status: 204});
    expect(await readOnce(response, LIMITS)).toEqual({complete: true, body: undefined, text: '', response});
  });

  test('leaves no timer behind', async () => {
    vi.useFakeTimers();
    await readOnce(streamed([encode('{"a":1}'), encode('')]).response, LIMITS);
    await readOnce(new Response('{"a":1}', {headers: {'content-length': '7'}}), LIMITS);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('readOnce: a body not read in full still reaches the caller whole', () => {
  test('too large: the bytes read and the rest of the stream, in order', async () => {
    const chunks = [encode('a'.repeat(600)), encode('b'.repeat(600)), encode('c'.repeat(600))];
    const read = await readOnce(streamed(chunks).response, LIMITS);
    expect(read).toMatchObject({complete: false, reason: 'too-large'});
    expect(await read.response.text()).toBe(`${'a'.repeat(600)}${'b'.repeat(600)}${'c'.repeat(600)}`);
  });

  test('declared too large: the response is not touched at all', async () => {
    const response = new Response('x'.repeat(2000), {headers: {'content-length': '2000'}});
    const read = await readOnce(response, LIMITS);
    expect(read).toEqual({complete: false, reason: 'too-large', response});
    expect(response.bodyUsed).toBe(false);
  });

  test('a declared length under a content coding is not trusted: decoded bytes stop at the cap', async () => {
    // fetch keeps the encoded Content-Length and hands out decoded bytes: 10 declared, 2,000 given.
    const chunks = [encode('a'.repeat(600)), encode('b'.repeat(600)), encode('c'.repeat(800))];
    const {response, cancelled} = streamed(chunks);
    response.headers.set('content-encoding', 'gzip');
    response.headers.set('content-length', '10');
    const read = await readOnce(response, LIMITS);
    expect(read).toMatchObject({complete: false, reason: 'too-large'});
    expect(cancelled()).toBe(false);
    await read.response.body?.cancel();
    expect(cancelled()).toBe(true);
  });

  test('too slow: the read in flight and the rest follow once they arrive', async () => {
    const {response, release} = streamed([encode('{"a":'), encode('1}')], {stallAfter: 1});
    const read = await readOnce(response, {maxBytes: 1024, timeoutMs: 20});
    expect(read).toMatchObject({complete: false, reason: 'timeout'});
    const text = read.response.text();
    release();
    expect(await text).toBe('{"a":1}');
  });

  test('aborted: stops at once and hands on the rest', async () => {
    const {response, release} = streamed([encode('{"a":'), encode('1}')], {stallAfter: 1});
    const controller = new AbortController();
    const reading = readOnce(response, {maxBytes: 1024, timeoutMs: 60_000, signal: controller.signal});
    controller.abort();
    const read = await reading;
    expect(read).toMatchObject({complete: false, reason: 'aborted'});
    release();
    expect(await read.response.text()).toBe('{"a":1}');
  });

  test('broken: the bytes read, then the same error', async () => {
    const failure = new TypeError('terminated');
    const read = await readOnce(streamed([encode('{"a":')], {error: failure}).response, LIMITS);
    expect(read).toMatchObject({complete: false, reason: 'broken'});
    const reader = (read.response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":');
    await expect(reader.read()).rejects.toBe(failure);
  });

  test('cancelling the handed-on body cancels the original', async () => {
    const {response, cancelled} = streamed([encode('a'.repeat(2000)), encode('b')]);
    const read = await readOnce(response, LIMITS);
    await read.response.body?.cancel();
    expect(cancelled()).toBe(true);
  });
});

describe('rebuildResponse', () => {
  test.each([204, 205, 304])('drops the body of a %i, which may have none', (status) => {
    const rebuilt = rebuildResponse(new Response(null, {status}), new Uint8Array(0));
    expect(rebuilt.status).toBe(status);
    expect(rebuilt.body).toBeNull();
  });

  test('copies url, redirected and type, which the constructor cannot set', () => {
    const original = new Response('x');
    Object.defineProperty(original, 'url', {value: 'https://api.example.com/a'});
    Object.defineProperty(original, 'redirected', {value: true});
    const rebuilt = rebuildResponse(original, 'y');
    expect(rebuilt.url).toBe('https://api.example.com/a');
    expect(rebuilt.redirected).toBe(true);
    expect(rebuilt.type).toBe(original.type);
  });
});

describe('reuseParsedJson', () => {
  test('plain JSON.parse for a response it has not seen, and for other text', () => {
    const parse = reuseParsedJson();
    const response = new Response('');
    const request = new Request('https://api.example.com/');
    expect(parse('{"a":1}', {request, response})).toEqual({a: 1});
    expect(() => parse('', {request, response})).toThrow(SyntaxError);
  });

  test('the caller’s own parser gets every text', () => {
    const own = vi.fn(() => 'own');
    expect(
      reuseParsedJson(own)('{"a":1}', {request: new Request('https://x.test/'), response: new Response()}),
    ).toBe('own');
    expect(own).toHaveBeenCalledOnce();
  });
});

describe('readOnce through ky over a real socket', () => {
  const loopback = useLoopback();

  /** A ky instance whose fetch reads every response once, as the vendor fetch would. */
  const instance = (reads: unknown[]) =>
    ky.create({
      prefix: loopback.url,
      retry: 0,
      parseJson: reuseParsedJson(),
      fetch: async (input, init) => {
        const read = await readOnce(await fetch(input, init), LIMITS);
        reads.push(read.complete ? read.body : undefined);
        return read.response;
      },
    });

  test('the caller’s .json() gets the very value read, without a second parse', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(200, {'content-type': 'application/json'});
      response.end('{"code":"0","data":{"state":"PENDING"}}');
    });
    const reads: unknown[] = [];
    const api = instance(reads);
    const viaShortcut = await api.get('query-task').json();
    expect(viaShortcut).toEqual({code: '0', data: {state: 'PENDING'}});
    expect(viaShortcut).toBe(reads[0]);
    const viaResponse = await (await api.get('query-task')).json();
    expect(viaResponse).toBe(reads[1]);
  });

  test('keeps the url of the answer and reads a declared length', async () => {
    loopback.handle((_request, response) => {
      response.writeHead(200, {'content-type': 'application/json', 'content-length': '7'});
      response.end('{"a":1}');
    });
    const original = await fetch(`${loopback.url}/a?b=1`);
    const read = await readOnce(original, LIMITS);
    expect(read).toMatchObject({complete: true, body: {a: 1}});
    expect(read.response.url).toBe(`${loopback.url}/a?b=1`);
    expect(await read.response.text()).toBe('{"a":1}');
  });

  test('a compressed answer is counted decoded, and reaches the caller whole', async () => {
    const big = JSON.stringify({items: Array.from({length: 400}, (_, index) => ({index}))});
    const compressed = gzipSync(big);
    expect(compressed.length).toBeLessThan(LIMITS.maxBytes);
    loopback.handle((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(compressed.length),
      });
      response.end(compressed);
    });
    const read = await readOnce(await fetch(loopback.url), LIMITS);
    expect(read).toMatchObject({complete: false, reason: 'too-large'});
    expect(await read.response.text()).toBe(big);
  });

  test('a large streamed answer reaches the caller whole', async () => {
    const big = JSON.stringify({
      items: Array.from({length: 500}, (_, index) => ({index, name: 'é'.repeat(5)})),
    });
    loopback.handle((_request, response) => {
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(big);
    });
    const reads: unknown[] = [];
    expect(await instance(reads).get('big').json()).toEqual(JSON.parse(big));
    expect(reads).toEqual([undefined]);
  });
});
