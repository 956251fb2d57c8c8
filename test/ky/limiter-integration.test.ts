import ky from 'ky';
import {delay, HttpResponse, http} from 'msw';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
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
import {settlesBeforeTimer} from '../helpers/settles-before-timer.ts';

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
    // Queued for a second at 1/s: the abort, not the queue, must end it, at once.
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(reason);
    expect(await settlesBeforeTimer(waiting, 100)).toBe(true);
    await expect(waiting).rejects.toBe(reason);
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

/**
 * A vendor that enforces a token bucket (`ratePerSecond`, bursts of `burst`) on fake time, and
 * answers each request after `latencyMs`. Fake time makes the outcome a function of the limiter
 * alone: on a real clock a busy machine sends slower and is throttled less, whatever the limiter.
 */
const rateLimitedVendor = (base: string, ratePerSecond: number, burst: number, latencyMs = 5) => {
  let tokens = burst;
  let refilledAt = Date.now();
  const counts = {accepted: 0, throttled: 0};
  server.use(
    http.put(`${base}/*`, async () => {
      const now = Date.now();
      tokens = Math.min(burst, tokens + ((now - refilledAt) * ratePerSecond) / 1000);
      refilledAt = now;
      const accepted = tokens >= 1;
      if (accepted) {
        tokens -= 1;
        counts.accepted++;
      } else {
        counts.throttled++;
      }
      await delay(latencyMs);
      return accepted ? HttpResponse.json({}) : tooMany();
    }),
  );
  return counts;
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

/** Runs `promise` on fake time, timer by timer; bounded in steps and in fake time. */
const onFakeTime = async <T>(promise: Promise<T>, limitMs = 120_000): Promise<T> => {
  let outcome: {value: T} | {error: unknown} | undefined;
  promise.then(
    (value) => {
      outcome = {value};
    },
    (error: unknown) => {
      outcome = {error};
    },
  );
  const startedAt = Date.now();
  for (let step = 0; outcome === undefined && step < 200_000 && Date.now() - startedAt < limitMs; step++) {
    await vi.advanceTimersToNextTimerAsync();
  }
  if (outcome === undefined) throw new Error(`still pending after ${Date.now() - startedAt} ms of fake time`);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
};

describe('convergence against a rate-limited vendor', () => {
  beforeEach(() => {
    vi.useFakeTimers({now: 1_000_000});
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // About 1,700 requests, each a few fake-time steps: seconds of work on an idle machine, so the
  // timeout leaves room for a loaded one (the outcome does not depend on how long it takes).
  test('keeps throttles rare and finishes the batch, where the same batch without it is throttled far more', {
    timeout: 120_000,
  }, async () => {
    const share = (counts: {accepted: number; throttled: number}) =>
      counts.throttled / (counts.accepted + counts.throttled);

    const limited = rateLimitedVendor('https://limited.test', 200, 10);
    const withLimiter = ky.create({
      prefix: 'https://limited.test',
      ...withVendor(sim, {limiter: true, random: () => 0.5}),
    });
    expect(await onFakeTime(uploadAll(withLimiter, 300, 20))).toBe(300);
    const limitedShare = share(limited);

    const unlimited = rateLimitedVendor('https://unlimited.test', 200, 10);
    const without = ky.create({
      prefix: 'https://unlimited.test',
      ...withVendor(sim, {limiter: false, random: () => 0.5}),
    });
    expect(await onFakeTime(uploadAll(without, 300, 20))).toBe(300);
    const unlimitedShare = share(unlimited);

    expect(limited.accepted).toBe(300);
    expect(limitedShare).toBeLessThan(0.3);
    expect(unlimitedShare).toBeGreaterThan(limitedShare);
  });
});

describe('throttles the limiter paces do not spend the retry limit', () => {
  /** 12 throttles, then a success; `retryLimit: 5` allows 5 resends of the call's own. */
  const throttledTwelveTimes = () => {
    let count = 0;
    server.use(http.put(`${SIM}/file`, () => (count++ < 12 ? tooMany() : HttpResponse.json({}))));
    return () => count;
  };

  test('a request waits out the throttles met while the limiter learns the rate', async () => {
    const requests = throttledTwelveTimes();
    const api = ky.create({prefix: SIM, ...withVendor(sim, {retryLimit: 5})});
    await expect(api.put('file').json()).resolves.toEqual({});
    // The first four throttles come before the limiter judges the key; they count. The rest were
    // paced by the limiter, which is learning, not the request failing.
    expect(requests()).toBe(13);
  });

  test('without a limiter every throttle counts: the sixth ends the call', async () => {
    const requests = throttledTwelveTimes();
    const api = ky.create({prefix: SIM, ...withVendor(sim, {retryLimit: 5, limiter: false})});
    await expect(api.put('file')).rejects.toBeInstanceOf(RateLimitError);
    expect(requests()).toBe(6);
  });

  test('paced throttles are free ten times, not forever', async () => {
    let count = 0;
    server.use(
      http.put(`${SIM}/file`, () => {
        count++;
        return tooMany();
      }),
    );
    const api = ky.create({prefix: SIM, ...withVendor(sim, {retryLimit: 4})});
    await expect(api.put('file')).rejects.toBeInstanceOf(RateLimitError);
    // 1 + 4 resends of its own + 10 free paced throttles.
    expect(count).toBe(15);
  });
});
