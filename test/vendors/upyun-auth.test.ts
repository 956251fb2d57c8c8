import {createHash} from 'node:crypto';
import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, test} from 'vitest';
import {AuthError, type RetryEvent, redact, withVendor} from '../../src/index.ts';
import {upyunHandlers} from '../../src/testing/msw.ts';
import {createUpyunSimulator} from '../../src/testing/upyun/index.ts';
import {signatureCheck} from '../../src/testing/upyun/verify-signature.ts';
import {upyun, upyunAuth} from '../../src/vendors/upyun/index.ts';
import {md5, md5Hex} from '../../src/vendors/upyun/md5.ts';
import {importSigningKey, signature, stringToSign} from '../../src/vendors/upyun/sign.ts';
import {server} from '../helpers/server.ts';

const HOST = 'https://v0.api.upyun.com';

describe('md5', () => {
  // RFC 1321, appendix A.5.
  test.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ])('md5Hex(%j) is the RFC 1321 digest', (input, digest) => {
    expect(md5Hex(input)).toBe(digest);
  });

  test('matches node:crypto for every length around the block boundaries, and for UTF-8 text', () => {
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({length}, (_, index) => (index * 131 + length) & 255);
      expect(md5Hex(bytes)).toBe(createHash('md5').update(bytes).digest('hex'));
    }
    expect(md5Hex('又拍云 ü')).toBe(createHash('md5').update('又拍云 ü').digest('hex'));
    expect(md5(new Uint8Array())).toHaveLength(16);
  });
});

describe('UPYUN signature', () => {
  test('reproduces the documented worked example', async () => {
    const input = {
      method: 'PUT',
      uri: '/upyun-temp/demo.jpg',
      date: 'Wed, 09 Nov 2016 14:26:58 GMT',
      contentMd5: '7ac66c0f148de9519b8bd264312c4d64',
    };
    expect(stringToSign(input)).toBe(
      'PUT&/upyun-temp/demo.jpg&Wed, 09 Nov 2016 14:26:58 GMT&7ac66c0f148de9519b8bd264312c4d64',
    );
    const key = await importSigningKey('482c811da5d5b4bc6d497ffa98491e38');
    expect(await signature(key, input)).toBe('YUaAZX+WNAcJdNGHS5SBlITME5A=');
  });

  test('leaves out Content-MD5 and its separator when there is none', () => {
    expect(stringToSign({method: 'get', uri: '/b/a', date: 'D'})).toBe('GET&/b/a&D');
  });
});

/** Records every request the handler sees; answers from `responses` in turn, the last forever. */
const recordingHandler = (responses: (() => Response)[]) => {
  const seen: Request[] = [];
  server.use(
    http.all(`${HOST}/*`, ({request}) => {
      seen.push(request.clone());
      const next = responses[Math.min(seen.length - 1, responses.length - 1)];
      if (next === undefined) throw new Error('no response');
      return next();
    }),
  );
  return seen;
};

const throttledOnce = () =>
  HttpResponse.json(
    {msg: 'too many requests', code: 42900001, id: 'a'.repeat(32)},
    {status: 429, headers: {'x-error-code': '42900001'}},
  );

