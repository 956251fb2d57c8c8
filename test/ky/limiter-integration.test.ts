import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import ky from 'ky';
import {delay, HttpResponse, http, passthrough} from 'msw';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {z} from 'zod';
import {
  defineVendor,
  envelope,
  RateLimitError,
  rateLimitHint,
  throttled,
  withVendor,
} from '../../src/index.ts';
import {createLimiter, type Limiter} from '../../src/policy/limiter/create-limiter.ts';
import {server} from '../helpers/server.ts';

/** A small UPYUN-like vendor: `{msg, code}` bodies, 42900001 is a throttle. */
const sim = defineVendor({
  name: 'sim',
  envelopes: [
    envelope(z.object({msg: z.string(), code: z.number()}), (body) => ({code: body.code, message: body.msg})),
  ],
  codes: {
    42900001: {status: 429, message: 'too many requests', ...throttled},
    40400001: {status: 404, message: 'file not found', category: 'not_found', action: 'fail'},
  },
  backoff: {baseDelayMs: 10, maxDelayMs: 100},
  retryLimit: 50,
});

const SIM = 'https://sim.test';
const tooMany = () => HttpResponse.json({msg: 'too many requests', code: 42900001}, {status: 429});

/** A limiter that records what the adapter tells it, on top of a real one. */
const spyLimiter = (
  limiter: Limiter = createLimiter({initialRatePerSecond: 1000, openUntilThrottled: false}),
) => {
  const events: string[] = [];
  const spy: Limiter = {
    ...limiter,
    acquire: async (key, signal) => {
      events.push(`acquire ${key}`);
      return await limiter.acquire(key, signal);
    },
    onSuccess: async (key, feedback) => {
      events.push(`success ${key}`);
      await limiter.onSuccess(key, feedback);
    },
    onThrottle: async (key, feedback) => {
      events.push(`throttle ${key} ${JSON.stringify({...feedback, sentAt: typeof feedback?.sentAt})}`);
      await limiter.onThrottle(key, feedback);
    },
  };
  return {limiter: spy, events};
};

