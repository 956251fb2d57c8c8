import ky from 'ky';
import {describe, expect, test} from 'vitest';
import {upyunHandlers} from '../../src/testing/msw.ts';
import {
  createUpyunSimulator,
  type SimResponse,
  startUpyunServer,
  UPYUN_LIST_END,
  type UpyunSimulatorOptions,
  upyunError,
} from '../../src/testing/upyun/index.ts';
import {md5Hex} from '../../src/vendors/upyun/md5.ts';
import {upyunAuth} from '../../src/vendors/upyun/upyun-auth.ts';
import {server} from '../helpers/server.ts';

const MIB = 1024 * 1024;

/** A simulator on a hand-driven clock, with no random faults unless asked. */
const simulator = (options: UpyunSimulatorOptions = {}) => {
  const clock = {ms: Date.parse('2024-05-01T00:00:00Z')};
  const sim = createUpyunSimulator({transientErrorRate: 0, now: () => clock.ms, ...options});
  const send = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body: Uint8Array = new Uint8Array(),
  ) => sim.handle({method, url: `https://v0.api.upyun.com${path}`, headers: new Headers(headers), body});
  return {sim, clock, send};
};

const json = (response: SimResponse): unknown =>
  typeof response.body === 'string' ? JSON.parse(response.body) : undefined;

describe('UPYUN simulator: rate limit', () => {
  test('accepts a burst, then answers 429 42900001 with the real envelope and headers', async () => {
    const {send} = simulator({ratePerSecond: 10, burst: 3});
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await send('PUT', `/b/${index}.txt`)).status);
    const refused = await send('PUT', '/b/3.txt');
    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.headers['x-error-code']).toBe('42900001');
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(json(refused)).toEqual({
      msg: 'too many requests',
      code: 42900001,
      id: refused.headers['x-request-id'],
    });
  });

  test('refills at the configured rate', async () => {
    const {send, clock, sim} = simulator({ratePerSecond: 10, burst: 1});
    expect((await send('PUT', '/b/a')).status).toBe(200);
    expect((await send('PUT', '/b/b')).status).toBe(429);
    clock.ms += 99;
    expect((await send('PUT', '/b/c')).status).toBe(429);
    clock.ms += 1;
    expect((await send('PUT', '/b/d')).status).toBe(200);
    expect(sim.counters).toMatchObject({requests: 4, throttled: 2, ok: 2, byCode: {42900001: 2}});
  });

  test('bans a client that keeps hitting the limit, and lifts the ban after its duration', async () => {
    const {send, clock, sim} = simulator({ratePerSecond: 1, burst: 1, banAfter429s: 3, banDurationMs: 5000});
    await send('GET', '/b/x');
    for (let index = 0; index < 3; index++) expect((await send('GET', '/b/x')).status).toBe(429);
    clock.ms += 2000;
    const banned = await send('GET', '/b/x');
    expect(banned.headers['x-error-code']).toBe('42900004');
    expect(json(banned)).toMatchObject({msg: 'request banned', code: 42900004});
    clock.ms += 3000;
    expect((await send('GET', '/b/x')).headers['x-error-code']).toBe('40400001');
    expect(sim.counters.banned).toBe(1);
  });
});

