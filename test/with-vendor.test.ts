import ky, {isTimeoutError, NetworkError} from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, expectTypeOf, test, vi} from 'vitest';
import {
  AuthError,
  type GiveUpEvent,
  isVendorError,
  NotReadyError,
  RateLimitError,
  type RetryEvent,
  ServerError,
  ValidationError,
  VendorError,
  withVendor,
} from '../src/index.ts';
import {ACME, acme} from './helpers/acme.ts';
import {server} from './helpers/server.ts';
import {settleWithFakeTime} from './helpers/settle-with-fake-time.ts';

const client = (options: Parameters<typeof withVendor>[1] = {}) => {
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const api = ky.create({
    prefix: ACME,
    ...withVendor(acme, {
      random: () => 0.5,
      onRetry: (event) => retries.push(event),
      onGiveUp: (event) => giveUps.push(event),
      ...options,
    }),
  });
  return {api, retries, giveUps};
};

/** Answers each request with the next response of the list, the last one forever; counts requests. */
const sequence = (method: 'get' | 'post', path: string, responses: (() => Response)[]) => {
  let count = 0;
  const handler = http[method](`${ACME}${path}`, () => {
    const next = responses[Math.min(count, responses.length - 1)];
    count++;
    if (next === undefined) throw new Error('empty sequence');
    return next();
  });
  server.use(handler);
  return {requests: () => count};
};

