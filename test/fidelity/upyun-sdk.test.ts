/**
 * The official UPYUN node SDK (`upyun` 3.4.6) against the loopback UPYUN simulator, and our
 * signature against the SDK's own signing code. The simulator and the client were written from
 * the same notes; the SDK was not, so a mistake they share fails here.
 *
 * The SDK's Client takes `{protocol, domain}` and builds `protocol://domain/<bucket>`, so a
 * `domain` of `127.0.0.1:<port>` with `protocol: 'http'` points it at the loopback server: no
 * patching of the SDK.
 */
import {Buffer} from 'node:buffer';
import ky from 'ky';
import {http, passthrough} from 'msw';
import upyunSdk from 'upyun';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {withVendor} from '../../src/index.ts';
import {
  createUpyunSimulator,
  startUpyunServer,
  UPYUN_LIST_END,
  type UpyunSimulator,
} from '../../src/testing/upyun/index.ts';
import {md5Hex, upyun, upyunAuth} from '../../src/vendors/upyun/index.ts';
import {objectPath} from '../../src/vendors/upyun/object-path.ts';
import {signedUri} from '../../src/vendors/upyun/sign.ts';
import {server as msw} from '../helpers/server.ts';

const BUCKET = 'sdk-bucket';
const credentials = {operator: 'sdk-operator', password: 'sdk-password-42'};
const MIB = 1024 * 1024;

/** The error the SDK throws for a non-404 error answer: it copies the body's `code`. */
const sdkError = async (promise: Promise<unknown>): Promise<{message: string; code?: number}> => {
  const error = await promise.then(
    () => undefined,
    (error_: unknown) => error_,
  );
  expect(error).toBeInstanceOf(Error);
  return error as {message: string; code?: number};
};