describe('UPYUN simulator: per-bucket limits, changing limits, noise', () => {
  /** Sends `count` PUTs to `bucket` at the current instant; returns how many were accepted. */
  const burstOf = async (send: ReturnType<typeof simulator>['send'], bucket: string, count: number) => {
    let accepted = 0;
    for (let index = 0; index < count; index++) {
      if ((await send('PUT', `/${bucket}/f${index}.txt`)).status === 200) accepted++;
    }
    return accepted;
  };

  test('a listed bucket has a limit of its own; other buckets share the service-wide one', async () => {
    const {send, sim} = simulator({
      ratePerSecond: 10,
      burst: 2,
      sameFileIntervalMs: 0,
      buckets: {a: {ratePerSecond: 10, burst: 3}, b: {burst: 4}},
    });
    expect(await burstOf(send, 'a', 10)).toBe(3);
    expect(await burstOf(send, 'b', 10)).toBe(4);
    expect(await burstOf(send, 'c', 5)).toBe(2);
    expect(await burstOf(send, 'd', 5)).toBe(0);
    expect(sim.counters.throttledByBucket).toEqual({a: 7, b: 6, '*': 8});
    expect(sim.counters.throttled).toBe(21);
  });

  test('each bucket refills at its own rate', async () => {
    const {send, clock} = simulator({
      sameFileIntervalMs: 0,
      buckets: {slow: {ratePerSecond: 2, burst: 1}, fast: {ratePerSecond: 20, burst: 1}},
    });
    await burstOf(send, 'slow', 1);
    await burstOf(send, 'fast', 1);
    clock.ms += 100;
    expect(await burstOf(send, 'fast', 3)).toBe(2 - 1);
    expect(await burstOf(send, 'slow', 3)).toBe(0);
    clock.ms += 400;
    expect(await burstOf(send, 'slow', 3)).toBe(1);
  });

  test('a schedule changes the rate at each step, counted from creation and again after reset()', async () => {
    const {send, clock, sim} = simulator({
      ratePerSecond: 10,
      burst: 100,
      sameFileIntervalMs: 0,
      rateSchedule: [
        {atMs: 1000, ratePerSecond: 2},
        {atMs: 3000, ratePerSecond: 50, burst: 5},
      ],
    });
    await burstOf(send, 'b', 100); // empties the initial burst
    // From 0 to 1 s at 10/s, then 1 s at 2/s: 12 tokens by 2 s.
    clock.ms += 2000;
    expect(await burstOf(send, 'b', 20)).toBe(12);
    // 2 s → 3 s at 2/s, then 3 s → 4 s at 50/s capped at the step's burst of 5.
    clock.ms += 2000;
    expect(await burstOf(send, 'b', 20)).toBe(5);
    sim.reset();
    expect(await burstOf(send, 'b', 200)).toBe(100);
    clock.ms += 500;
    expect(await burstOf(send, 'b', 20)).toBe(5);
  });

  test('noise answers a share of requests 429 42900001 with no limit behind it, seeded', async () => {
    const run = async (seed: number) => {
      const {send, sim} = simulator({
        ratePerSecond: Number.POSITIVE_INFINITY,
        noiseThrottleRate: 0.05,
        sameFileIntervalMs: 0,
        seed,
      });
      const statuses: number[] = [];
      for (let index = 0; index < 2000; index++) statuses.push((await send('PUT', `/b/${index}`)).status);
      return {statuses, counters: sim.counters};
    };
    const first = await run(3);
    const again = await run(3);
    const other = await run(4);
    const refused = first.statuses.filter((status) => status === 429).length;
    expect(refused).toBeGreaterThan(60);
    expect(refused).toBeLessThan(140);
    expect(first.counters).toMatchObject({
      noiseThrottled: refused,
      throttled: 0,
      byCode: {42900001: refused},
    });
    expect(again.statuses).toEqual(first.statuses);
    expect(other.statuses).not.toEqual(first.statuses);
  });

  test('noise never leads to a ban, and transient faults still come on top of it', async () => {
    const {send, sim} = simulator({
      ratePerSecond: Number.POSITIVE_INFINITY,
      transientErrorRate: 0.1,
      noiseThrottleRate: 0.2,
      banAfter429s: 3,
      sameFileIntervalMs: 0,
    });
    const codes: string[] = [];
    for (let index = 0; index < 300; index++) {
      codes.push((await send('PUT', `/b/${index}`)).headers['x-error-code'] ?? 'ok');
    }
    expect(codes.filter((code) => code === '42900001').length).toBeGreaterThan(20);
    expect(codes).not.toContain('42900004');
    expect(codes).toContain('50300013');
    expect(sim.counters).toMatchObject({banned: 0, throttled: 0});
    expect(sim.counters.noiseThrottled + sim.counters.transient + sim.counters.ok).toBe(300);
  });

  test.each([
    [{noiseThrottleRate: 1.5}, /noiseThrottleRate/],
    [{noiseThrottleRate: Number.NaN}, /noiseThrottleRate/],
    [
      {
        rateSchedule: [
          {atMs: 1000, ratePerSecond: 5},
          {atMs: 500, ratePerSecond: 5},
        ],
      },
      /rateSchedule\[1\]/,
    ],
    [{rateSchedule: [{atMs: -1, ratePerSecond: 5}]}, /rateSchedule\[0\]/],
    [{rateSchedule: [{atMs: 0, ratePerSecond: 0}]}, /ratePerSecond/],
    [{buckets: {a: {ratePerSecond: -1}}}, /buckets\.a\.ratePerSecond/],
    [{buckets: {a: {burst: 0}}}, /buckets\.a\.burst/],
    [
      {buckets: {a: {rateSchedule: [{atMs: 0, ratePerSecond: 1, burst: 0.5}]}}},
      /buckets\.a\.rateSchedule\[0\]/,
    ],
  ] as const)('rejects bad limits with a TypeError naming the option: %j', (options, message) => {
    expect(() => createUpyunSimulator(options as UpyunSimulatorOptions)).toThrow(TypeError);
    expect(() => createUpyunSimulator(options as UpyunSimulatorOptions)).toThrow(message);
  });
});