describe('withVendor({limiter})', () => {
  test('passes every attempt through the limiter and reports each verdict under vendor:host', async () => {
    let count = 0;
    server.use(http.put(`${SIM}/file`, () => (count++ < 2 ? tooMany() : HttpResponse.json({}))));
    const {limiter, events} = spyLimiter();
    const api = ky.create({prefix: SIM, ...withVendor(sim, {limiter})});
    await api.put('file', {body: 'x'});
    expect(events).toEqual([
      'acquire sim:sim.test',
      'throttle sim:sim.test {"sentAt":"number"}',
      'acquire sim:sim.test',
      'throttle sim:sim.test {"sentAt":"number"}',
      'acquire sim:sim.test',
      'success sim:sim.test',
    ]);
  });

  test('counts a failure that is not a throttle as accepted by the rate', async () => {
    server.use(
      http.get(`${SIM}/missing`, () =>
        HttpResponse.json({msg: 'file not found', code: 40400001}, {status: 404}),
      ),
    );
    const {limiter, events} = spyLimiter();
    const api = ky.create({prefix: SIM, ...withVendor(sim, {limiter})});
    await expect(api.get('missing')).rejects.toMatchObject({category: 'not_found'});
    expect(events).toEqual(['acquire sim:sim.test', 'success sim:sim.test']);
  });

  test('wraps the fetch the caller gave, retries included', async () => {
    let count = 0;
    server.use(http.get(`${SIM}/item`, () => (count++ === 0 ? tooMany() : HttpResponse.json({ok: 1}))));
    const seen: string[] = [];
    const api = ky.create({
      prefix: SIM,
      ...withVendor(sim, {
        limiter: true,
        fetch: async (input, init) => {
          seen.push(input instanceof Request ? input.method : 'unknown');
          return await fetch(input, init);
        },
      }),
    });
    await expect(api.get('item').json()).resolves.toEqual({ok: 1});
    expect(seen).toEqual(['GET', 'GET']);
  });

  test('uses the fetch the caller gave without a limiter too', async () => {
    let calls = 0;
    const api = ky.create({
      prefix: SIM,
      ...withVendor(sim, {
        fetch: async () => {
          calls++;
          return Response.json({ok: 2});
        },
      }),
    });
    await expect(api.get('anything').json()).resolves.toEqual({ok: 2});
    expect(calls).toBe(1);
  });

  test('uses the key the limiter was given', async () => {
    server.use(http.get(`${SIM}/bucket-a/file`, () => HttpResponse.json({})));
    const {limiter, events} = spyLimiter(
      createLimiter({
        key: (request) => `sim:${new URL(request.url).pathname.split('/')[1]}`,
        openUntilThrottled: false,
      }),
    );
    const api = ky.create({prefix: SIM, ...withVendor(sim, {limiter})});
    await api.get('bucket-a/file');
    expect(events).toEqual(['acquire sim:bucket-a', 'success sim:bucket-a']);
  });

  test('resends a throttled request without a backoff of its own, but holds the key for Retry-After', async () => {
    const sentAt: Record<string, number[]> = {};
    let first = true;
    server.use(
      http.get(`${SIM}/:name`, ({params}) => {
        const name = String(params.name);
        sentAt[name] = [...(sentAt[name] ?? []), Date.now()];
        if (first) {
          first = false;
          return HttpResponse.json(
            {msg: 'too many requests', code: 42900001},
            {status: 429, headers: {'retry-after': '0.08'}},
          );
        }
        return HttpResponse.json({});
      }),
    );
    const delays: (number | undefined)[] = [];
    const api = ky.create({
      prefix: SIM,
      ...withVendor(sim, {
        limiter: {initialRatePerSecond: 1000},
        onRetry: (event) => delays.push(event.delayMs),
      }),
    });
    await api.get('a');
    const throttledAt = sentAt.a?.[0] ?? Number.NaN;
    await api.get('b');
    expect(delays).toEqual([80]);
    // The other request waited for the pause too: the whole key was held.
    expect((sentAt.b?.[0] ?? 0) - throttledAt).toBeGreaterThanOrEqual(75);
    expect((sentAt.a?.[1] ?? 0) - throttledAt).toBeGreaterThanOrEqual(75);
  });

  test('drops to the rate a gateway states in its throttle message', async () => {
    const gateway = defineVendor({
      name: 'gateway',
      envelopes: [
        envelope(z.object({error_code: z.string(), error_msg: z.string()}), (body) => ({
          code: body.error_code,
          message: body.error_msg,
        })),
      ],
      codes: {
        'APIGW.0308': {status: 429, message: 'The throttling threshold has been reached', ...throttled},
      },
      rateHints: [rateLimitHint],
    });
    let count = 0;
    server.use(
      http.get(`${SIM}/api`, () =>
        count++ === 0
          ? HttpResponse.json(
              {
                error_code: 'APIGW.0308',
                error_msg:
                  'The throttling threshold has been reached: policy ip over ratelimit,limit:100,time:1 second',
              },
              {status: 429},
            )
          : HttpResponse.json({}),
      ),
    );
    const limiter = createLimiter({initialRatePerSecond: 1000});
    const api = ky.create({prefix: SIM, ...withVendor(gateway, {limiter})});
    await api.get('api');
    expect(await limiter.state('gateway:sim.test')).toMatchObject({
      ratePerSecond: 100,
      ceilingPerSecond: 100,
    });
  });

  test('never has more requests in flight than maxConcurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    server.use(
      http.get(`${SIM}/slow/:id`, async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await delay(5);
        inFlight--;
        return HttpResponse.json({});
      }),
    );
    const api = ky.create({
      prefix: SIM,
      ...withVendor(sim, {
        limiter: {initialRatePerSecond: 10_000, maxConcurrency: 3, openUntilThrottled: false},
      }),
    });
    await Promise.all(Array.from({length: 24}, async (_, id) => await api.get(`slow/${id}`)));
    expect(peak).toBe(3);
  });

  test('rejects a request waiting in the limiter with the caller’s abort reason', async () => {
    server.use(http.get(`${SIM}/queued/:id`, () => HttpResponse.json({})));
    const api = ky.create({
      prefix: SIM,
      ...withVendor(sim, {limiter: {initialRatePerSecond: 1, openUntilThrottled: false}}),
    });
    await api.get('queued/1');
    const controller = new AbortController();
    const waiting = api.get('queued/2', {signal: controller.signal});
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 10);
    const startedAt = Date.now();
    await expect(waiting).rejects.toBe(reason);
    expect(Date.now() - startedAt).toBeLessThan(100);
  });

  test('surfaces the typed error when the throttles outlast the retry limit', async () => {
    server.use(http.get(`${SIM}/always`, tooMany));
    const api = ky.create({
      prefix: SIM,
      ...withVendor(sim, {limiter: {initialRatePerSecond: 1000}, retryLimit: 2}),
    });
    const error = await api.get('always').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({attempts: 3, code: 42900001});
  });
});