describe('official upyun SDK against the loopback simulator', () => {
  let sim: UpyunSimulator;
  let close: () => Promise<void>;
  let domain: string;
  let client: InstanceType<typeof upyunSdk.Client>;
  let url: string;

  beforeAll(async () => {
    // No rate limit, faults or one-second rule here: each test asserts one behaviour of the SDK.
    sim = createUpyunSimulator({
      credentials,
      transientErrorRate: 0,
      ratePerSecond: Number.POSITIVE_INFINITY,
      sameFileIntervalMs: 0,
    });
    const server = await startUpyunServer(sim);
    close = server.close;
    url = server.url;
    domain = new URL(server.url).host;
    client = new upyunSdk.Client(new upyunSdk.Service(BUCKET, credentials.operator, credentials.password), {
      protocol: 'http',
      domain,
    });
  });
  beforeEach(() => {
    sim.reset();
    // The suite's msw server intercepts every Node request; let the SDK's reach the real socket.
    msw.use(http.all(`${url}/*`, () => passthrough()));
  });
  afterAll(async () => {
    await close();
  });

  test('putFile with the right Content-MD5 stores the body; the SDK signed Content-MD5 too', async () => {
    const body = 'hello from the official SDK';
    expect(await client.putFile('/docs/hello.txt', body, {'Content-MD5': md5Hex(body)})).toBe(true);
    const stored = sim.files.get(`/${BUCKET}/docs/hello.txt`);
    expect(new TextDecoder().decode(stored?.body)).toBe(body);
    expect(sim.counters).toMatchObject({requests: 1, authFailures: 0, ok: 1});
  });

  test('putFile with a wrong Content-MD5 is refused and nothing is stored', async () => {
    const error = await sdkError(client.putFile('/docs/bad.txt', 'abc', {'Content-MD5': md5Hex('abd')}));
    expect(error.code).toBe(40001001);
    expect(sim.files.has(`/${BUCKET}/docs/bad.txt`)).toBe(false);
    expect(sim.counters.authFailures).toBe(0);
  });

  test('getFile returns the content; a missing file is false', async () => {
    await client.putFile('/a.txt', 'content of a');
    expect(await client.getFile('/a.txt')).toBe('content of a');
    expect(await client.getFile('/missing.txt')).toBe(false);
  });

  test('headFile reads every documented header of a file and of a folder', async () => {
    const body = 'twelve bytes';
    await client.putFile('/dir/head.txt', body);
    const file = sim.files.get(`/${BUCKET}/dir/head.txt`);
    expect(await client.headFile('/dir/head.txt')).toEqual({
      'Content-Md5': md5Hex(body),
      type: 'file',
      size: 12,
      date: Math.floor((file?.modifiedAtMs ?? 0) / 1000),
    });
    expect(await client.headFile('/dir')).toMatchObject({type: 'folder', size: 0});
    expect(await client.headFile('/nothing-here.txt')).toBe(false);
  });

  test('deleteFile removes a file; a second delete is false (404)', async () => {
    await client.putFile('/gone.txt', 'x');
    expect(await client.deleteFile('/gone.txt')).toBe(true);
    expect(await client.headFile('/gone.txt')).toBe(false);
    expect(await client.deleteFile('/gone.txt')).toBe(false);
  });

  test('listDir pages through a folder with x-list-limit and x-list-iter, in both orders', async () => {
    const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
    for (const name of names) await client.putFile(`/list/${name}`, name);
    expect(await client.makeDir('/list/sub')).toBe(true);
    const expected = [...names, 'sub'];
    for (const order of ['asc', 'desc'] as const) {
      const seen: {name: string; type: string; size: number}[] = [];
      let iter = '';
      for (let page = 0; page < 10; page++) {
        const result = await client.listDir('/list/', {limit: 2, order, iter});
        if (result === false) throw new Error('listing answered 404');
        seen.push(...result.files.map(({name, type, size}) => ({name, type, size})));
        iter = result.next;
        if (iter === UPYUN_LIST_END) break;
      }
      expect(iter).toBe(UPYUN_LIST_END);
      const ordered = order === 'asc' ? expected : [...expected].reverse();
      expect(seen.map((entry) => entry.name)).toEqual(ordered);
      expect(seen.find((entry) => entry.name === 'sub')?.type).toBe('F');
      expect(seen.find((entry) => entry.name === 'a.txt')).toEqual({name: 'a.txt', type: 'N', size: 5});
    }
    expect(await client.listDir('/no-such-folder/')).toBe(false);
  });

  test('listDir of the bucket root shows its folders and files', async () => {
    await client.putFile('/top.txt', 'top');
    await client.putFile('/nested/deep/file.txt', 'deep');
    const root = await client.listDir('/');
    expect(root).not.toBe(false);
    if (root === false) return;
    expect(root.files.map(({name, type}) => `${name}:${type}`)).toEqual(['nested:F', 'top.txt:N']);
    expect(root.next).toBe(UPYUN_LIST_END);
  });

  test('makeDir creates a folder once; a second makeDir is refused', async () => {
    expect(await client.makeDir('/made')).toBe(true);
    expect(sim.folders.has(`/${BUCKET}/made`)).toBe(true);
    const error = await sdkError(client.makeDir('/made'));
    expect(error.code).toBe(40600002);
  });

  test('copy keeps the source and writes the target; move removes the source', async () => {
    await client.putFile('/src.txt', 'copied bytes', {'x-upyun-meta-owner': 'sdk'});
    expect(await client.copy('/copy.txt', '/src.txt')).toBe(true);
    expect(await client.getFile('/copy.txt')).toBe('copied bytes');
    expect(sim.files.get(`/${BUCKET}/copy.txt`)?.meta).toEqual({'x-upyun-meta-owner': 'sdk'});
    expect(await client.move('/moved.txt', '/src.txt')).toBe(true);
    expect(await client.getFile('/moved.txt')).toBe('copied bytes');
    expect(await client.headFile('/src.txt')).toBe(false);
    // A missing source is a 404, which the SDK reports as `false`.
    expect(await client.copy('/other.txt', '/src.txt')).toBe(false);
  });

  test('updateMetadata merges, replaces and deletes x-upyun-meta-* (a signed ?metadata= query)', async () => {
    await client.putFile('/meta.txt', 'm', {'x-upyun-meta-a': '1'});
    expect(await client.updateMetadata('/meta.txt', {b: '2'})).toBe(true);
    expect(await client.getMetadata('/meta.txt')).toEqual({'x-upyun-meta-a': '1', 'x-upyun-meta-b': '2'});
    expect(await client.updateMetadata('/meta.txt', {c: '3'}, 'replace')).toBe(true);
    expect(await client.getMetadata('/meta.txt')).toEqual({'x-upyun-meta-c': '3'});
    expect(await client.updateMetadata('/meta.txt', {c: ''}, 'delete')).toBe(true);
    expect(await client.getMetadata('/meta.txt')).toEqual({});
    expect(sim.counters.authFailures).toBe(0);
  });

  test('usage answers the bytes stored (a signed ?usage query), for the bucket and a folder', async () => {
    await client.putFile('/u/one.txt', '12345');
    await client.putFile('/u/two.txt', '1234567');
    await client.putFile('/elsewhere.txt', '123');
    expect(await client.usage()).toBe(15);
    expect(await client.usage('/u/')).toBe(12);
    expect(sim.counters.authFailures).toBe(0);
  });

  const multipartBody = (): Buffer =>
    Buffer.from(Uint8Array.from({length: 2 * MIB + 1234}, (_, index) => (index * 7 + 3) & 255));

  test('multipart upload in order: initiate (with x-upyun-multi-disorder), three parts, complete', async () => {
    const body = multipartBody();
    const started = await client.initMultipartUpload('/big/in-order.bin', body);
    if (started === false) throw new Error('initiate failed');
    expect(started.partCount).toBe(3);
    expect(sim.uploads.get(started.uuid)?.disorder).toBe(true);
    for (let part = 0; part < 3; part++) {
      expect(await client.multipartUpload('/big/in-order.bin', body, started.uuid, part)).toBe(true);
    }
    expect(await client.completeMultipartUpload('/big/in-order.bin', started.uuid)).toBe(true);
    expect(Buffer.from(sim.files.get(`/${BUCKET}/big/in-order.bin`)?.body ?? []).equals(body)).toBe(true);
  });

  test('multipart upload out of order (2, 0, 1) is accepted because the SDK sends x-upyun-multi-disorder', async () => {
    const body = multipartBody();
    const started = await client.initMultipartUpload('/big/disorder.bin', body);
    if (started === false) throw new Error('initiate failed');
    for (const part of [2, 0, 1]) {
      expect(await client.multipartUpload('/big/disorder.bin', body, started.uuid, part)).toBe(true);
    }
    expect(await client.completeMultipartUpload('/big/disorder.bin', started.uuid)).toBe(true);
    expect(Buffer.from(sim.files.get(`/${BUCKET}/big/disorder.bin`)?.body ?? []).equals(body)).toBe(true);
    expect(sim.counters).toMatchObject({multipartInitiated: 1, multipartParts: 3, multipartCompleted: 1});
  });

  test('a wrong password gets 401 40100005, and nothing is stored', async () => {
    const wrong = new upyunSdk.Client(
      new upyunSdk.Service(BUCKET, credentials.operator, 'not-the-password'),
      {
        protocol: 'http',
        domain,
      },
    );
    const error = await sdkError(wrong.putFile('/denied.txt', 'x'));
    expect(error.code).toBe(40100005);
    expect(error.message).toContain('401');
    expect(sim.counters.authFailures).toBe(1);
    expect(sim.files.size).toBe(0);
  });

  test('keys with unicode and reserved characters round-trip between the SDK and ky-vendors', async () => {
    const api = ky.create({prefix: url, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
    const keys = ['又拍云/图片 1.txt', 'a+b&c=d;e,f:g@h$i.txt', "it's (x)~!*.txt", '100%/ü.txt'];
    for (const key of keys) {
      await client.putFile(`/${key}`, `sdk:${key}`);
      expect(await api.get(objectPath(BUCKET, key)).text()).toBe(`sdk:${key}`);
      await api.put(objectPath(BUCKET, `copy/${key}`), {body: `ky:${key}`});
      expect(await client.getFile(`/copy/${key}`)).toBe(`ky:${key}`);
    }
    // Both sides named the same objects: no extra keys from a different encoding.
    expect([...sim.files.keys()].sort()).toEqual(
      [...keys, ...keys.map((key) => `copy/${key}`)].map((key) => `/${BUCKET}/${key}`).sort(),
    );
    expect(sim.counters.authFailures).toBe(0);
  });

  test('ky-vendors reads what the SDK reads: usage and metadata requests with queries pass the signature check', async () => {
    const api = ky.create({prefix: url, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
    await client.putFile('/q/file.txt', 'twenty bytes of text');
    expect(await api.get(`${BUCKET}/?usage`).text()).toBe(String(await client.usage()));
    await api.patch(`${objectPath(BUCKET, 'q/file.txt')}?metadata=merge`, {headers: {'x-upyun-meta-k': 'v'}});
    expect(await client.getMetadata('/q/file.txt')).toEqual({'x-upyun-meta-k': 'v'});
    expect(sim.counters.authFailures).toBe(0);
  });
});

describe("upyunAuth's signature equals the official SDK's", () => {
  const DATE = 'Wed, 09 Nov 2016 14:26:58 GMT';
  const HOST = 'https://v0.api.upyun.com';
  const service = new upyunSdk.Service(BUCKET, credentials.operator, credentials.password);

  /** The path and Authorization the SDK computes for a request, through its own request interceptor. */
  const sdkSigns = async (method: string, url: string, contentMd5: string | undefined) => {
    let signedPath = '';
    const client = new upyunSdk.Client(
      service,
      {protocol: 'https', domain: 'v0.api.upyun.com'},
      (svc, m, path, md5) => {
        signedPath = `/${svc.serviceName}${path}`;
        return {
          Authorization: upyunSdk.sign.genSign(svc, {
            method: m,
            path: signedPath,
            date: DATE,
            contentMd5: md5,
          }),
          'X-Date': DATE,
        };
      },
    );
    const interceptor = client.req.interceptors.request.handlers[0];
    if (interceptor === undefined) throw new Error('the SDK has no request interceptor');
    const config = await interceptor.fulfilled({
      method,
      url,
      baseURL: `https://v0.api.upyun.com/${BUCKET}`,
      headers: contentMd5 === undefined ? {} : {'Content-MD5': contentMd5},
    });
    return {path: signedPath, authorization: config.headers.common?.Authorization};
  };

  /** The path and Authorization upyunAuth puts on the same request. */
  const weSign = async (method: string, key: string, query: string, contentMd5: string | undefined) => {
    const hooks = upyunAuth({...credentials, now: () => Date.parse(DATE)});
    const request = new Request(`${HOST}/${objectPath(BUCKET, key)}${query}`, {
      method,
      headers: contentMd5 === undefined ? {} : {'Content-MD5': contentMd5},
    });
    for (const hook of hooks.beforeRequest ?? []) {
      await (hook as (state: {request: Request}) => unknown)({request});
    }
    expect(request.headers.get('x-date')).toBe(DATE);
    return {path: signedUri(request.url), authorization: request.headers.get('authorization')};
  };

  const md5 = md5Hex('file body');
  // [method, key, query, Content-MD5]: the SDK is given `/<key><query>`, as its methods build it.
  const rows: [string, string, string, string | undefined][] = [
    ['GET', 'a.txt', '', undefined],
    ['PUT', 'a.txt', '', md5],
    ['PUT', 'dir/sub/a.txt', '', md5],
    ['HEAD', 'dir/a.txt', '', undefined],
    ['DELETE', 'dir/a.txt', '', undefined],
    ['POST', 'new-folder', '', undefined],
    ['GET', 'dir/', '?usage', undefined],
    ['GET', 'dir/sub/', '?usage', undefined],
    ['PATCH', 'a.txt', '?metadata=merge', undefined],
    ['PATCH', 'a.txt', '?metadata=replace', undefined],
    ['PATCH', 'dir/a.txt', '?metadata=delete', undefined],
    ['GET', 'a.txt', '?a=1&b=2', undefined],
    ['PUT', 'a+b.txt', '', md5],
    ['PUT', 'a&b=c.txt', '', undefined],
    ['PUT', 'semi;comma,colon:at@dollar$.txt', '', md5],
    ['GET', "tilde~bang!star*quote'(paren).txt", '', undefined],
    ['PUT', 'with space.txt', '', md5],
    ['PUT', '100%.txt', '', undefined],
    ['PUT', '又拍云/图片.jpg', '', md5],
    ['GET', 'ü/é/ß.txt', '', undefined],
    ['PUT', 'emoji-😀.png', '', md5],
    ['DELETE', 'brackets[1]{2}|pipe^caret`.txt', '', undefined],
    ['PATCH', '又拍云 a+b.txt', '?metadata=merge', undefined],
    ['put', 'lower-case-method.txt', '', md5],
  ];

  test.each(rows)('%s /%s%s (Content-MD5 %s)', async (method, key, query, contentMd5) => {
    const sdk = await sdkSigns(method.toUpperCase(), `/${key}${query}`, contentMd5);
    const ours = await weSign(method, key, query, contentMd5);
    expect(ours.path).toBe(sdk.path);
    expect(ours.authorization).toBe(sdk.authorization);
    expect(ours.authorization).toMatch(/^UPYUN sdk-operator:[A-Za-z0-9+/]{27}=$/);
  });

  test('the table covers at least 20 requests, with queries, Content-MD5 and non-ASCII keys', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.filter(([, , query]) => query !== '').length).toBeGreaterThanOrEqual(5);
    expect(rows.filter(([, , , md5_]) => md5_ !== undefined).length).toBeGreaterThanOrEqual(5);
    expect(rows.filter(([, key]) => /[^\u0020-\u007e]/.test(key)).length).toBeGreaterThanOrEqual(4);
  });
});