describe('UPYUN simulator: files', () => {
  test('stores, reads and deletes a file, counting writes', async () => {
    const {send, sim, clock} = simulator();
    const body = new TextEncoder().encode('hello');
    expect((await send('PUT', '/b/dir/a%20b.txt', {'content-type': 'text/plain'}, body)).status).toBe(200);
    const read = await send('GET', '/b/dir/a%20b.txt');
    expect(read.status).toBe(200);
    expect(new TextDecoder().decode(read.body as Uint8Array)).toBe('hello');
    expect(read.headers['content-type']).toBe('text/plain');
    expect(sim.files.get('/b/dir/a b.txt')).toMatchObject({size: 5, writes: 1});
    clock.ms += 1000;
    await send('PUT', '/b/dir/a%20b.txt', {}, body);
    expect(sim.files.get('/b/dir/a b.txt')?.writes).toBe(2);
    clock.ms += 1000;
    expect((await send('DELETE', '/b/dir/a%20b.txt')).status).toBe(200);
    expect((await send('GET', '/b/dir/a%20b.txt')).headers['x-error-code']).toBe('40400001');
    expect(sim.counters.bytesReceived).toBe(10);
  });

  test('refuses a second change of the same file within a second with 503 50300007', async () => {
    const {send, clock, sim} = simulator();
    await send('PUT', '/b/a.txt');
    clock.ms += 999;
    const again = await send('PUT', '/b/a.txt');
    expect(again.status).toBe(503);
    expect(json(again)).toMatchObject({code: 50300007, msg: 'capture file from fs error'});
    clock.ms += 1;
    expect((await send('PUT', '/b/a.txt')).status).toBe(200);
    expect(sim.files.get('/b/a.txt')?.writes).toBe(2);
    expect(sim.counters.sameFile).toBe(1);
  });

  test('answers a HEAD error with X-Error-Code and no body', async () => {
    const {send} = simulator();
    const response = await send('HEAD', '/b/missing');
    expect(response).toMatchObject({status: 404, body: undefined, headers: {'x-error-code': '40400001'}});
  });

  test('checks Content-MD5 when a PUT carries one', async () => {
    const {send, sim} = simulator();
    const body = new TextEncoder().encode('abc');
    expect((await send('PUT', '/b/ok', {'content-md5': md5Hex(body)}, body)).status).toBe(200);
    const wrong = await send('PUT', '/b/bad', {'content-md5': md5Hex('abd')}, body);
    expect(wrong.headers['x-error-code']).toBe('40001001');
    expect(sim.files.has('/b/bad')).toBe(false);
  });

  test('keeps only sizes when bodies are not stored', async () => {
    const {send, sim} = simulator({storeBodies: false});
    await send('PUT', '/b/a', {}, new Uint8Array(10));
    expect(sim.files.get('/b/a')).toMatchObject({size: 10, body: undefined});
  });
});