const acmeError =
  (status: number, code: string, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json({error: {code, message: `message for ${code}`}}, {status, headers});
const ok = () => HttpResponse.json({ok: true, value: 42});

describe('withVendor', () => {
  test('retries a throttled GET and hands the caller the readable body', async () => {
    const calls = sequence('get', '/items', [acmeError(429, 'busy'), acmeError(429, 'busy'), ok]);
    const {api, retries} = client();
    const body = await api.get('items').json<{value: number}>();
    expect(body.value).toBe(42);
    expect(calls.requests()).toBe(3);
    expect(retries.map((event) => [event.attempt, event.verdict.code])).toEqual([
      [1, 'busy'],
      [2, 'busy'],
    ]);
  });

  test('retries a 429 on a POST when the code says the request was not processed', async () => {
    const calls = sequence('post', '/jobs', [acmeError(429, 'busy'), ok]);
    const {api} = client();
    await expect(api.post('jobs', {json: {}}).json()).resolves.toEqual({ok: true, value: 42});
    expect(calls.requests()).toBe(2);
  });

  test('does not resend a POST after a 500 whose outcome is unknown', async () => {
    const calls = sequence('post', '/jobs', [() => new HttpResponse('oops', {status: 500}), ok]);
    const {api, giveUps} = client();
    const error = await api.post('jobs', {json: {}}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({attempts: 1, status: 500, category: 'server', code: undefined});
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('not-idempotent');
  });

  test('resends a POST the caller marked idempotent', async () => {
    const calls = sequence('post', '/query', [acmeError(503, 'flaky'), ok]);
    const {api} = client();
    await api.post('query', {json: {}, context: {idempotent: true}}).json();
    expect(calls.requests()).toBe(2);
  });

  test('retries a transient GET and gives up with the typed error of the last verdict', async () => {
    const calls = sequence('get', '/items', [acmeError(503, 'flaky')]);
    const {api, giveUps} = client();
    const error = await api.get('items').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      attempts: 4,
      code: 'flaky',
      category: 'transient',
      status: 503,
      vendor: 'acme',
    });
    expect(calls.requests()).toBe(4);
    expect(giveUps).toHaveLength(1);
    expect(giveUps[0]).toMatchObject({reason: 'exhausted', attempt: 4});
  });

  test('fails fast on a validation code without resending', async () => {
    const calls = sequence('get', '/items', [acmeError(400, 'bad_input'), ok]);
    const {api} = client();
    const error = await api.get('items').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'bad_input',
      attempts: 1,
      message: expect.stringContaining('bad_input'),
    });
    expect(calls.requests()).toBe(1);
  });

  test('the code wins over the status: a 500 that says the input is wrong is not retried', async () => {
    const calls = sequence('get', '/items', [acmeError(500, 'bad_input'), ok]);
    const {api} = client();
    await expect(api.get('items')).rejects.toBeInstanceOf(ValidationError);
    expect(calls.requests()).toBe(1);
  });

  test('throws an error hidden in a 200 body', async () => {
    sequence('get', '/items', [
      () => HttpResponse.json({ok: false, code: 'bad_key', message: 'key revoked'}),
    ]);
    const {api} = client();
    const error = await api.get('items').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({status: 200, code: 'bad_key', envelope: {ok: false, code: 'bad_key'}});
  });

  test('retries an error hidden in a 200 body when the code allows it', async () => {
    const calls = sequence('get', '/items', [() => HttpResponse.json({ok: false, code: 'flaky'}), ok]);
    const {api} = client();
    await expect(api.get('items').json()).resolves.toMatchObject({value: 42});
    expect(calls.requests()).toBe(2);
  });

  test('a poll verdict on a plain request throws NotReadyError with the hint', async () => {
    sequence('get', '/report', [
      () =>
        HttpResponse.json({error: {code: 'warming', message: 'warming up, try again in 10s'}}, {status: 202}),
    ]);
    const {api} = client();
    const error = await api.get('report').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(NotReadyError);
    expect(error).toMatchObject({delayMs: 10_000, code: 'warming'});
    expect((error as NotReadyError).retryAt).toBeInstanceOf(Date);
  });

  test('follows a stated Retry-After exactly, shorter than the documented wait', async () => {
    sequence('get', '/items', [acmeError(429, 'busy', {'retry-after': '0.05'}), ok]);
    const {api, retries} = client();
    await api.get('items');
    expect(retries[0]?.verdict.statedDelayMs).toBe(50);
    expect(retries[0]?.delayMs).toBe(50);
  });

  test('a stated wait longer than maxWaitMs fails at once with its retryAt', async () => {
    const calls = sequence('get', '/items', [acmeError(429, 'busy', {'retry-after': '2'}), ok]);
    const {api, retries, giveUps} = client({maxWaitMs: 50});
    const started = Date.now();
    const error = await api.get('items').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(((error as RateLimitError).retryAt?.getTime() ?? 0) - started).toBeGreaterThanOrEqual(1900);
    expect(retries).toHaveLength(0);
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('wait-too-long');
  });

  test('honours Retry-After as an HTTP date', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    sequence('get', '/items', [acmeError(429, 'busy', {'retry-after': date}), ok]);
    const {api} = client({maxWaitMs: 20});
    const error = await api.get('items').catch((error_: unknown) => error_);
    expect((error as RateLimitError).statedDelayMs).toBeGreaterThan(25_000);
    expect((error as RateLimitError).statedDelayMs).toBeLessThanOrEqual(30_000);
  });

  test('fails at once with retryAt when the wait cannot fit the deadline', async () => {
    const calls = sequence('get', '/items', [acmeError(429, 'busy', {'retry-after': '30'}), ok]);
    const {api, giveUps} = client({totalTimeoutMs: 5_000});
    // On fake time, so "at once" is measured on a clock that a busy machine cannot slow down.
    vi.useFakeTimers();
    const started = Date.now();
    const {error} = await settleWithFakeTime(api.get('items'), 100, 50).finally(() => vi.useRealTimers());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(RateLimitError);
    const retryAt = (error as RateLimitError).retryAt?.getTime() ?? 0;
    expect(retryAt - started).toBeGreaterThanOrEqual(29_000);
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('deadline');
  });

  test('classifies plain-text bodies by message', async () => {
    const calls = sequence('get', '/items', [
      () =>
        new HttpResponse('Servers are busy, come back', {
          status: 503,
          headers: {'content-type': 'text/plain'},
        }),
      ok,
    ]);
    const {api, retries} = client();
    await api.get('items');
    expect(retries[0]?.verdict.code).toBe('slow_text');
    expect(calls.requests()).toBe(2);
  });

  test('reads the code from a header when the body is empty (HEAD)', async () => {
    sequence('get', '/items', [
      () => new HttpResponse(null, {status: 400, headers: {'x-acme-code': 'bad_input'}}),
    ]);
    const {api} = client();
    await expect(api.get('items')).rejects.toMatchObject({code: 'bad_input', category: 'validation'});
  });

  test('an HTML page from a gateway is classified by status', async () => {
    const calls = sequence('get', '/items', [
      () =>
        new HttpResponse('<html><body>502 Bad Gateway</body></html>', {
          status: 502,
          headers: {'content-type': 'text/html'},
        }),
      ok,
    ]);
    const {api, retries} = client();
    await api.get('items');
    expect(retries[0]?.verdict).toMatchObject({category: 'transient', status: 502, message: 'Bad Gateway'});
    expect(calls.requests()).toBe(2);
  });

  test('does not read successful bodies the vendor cannot hide an error in', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          if (pulled > 100) controller.close();
          else controller.enqueue(new Uint8Array(1024));
        },
      },
      {highWaterMark: 0},
    );
    const fetch = async () => new Response(stream, {headers: {'content-type': 'application/octet-stream'}});
    const api = ky.create({prefix: ACME, fetch, ...withVendor(acme)});
    const response = await api.get('download');
    const pulledBeforeCaller = pulled;
    const bytes = await response.arrayBuffer();
    expect(bytes.byteLength).toBe(100 * 1024);
    // At most the one chunk a stream prefetches: the hook itself read nothing.
    expect(pulledBeforeCaller).toBeLessThanOrEqual(1);
  });

  test('retries network errors on GET, not on POST', async () => {
    let gets = 0;
    let posts = 0;
    server.use(
      http.get(`${ACME}/items`, () => {
        gets++;
        return gets === 1 ? HttpResponse.error() : ok();
      }),
      http.post(`${ACME}/items`, () => {
        posts++;
        return HttpResponse.error();
      }),
    );
    const {api, retries, giveUps} = client();
    await expect(api.get('items').json()).resolves.toMatchObject({value: 42});
    expect(gets).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({category: 'transient', status: 0});
    await expect(api.post('items')).rejects.toBeInstanceOf(NetworkError);
    expect(posts).toBe(1);
    expect(giveUps.at(-1)?.reason).toBe('network');
  });

  test('waits the full-jitter backoff before resending after a network error', async () => {
    let gets = 0;
    server.use(
      http.get(`${ACME}/items`, () => {
        gets++;
        return gets === 1 ? HttpResponse.error() : ok();
      }),
    );
    const {api, retries} = client({baseDelayMs: 40, maxDelayMs: 1000});
    const started = Date.now();
    await expect(api.get('items').json()).resolves.toMatchObject({value: 42});
    expect(gets).toBe(2);
    // random() = 0.5 over the first ceiling of 40 ms.
    expect(retries.map((event) => [event.attempt, event.delayMs])).toEqual([[1, 20]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
  });

  test('resends a POST the caller marked idempotent after a network error', async () => {
    let posts = 0;
    server.use(
      http.post(`${ACME}/search`, () => {
        posts++;
        return posts === 1 ? HttpResponse.error() : ok();
      }),
    );
    const {api} = client();
    await expect(api.post('search', {context: {idempotent: true}}).json()).resolves.toMatchObject({
      value: 42,
    });
    expect(posts).toBe(2);
  });

  test('passes a 2xx the vendor does not inspect through without cloning it', async () => {
    const response = new Response('payload', {headers: {'content-type': 'text/plain'}});
    const api = ky.create({prefix: ACME, fetch: async () => response, ...withVendor(acme)});
    const clone = vi.spyOn(Response.prototype, 'clone');
    try {
      const received = await api.get('download');
      expect(received).toBe(response);
      expect(clone).not.toHaveBeenCalled();
      expect(await received.text()).toBe('payload');
    } finally {
      clone.mockRestore();
    }
  });

  test('a timeout is retried for GET', async () => {
    let calls = 0;
    server.use(
      http.get(`${ACME}/slow`, async ({request}) => {
        calls++;
        if (calls === 1 || request.headers.has('x-always-slow'))
          await new Promise((resolve) => setTimeout(resolve, 200));
        return ok();
      }),
    );
    const {api} = client();
    // On fake time the 200 ms answer always outlasts the 50 ms timeout and the fast answer never
    // does; on a real clock a busy machine could time out the fast one too.
    vi.useFakeTimers();
    try {
      const retried = await settleWithFakeTime(api.get('slow', {timeout: 50}).json(), 10, 100);
      expect(retried.value).toMatchObject({value: 42});
      expect(calls).toBe(2);
      const {error} = await settleWithFakeTime(
        ky
          .create({prefix: ACME, ...withVendor(acme, {retryLimit: 0})})
          .get('slow', {timeout: 20, headers: {'x-always-slow': '1'}}),
        10,
        100,
      );
      expect(isTimeoutError(error)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test('narrows the code to the vendor union', async () => {
    sequence('get', '/items', [acmeError(401, 'bad_key')]);
    const {api} = client();
    const error = await api.get('items').catch((error_: unknown) => error_);
    expect(isVendorError(error, acme)).toBe(true);
    if (isVendorError(error, acme)) {
      expectTypeOf(error.code).toEqualTypeOf<
        | 'busy'
        | 'flaky'
        | 'bad_input'
        | 'bad_key'
        | 'broken'
        | 'warming'
        | 'slow_text'
        | (string & {})
        | (number & {})
        | undefined
      >();
      expect(error.code).toBe('bad_key');
    }
    expect(isVendorError(new Error('x'))).toBe(false);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as Error).name).toBe('AuthError');
  });

  test('keeps request and response off the enumerable surface', async () => {
    sequence('get', '/items', [acmeError(401, 'bad_key')]);
    const {api} = client();
    const error = (await api
      .get('items', {headers: {authorization: 'Bearer s3cr3t-token-value'}})
      .catch((error_: unknown) => error_)) as VendorError;
    expect(error.request?.headers.get('authorization')).toBe('Bearer s3cr3t-token-value');
    expect(Object.keys(error)).not.toContain('request');
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
    expect(String(error)).not.toContain('s3cr3t');
  });
});