describe('upyunAuth', () => {
  const credentials = {operator: 'uploader', password: 'correct-horse-battery'};

  test('signs a request with the operator, a fresh Date and a signature UPYUN accepts', async () => {
    const seen = recordingHandler([() => new HttpResponse(null, {status: 200})]);
    const nowMs = Date.UTC(2024, 4, 1, 12, 0, 0);
    const api = ky.create({
      prefix: HOST,
      ...withVendor(upyun, {limiter: false, auth: upyunAuth({...credentials, now: () => nowMs})}),
    });
    await api.put('bucket/a.txt', {body: 'x'});
    const [request] = seen;
    expect(request?.headers.get('date')).toBe('Wed, 01 May 2024 12:00:00 GMT');
    expect(request?.headers.get('authorization')).toMatch(/^UPYUN uploader:[A-Za-z0-9+/]{27}=$/);
    const check = signatureCheck(credentials, 60_000);
    expect(
      await check(
        {
          method: 'PUT',
          url: request?.url ?? '',
          headers: request?.headers ?? new Headers(),
          body: new Uint8Array(),
        },
        nowMs,
      ),
    ).toBeUndefined();
  });

  test('signs every retry again, with a new Date and a signature valid for it', async () => {
    const seen = recordingHandler([
      throttledOnce,
      throttledOnce,
      () => new HttpResponse(null, {status: 200}),
    ]);
    let clock = Date.UTC(2024, 4, 1, 12, 0, 0);
    const retries: RetryEvent[] = [];
    const api = ky.create({
      prefix: HOST,
      ...withVendor(upyun, {
        limiter: false,
        auth: upyunAuth({...credentials, now: () => clock}),
        maxWaitMs: 5,
        onRetry: (event) => {
          retries.push(event);
          // The wait UPYUN asks for passes between attempts.
          clock += 61_000;
        },
      }),
    });
    await api.put('bucket/a.txt', {body: 'x'});
    expect(retries).toHaveLength(2);
    expect(seen).toHaveLength(3);
    const dates = seen.map((request) => request.headers.get('date'));
    expect(new Set(dates).size).toBe(3);
    expect(new Set(seen.map((request) => request.headers.get('authorization'))).size).toBe(3);
    // Each attempt is valid at the time it is sent, even with a one-minute skew allowance.
    const check = signatureCheck(credentials, 60_000);
    for (const request of seen) {
      const sentAt = Date.parse(request.headers.get('date') ?? '');
      const failure = await check(
        {method: request.method, url: request.url, headers: request.headers, body: new Uint8Array()},
        sentAt,
      );
      expect(failure).toBeUndefined();
    }
    expect(Date.parse(dates[2] ?? '') - Date.parse(dates[0] ?? '')).toBe(122_000);
  });

  test('passes the simulator signature check through throttling, end to end', async () => {
    let clock = Date.UTC(2024, 4, 1);
    const now = () => clock;
    // A stale date on the retry would be refused: the skew allowance is shorter than the wait.
    const sim = createUpyunSimulator({
      credentials,
      ratePerSecond: 1,
      burst: 1,
      transientErrorRate: 0,
      maxDateSkewMs: 500,
      now,
    });
    server.use(...upyunHandlers(sim));
    const api = ky.create({
      prefix: HOST,
      ...withVendor(upyun, {
        limiter: false,
        auth: upyunAuth({...credentials, now}),
        maxWaitMs: 5,
        onRetry: () => {
          clock += 1000;
        },
      }),
    });
    await api.put('bucket/one.txt', {body: '1'});
    await api.put('bucket/two.txt', {body: '2'});
    expect(sim.counters).toMatchObject({authFailures: 0, throttled: 1, requests: 3});
    expect(sim.files.get('/bucket/two.txt')?.writes).toBe(1);
  });

  test('covers Content-MD5 in the signature', async () => {
    const seen = recordingHandler([() => new HttpResponse(null, {status: 200})]);
    const api = ky.create({prefix: HOST, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
    await api.put('bucket/a.txt', {body: 'abc', headers: {'Content-MD5': md5Hex('abc')}});
    const [request] = seen;
    const headers = new Headers(request?.headers);
    const check = signatureCheck(credentials, 60_000);
    const input = {method: 'PUT', url: request?.url ?? '', headers, body: new Uint8Array()};
    expect(await check(input, Date.now())).toBeUndefined();
    headers.set('content-md5', md5Hex('abd'));
    expect(await check(input, Date.now())).toEqual({code: 40100005, msg: 'signature error'});
  });

  test('sends the signed date in X-Date and Date, or X-Date alone as browsers must', async () => {
    const seen = recordingHandler([() => new HttpResponse(null, {status: 200})]);
    await ky.create({prefix: HOST, ...withVendor(upyun, {auth: upyunAuth(credentials)})}).get('bucket/a.txt');
    expect(seen[0]?.headers.get('x-date')).toMatch(/GMT$/);
    expect(seen[0]?.headers.get('date')).toBe(seen[0]?.headers.get('x-date'));
    const xDateOnly = upyunAuth({...credentials, sendDateHeader: false});
    await ky.create({prefix: HOST, ...withVendor(upyun, {auth: xDateOnly})}).get('bucket/a.txt');
    expect(seen[1]?.headers.get('x-date')).toMatch(/GMT$/);
    expect(seen[1]?.headers.has('date')).toBe(false);
  });

  test('signs the query with the path, so a request with a query passes the check', async () => {
    const seen = recordingHandler([() => new HttpResponse(null, {status: 200})]);
    const api = ky.create({prefix: HOST, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
    await api.get('bucket/dir/?usage');
    await api.patch('bucket/a+b.txt?metadata=merge', {headers: {'x-upyun-meta-k': 'v'}});
    const check = signatureCheck(credentials, 60_000);
    for (const request of seen) {
      expect(new URL(request.url).search).not.toBe('');
      const input = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: new Uint8Array(),
      };
      expect(await check(input, Date.now())).toBeUndefined();
      // The same signature over the path alone is refused, as UPYUN refuses it.
      const withoutQuery = {...input, url: request.url.replace(/\?.*$/, '')};
      expect(await check(withoutQuery, Date.now())).toEqual({code: 40100005, msg: 'signature error'});
    }
  });

  test('a wrong password fails once with AuthError 40100005, and no credential shows in the error', async () => {
    const sim = createUpyunSimulator({credentials, transientErrorRate: 0});
    server.use(...upyunHandlers(sim));
    const wrong = {operator: 'uploader', password: 'wrong-password-123'};
    const api = ky.create({prefix: HOST, ...withVendor(upyun, {auth: upyunAuth(wrong)})});
    const error = await api.put('bucket/a.txt', {body: 'x'}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({code: 40100005, status: 401, attempts: 1});
    expect(sim.counters.requests).toBe(1);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(text).not.toContain(wrong.password);
    expect(text).not.toContain(md5Hex(wrong.password));
  });

  test('registers the password and its MD5 for redaction', () => {
    const password = 'redact-me-please';
    upyunAuth({operator: 'op', password});
    expect(redact(`pw ${password} key ${md5Hex(password)}`)).toBe('pw [REDACTED] key [REDACTED]');
    expect(redact('Authorization: UPYUN op:YUaAZX+WNAcJdNGHS5SBlITME5A=')).not.toContain('YUaAZX');
  });

  test.each([[{operator: '', password: 'secret-1'}], [{operator: 'op', password: ''}]])(
    'refuses empty credentials %j',
    (options) => {
      expect(() => upyunAuth(options)).toThrow(TypeError);
    },
  );
});