describe('UPYUN simulator: transient faults', () => {
  const statuses = async (options: UpyunSimulatorOptions, count: number) => {
    const {send} = simulator({ratePerSecond: Number.POSITIVE_INFINITY, ...options});
    const result: number[] = [];
    for (let index = 0; index < count; index++) result.push((await send('GET', `/b/${index}`)).status);
    return result;
  };

  test('answers 503 50300013 at about the configured rate', async () => {
    const result = await statuses({transientErrorRate: 0.1, seed: 3}, 2000);
    const share = result.filter((status) => status === 503).length / result.length;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
  });

  test('replays the same faults for the same seed and different ones for another', async () => {
    const first = await statuses({transientErrorRate: 0.2, seed: 9}, 200);
    expect(await statuses({transientErrorRate: 0.2, seed: 9}, 200)).toEqual(first);
    expect(await statuses({transientErrorRate: 0.2, seed: 10}, 200)).not.toEqual(first);
  });

  test('defaults to a realistic busy bucket: 150/s, burst 15, 1% transient', () => {
    expect(createUpyunSimulator().options).toMatchObject({
      ratePerSecond: 150,
      burst: 15,
      transientErrorRate: 0.01,
    });
  });

  test('lets a test inject any answer after the limits', async () => {
    const {send} = simulator({
      intercept: ({path, stage}) =>
        path === '/b/hot' && stage === undefined
          ? upyunError(42900007, 'concurrent put or delete')
          : undefined,
    });
    const response = await send('PUT', '/b/hot');
    expect(response.status).toBe(429);
    expect(json(response)).toMatchObject({code: 42900007});
    expect((await send('PUT', '/b/cold')).status).toBe(200);
  });
});

describe('UPYUN simulator: signatures', () => {
  const credentials = {operator: 'op', password: 'sim-password-1'};

  const signed = async (clockMs: number, date: Date, password = credentials.password) => {
    const headers = new Headers();
    const auth = upyunAuth({operator: 'op', password, now: () => date.getTime()});
    const request = new Request('https://v0.api.upyun.com/b/a.txt', {method: 'PUT', headers});
    for (const hook of auth.beforeRequest ?? []) {
      await hook({request, options: {} as never, retryCount: 0});
    }
    const {sim} = simulator({credentials, now: () => clockMs});
    return sim.handle({method: 'PUT', url: request.url, headers: request.headers, body: new Uint8Array()});
  };

  test.each([
    ['accepts a valid signature', Date.UTC(2024, 0, 1), 0, undefined, 200, undefined],
    ['rejects a wrong password', Date.UTC(2024, 0, 1), 0, 'other-password', 401, '40100005'],
    ['rejects a date 31 minutes off', Date.UTC(2024, 0, 1), 31 * 60_000, undefined, 401, '40100002'],
  ])('%s', async (_name, nowMs, skewMs, password, status, code) => {
    const response = await signed(nowMs, new Date(nowMs - skewMs), password);
    expect(response.status).toBe(status);
    expect(response.headers['x-error-code']).toBe(code);
  });

  test.each([
    ['no Authorization', {}, '40100004'],
    ['another scheme', {authorization: 'Basic b3A6cA==', date: new Date().toUTCString()}, '40100003'],
    [
      'an unknown operator',
      {authorization: 'UPYUN someone:abc=', date: new Date().toUTCString()},
      '40100006',
    ],
    ['no date', {authorization: 'UPYUN op:abc='}, '40100001'],
    ['a malformed date', {authorization: 'UPYUN op:abc=', date: 'yesterday'}, '40100016'],
  ])('rejects a request with %s', async (_name, headers, code) => {
    const {send, sim} = simulator({credentials, now: Date.now});
    const response = await send('GET', '/b/a', headers);
    expect(response.status).toBe(401);
    expect(response.headers['x-error-code']).toBe(code);
    expect(sim.counters.authFailures).toBe(1);
  });
});