/** A loopback vendor that enforces a token bucket: `ratePerSecond`, bursts of `burst`. */
const rateLimitedServer = (ratePerSecond: number, burst: number) => {
  let tokens = burst;
  let refilledAt = performance.now();
  const counts = {accepted: 0, throttled: 0};
  const http = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - refilledAt) * ratePerSecond) / 1000);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        counts.accepted++;
        response.writeHead(200, {'content-type': 'application/json'}).end('{}');
      } else {
        counts.throttled++;
        response
          .writeHead(429, {'content-type': 'application/json'})
          .end(JSON.stringify({msg: 'too many requests', code: 42900001}));
      }
    });
  });
  return {http, counts};
};

/** Sends `total` uploads through `api`, `concurrency` at a time; resolves to how many succeeded. */
const uploadAll = async (api: typeof ky, total: number, concurrency: number): Promise<number> => {
  let next = 0;
  let succeeded = 0;
  await Promise.all(
    Array.from({length: concurrency}, async () => {
      for (let index = next++; index < total; index = next++) {
        const response = await api.put(`bucket/file-${index}`, {body: 'x'.repeat(1000)});
        if (response.ok) succeeded++;
      }
    }),
  );
  return succeeded;
};

describe('convergence against a rate-limited loopback server', () => {
  let base = '';
  let loopback: ReturnType<typeof rateLimitedServer> | undefined;
  const servers: Server[] = [];

  const start = async (ratePerSecond: number, burst: number) => {
    loopback = rateLimitedServer(ratePerSecond, burst);
    servers.push(loopback.http);
    await new Promise<void>((resolve) => loopback?.http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(loopback.http.address() as AddressInfo).port}`;
    server.use(http.all(`${base}/*`, () => passthrough()));
    return loopback.counts;
  };

  beforeAll(() => {
    servers.length = 0;
  });
  afterAll(async () => {
    await Promise.all(
      servers.map(async (each) => {
        each.closeAllConnections();
        await new Promise((resolve) => each.close(resolve));
      }),
    );
  });

  test('keeps throttles rare and finishes the batch, where the same batch without it is throttled far more', async () => {
    const share = (counts: {accepted: number; throttled: number}) =>
      counts.throttled / (counts.accepted + counts.throttled);

    const limited = await start(200, 10);
    const withLimiter = ky.create({prefix: base, ...withVendor(sim, {limiter: true})});
    expect(await uploadAll(withLimiter, 300, 20)).toBe(300);
    const limitedShare = share(limited);

    const unlimited = await start(200, 10);
    const without = ky.create({prefix: base, ...withVendor(sim, {limiter: false})});
    expect(await uploadAll(without, 300, 20)).toBe(300);
    const unlimitedShare = share(unlimited);

    expect(limited.accepted).toBe(300);
    expect(limitedShare).toBeLessThan(0.3);
    expect(unlimitedShare).toBeGreaterThan(limitedShare);
  });
});