describe('UPYUN simulator: multipart', () => {
  const start = async (send: ReturnType<typeof simulator>['send'], length: number, disorder = false) => {
    const response = await send('PUT', '/b/big.bin', {
      'x-upyun-multi-stage': 'initiate',
      'x-upyun-multi-length': String(length),
      'x-upyun-multi-type': 'application/x-test',
      ...(disorder ? {'x-upyun-multi-disorder': 'true'} : {}),
    });
    return {response, uuid: response.headers['x-upyun-multi-uuid'] ?? ''};
  };
  const part = (send: ReturnType<typeof simulator>['send'], uuid: string, id: number, size: number) =>
    send(
      'PUT',
      '/b/big.bin',
      {'x-upyun-multi-stage': 'upload', 'x-upyun-multi-uuid': uuid, 'x-upyun-part-id': String(id)},
      new Uint8Array(size).fill(id + 1),
    );
  const complete = (send: ReturnType<typeof simulator>['send'], uuid: string, md5?: string) =>
    send('PUT', '/b/big.bin', {
      'x-upyun-multi-stage': 'complete',
      'x-upyun-multi-uuid': uuid,
      ...(md5 === undefined ? {} : {'x-upyun-multi-md5': md5}),
    });

  test('initiates with 204, a 36-character uuid and next part 0', async () => {
    const {send} = simulator();
    const {response, uuid} = await start(send, 2 * MIB + 5);
    expect(response.status).toBe(204);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(response.headers['x-upyun-next-part-id']).toBe('0');
  });

  test('takes parts in any order with x-upyun-multi-disorder, reporting the lowest missing part', async () => {
    const {send, sim} = simulator();
    const {uuid} = await start(send, 2 * MIB + 5, true);
    expect((await part(send, uuid, 2, 5)).headers['x-upyun-next-part-id']).toBe('0');
    expect((await part(send, uuid, 0, MIB)).headers['x-upyun-next-part-id']).toBe('1');
    expect((await part(send, uuid, 2, 5)).headers['x-error-code']).toBe('40011062');
    expect((await part(send, uuid, 3, 5)).headers['x-error-code']).toBe('40011061');
    expect((await complete(send, uuid)).headers).toMatchObject({'x-error-code': '40001037'});
    expect((await part(send, uuid, 1, MIB)).headers['x-upyun-next-part-id']).toBe('-1');
    expect((await complete(send, uuid)).status).toBe(201);
    const file = sim.files.get('/b/big.bin');
    expect([file?.body?.[0], file?.body?.[MIB], file?.body?.[2 * MIB + 4]]).toEqual([1, 2, 3]);
  });

  test('enforces the part order and reports where to continue', async () => {
    const {send, sim} = simulator();
    const {uuid} = await start(send, 2 * MIB + 5);
    const ahead = await part(send, uuid, 1, MIB);
    expect(ahead.headers).toMatchObject({'x-error-code': '40011061', 'x-upyun-next-part-id': '0'});
    expect((await part(send, uuid, 0, MIB)).headers['x-upyun-next-part-id']).toBe('1');
    const again = await part(send, uuid, 0, MIB);
    expect(again.headers).toMatchObject({'x-error-code': '40011062', 'x-upyun-next-part-id': '1'});
    expect((await complete(send, uuid)).headers).toMatchObject({
      'x-error-code': '40001037',
      'x-upyun-next-part-id': '1',
    });
    expect((await part(send, uuid, 1, MIB + 1)).headers['x-error-code']).toBe('40001032');
    expect((await part(send, uuid, 1, MIB)).headers['x-upyun-next-part-id']).toBe('2');
    expect((await part(send, uuid, 2, 4)).headers['x-error-code']).toBe('40001034');
    expect((await part(send, uuid, 2, 5)).headers['x-upyun-next-part-id']).toBe('-1');
    const done = await complete(send, uuid);
    expect(done.status).toBe(201);
    expect(done.headers).toMatchObject({
      'x-upyun-multi-uuid': uuid,
      'x-upyun-multi-length': String(2 * MIB + 5),
    });
    const file = sim.files.get('/b/big.bin');
    expect(file).toMatchObject({size: 2 * MIB + 5, writes: 1, contentType: 'application/x-test'});
    expect([file?.body?.[0], file?.body?.[MIB], file?.body?.[2 * MIB + 4]]).toEqual([1, 2, 3]);
    expect((await part(send, uuid, 0, MIB)).headers['x-error-code']).toBe('40011059');
    expect((await complete(send, uuid)).headers['x-error-code']).toBe('40011059');
    expect(sim.counters).toMatchObject({multipartInitiated: 1, multipartParts: 3, multipartCompleted: 1});
  });

  test('forgets unknown and expired sessions with 40011058', async () => {
    const {send, clock} = simulator({multipartTtlMs: 1000});
    expect((await part(send, '00000000-0000-0000-0000-000000000000', 0, MIB)).headers['x-error-code']).toBe(
      '40011058',
    );
    const {uuid} = await start(send, MIB);
    clock.ms += 1001;
    expect((await part(send, uuid, 0, MIB)).headers['x-error-code']).toBe('40011058');
  });

  test('checks the whole-file MD5 at complete and overwrites with 204', async () => {
    const {send, sim, clock} = simulator();
    const first = await start(send, 3);
    await part(send, first.uuid, 0, 3);
    expect((await complete(send, first.uuid, md5Hex('nope'))).headers['x-error-code']).toBe('40011060');
    expect((await complete(send, first.uuid, md5Hex(new Uint8Array(3).fill(1)))).status).toBe(201);
    clock.ms += 1000;
    const second = await start(send, 3);
    await part(send, second.uuid, 0, 3);
    expect((await complete(send, second.uuid)).status).toBe(204);
    expect(sim.files.get('/b/big.bin')?.writes).toBe(2);
  });

  test('rejects malformed multipart headers with their codes', async () => {
    const {send} = simulator();
    const codes = await Promise.all([
      send('PUT', '/b/x', {'x-upyun-multi-stage': 'initiate'}),
      send('PUT', '/b/x', {
        'x-upyun-multi-stage': 'initiate',
        'x-upyun-multi-length': '9',
        'x-upyun-multi-part-size': '1000',
      }),
      send('PUT', '/b/x', {'x-upyun-multi-stage': 'upload'}),
      send('PUT', '/b/x', {'x-upyun-multi-stage': 'finish'}),
    ]);
    expect(codes.map((response) => response.headers['x-error-code'])).toEqual([
      '40011052',
      '40011054',
      '40011056',
      '40011055',
    ]);
  });
});

describe('UPYUN simulator: transports', () => {
  test('serves msw handlers for ky', async () => {
    const {sim} = simulator();
    server.use(...upyunHandlers(sim));
    const api = ky.create({prefix: 'https://v0.api.upyun.com'});
    await api.put('b/hello.txt', {body: 'hi'});
    expect(await api.get('b/hello.txt').text()).toBe('hi');
    expect(sim.counters.requests).toBe(2);
  });

  test('serves a loopback server with signature checks', async () => {
    const credentials = {operator: 'op', password: 'loopback-secret'};
    const sim = createUpyunSimulator({transientErrorRate: 0, credentials});
    const loopback = await startUpyunServer(sim);
    try {
      const api = ky.create({prefix: loopback.url, hooks: upyunAuth(credentials)});
      const put = await api.put('b/dir/file%201.txt', {body: 'over the wire'});
      expect(put.status).toBe(200);
      expect(put.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      expect(await api.get('b/dir/file%201.txt').text()).toBe('over the wire');
      const denied = await ky.get(`${loopback.url}/b/dir/file%201.txt`, {throwHttpErrors: false});
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({code: 40100004});
    } finally {
      await loopback.close();
    }
    expect(sim.files.get('/b/dir/file 1.txt')?.writes).toBe(1);
  });

  test('answers HEAD through msw without a body', async () => {
    const {sim} = simulator();
    server.use(...upyunHandlers(sim));
    const response = await fetch('https://v0.api.upyun.com/b/none', {method: 'HEAD'});
    expect(response.status).toBe(404);
    expect(response.headers.get('x-error-code')).toBe('40400001');
    expect(await response.text()).toBe('');
  });
});

describe('UPYUN simulator: folders, copy, move, metadata, usage', () => {
  const text = (response: SimResponse): string =>
    typeof response.body === 'string' ? response.body : new TextDecoder().decode(response.body);

  test('HEAD carries the file type, size, date in seconds and Content-Md5; a folder is type folder', async () => {
    const {send, clock} = simulator();
    await send('PUT', '/b/dir/a.txt', {}, new TextEncoder().encode('abc'));
    const file = await send('HEAD', '/b/dir/a.txt');
    expect(file.headers).toMatchObject({
      'x-upyun-file-type': 'file',
      'x-upyun-file-size': '3',
      'x-upyun-file-date': String(Math.floor(clock.ms / 1000)),
      'content-md5': md5Hex('abc'),
    });
    expect(file.body).toBeUndefined();
    expect((await send('HEAD', '/b/dir')).headers['x-upyun-file-type']).toBe('folder');
    expect((await send('HEAD', '/b/')).headers['x-upyun-file-type']).toBe('folder');
  });

  test('lists a folder as text, or as JSON for Accept: application/json exactly', async () => {
    const {send} = simulator();
    await send('PUT', '/b/d/x.txt', {}, new Uint8Array(2));
    await send('POST', '/b/d/sub', {folder: 'true'});
    const listing = await send('GET', '/b/d/', {accept: 'application/json, text/plain, */*'});
    expect(listing.headers['x-upyun-list-iter']).toBe(UPYUN_LIST_END);
    expect(
      text(listing)
        .split('\n')
        .map((line) => line.split('\t').slice(0, 3)),
    ).toEqual([
      ['sub', 'F', '0'],
      ['x.txt', 'N', '2'],
    ]);
    const asJson = JSON.parse(text(await send('GET', '/b/d', {accept: 'application/json'})));
    expect(asJson).toMatchObject({
      iter: UPYUN_LIST_END,
      files: [
        {name: 'sub', type: 'folder'},
        {name: 'x.txt', length: 2},
      ],
    });
    expect((await send('GET', '/b/d/', {'x-list-order': 'sideways'})).headers['x-error-code']).toBe(
      '40300014',
    );
    expect((await send('GET', '/b/d/', {'x-list-limit': '0'})).headers['x-error-code']).toBe('40001005');
    expect((await send('GET', '/b/d/', {'x-list-iter': '%%%'})).headers['x-error-code']).toBe('40001005');
  });

  test('mkdir, and a folder is deleted only when empty', async () => {
    const {send, sim, clock} = simulator();
    expect((await send('POST', '/b/f', {folder: 'true'})).status).toBe(200);
    expect((await send('POST', '/b/f', {folder: 'true'})).headers['x-error-code']).toBe('40600002');
    await send('PUT', '/b/f/a.txt', {}, new Uint8Array(1));
    expect((await send('POST', '/b/f/a.txt', {folder: 'true'})).headers['x-error-code']).toBe('40600001');
    expect((await send('PUT', '/b/f', {}, new Uint8Array(1))).headers['x-error-code']).toBe('40300015');
    expect((await send('DELETE', '/b/f')).headers['x-error-code']).toBe('40300005');
    clock.ms += 1000; // one change per file per second
    expect((await send('DELETE', '/b/f/a.txt')).status).toBe(200);
    expect((await send('DELETE', '/b/f/')).status).toBe(200);
    expect(sim.folders.has('/b/f')).toBe(false);
    expect((await send('POST', '/b/g')).status).toBe(405);
  });

  test('copy and move check their source; move removes it; neither is a 0-byte write', async () => {
    const {send, sim, clock} = simulator();
    await send('PUT', '/b/src.txt', {'x-upyun-meta-a': '1'}, new TextEncoder().encode('data'));
    expect((await send('PUT', '/b/c.txt', {'x-upyun-copy-source': '/b/src.txt'})).status).toBe(200);
    expect(sim.files.get('/b/c.txt')).toMatchObject({size: 4, meta: {'x-upyun-meta-a': '1'}});
    const replaced = await send('PUT', '/b/r.txt', {
      'x-upyun-copy-source': '/b/src.txt',
      'x-upyun-metadata-directive': 'replace',
      'x-upyun-meta-b': '2',
    });
    expect(replaced.status).toBe(200);
    expect(sim.files.get('/b/r.txt')?.meta).toEqual({'x-upyun-meta-b': '2'});
    expect((await send('PUT', '/b/m.txt', {'x-upyun-move-source': '/b/src.txt'})).status).toBe(503);
    clock.ms += 1000; // a move changes its source: one change per file per second
    expect((await send('PUT', '/b/m.txt', {'x-upyun-move-source': '/b/src.txt'})).status).toBe(200);
    expect(sim.files.has('/b/src.txt')).toBe(false);
    expect(text(await send('GET', '/b/m.txt'))).toBe('data');
    const errors = await Promise.all([
      send('PUT', '/b/x.txt', {'x-upyun-copy-source': '/b/src.txt'}),
      send('PUT', '/b/x.txt', {'x-upyun-copy-source': '/other/m.txt'}),
      send('PUT', '/b/m.txt', {'x-upyun-move-source': '/b/m.txt'}),
      send('PUT', '/b/x.txt', {'x-upyun-copy-source': 'nonsense'}),
    ]);
    expect(errors.map((response) => response.headers['x-error-code'])).toEqual([
      '40400001',
      '40000040',
      '40000041',
      '40000042',
    ]);
  });

  test('PATCH ?metadata= merges, replaces and deletes, and refuses an unknown operation', async () => {
    const {send, sim} = simulator();
    await send('PUT', '/b/m.txt', {'x-upyun-meta-a': '1'}, new Uint8Array(1));
    await send('PATCH', '/b/m.txt?metadata=merge', {'x-upyun-meta-b': '2'});
    expect(sim.files.get('/b/m.txt')?.meta).toEqual({'x-upyun-meta-a': '1', 'x-upyun-meta-b': '2'});
    await send('PATCH', '/b/m.txt?metadata=delete', {'x-upyun-meta-a': ''});
    expect(sim.files.get('/b/m.txt')?.meta).toEqual({'x-upyun-meta-b': '2'});
    await send('PATCH', '/b/m.txt?metadata=replace', {'x-upyun-meta-c': '3'});
    expect(sim.files.get('/b/m.txt')?.meta).toEqual({'x-upyun-meta-c': '3'});
    expect((await send('GET', '/b/m.txt')).headers['x-upyun-meta-c']).toBe('3');
    expect(
      (await send('PATCH', '/b/m.txt?metadata=upsert', {'x-upyun-meta-c': '3'})).headers['x-error-code'],
    ).toBe('40001003');
    expect((await send('PATCH', '/b/m.txt?metadata=merge')).headers['x-error-code']).toBe('40000044');
    expect((await send('PATCH', '/b/none?metadata=merge', {'x-upyun-meta-c': '3'})).status).toBe(404);
  });

  test('?usage answers the bytes under a folder as plain text', async () => {
    const {send} = simulator();
    await send('PUT', '/b/u/a', {}, new Uint8Array(5));
    await send('PUT', '/b/v/a', {}, new Uint8Array(7));
    expect(text(await send('GET', '/b/?usage'))).toBe('12');
    expect(text(await send('GET', '/b/u/?usage'))).toBe('5');
    expect((await send('GET', '/b/none/?usage')).status).toBe(404);
  });

  test('reset forgets files, folders, uploads and counters, keeping the live counters object', async () => {
    const {send, sim} = simulator();
    const counters = sim.counters;
    await send('PUT', '/b/dir/a', {}, new Uint8Array(1));
    expect(counters.requests).toBe(1);
    sim.reset();
    expect(sim.counters).toBe(counters);
    expect(counters).toMatchObject({requests: 0, ok: 0, byStatus: {}, byCode: {}});
    expect(sim.files.size + sim.folders.size + sim.uploads.size).toBe(0);
  });
});
