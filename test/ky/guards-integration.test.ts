import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, test, vi} from 'vitest';
import {
  brightdata,
  CircuitOpenError,
  createCircuitBreaker,
  createLimiter,
  createRetryBudget,
  type GiveUpEvent,
  ServerError,
  withVendor,
} from '../../src/index.ts';
import {ACME, acme} from '../helpers/acme.ts';
import {server} from '../helpers/server.ts';

const always = (status: number, body: Record<string, unknown>, count: {n: number}) =>
  http.get(`${ACME}/items`, () => {
    count.n++;
    return HttpResponse.json(body, {status});
  });

describe('retry budget', () => {
  test('an outage stops retrying when the key runs dry; successes refill it', async () => {
    const count = {n: 0};
    server.use(always(503, {error: {code: 'flaky'}}, count));
    const giveUps: GiveUpEvent[] = [];
    const budget = createRetryBudget({capacity: 10, retryCost: 5});
    const api = ky.create({
      prefix: ACME,
      ...withVendor(acme, {
        limiter: false,
        retryBudget: budget,
        maxWaitMs: 1,
        onGiveUp: (event) => giveUps.push(event),
      }),
    });
    await expect(api.get('items')).rejects.toBeInstanceOf(ServerError);
    // Two retries afforded (10 tokens / 5), then the budget refuses the third.
    expect(count.n).toBe(3);
    expect(giveUps[0]?.reason).toBe('budget');
    await expect(api.get('items')).rejects.toMatchObject({attempts: 1});
    expect(count.n).toBe(4);
    server.use(http.get(`${ACME}/items`, () => HttpResponse.json({ok: true})));
    for (let i = 0; i < 5; i++) await api.get('items');
    expect(budget.available('acme:api.acme.test')).toBe(5);
  });

  test('throttles do not spend the budget', async () => {
    let calls = 0;
    server.use(
      http.get(`${ACME}/items`, () => {
        calls++;
        return calls <= 3
          ? HttpResponse.json({error: {code: 'busy'}}, {status: 429})
          : HttpResponse.json({ok: true});
      }),
    );
    const budget = createRetryBudget({capacity: 5, retryCost: 5});
    const api = ky.create({
      prefix: ACME,
      ...withVendor(acme, {limiter: false, retryBudget: budget, maxWaitMs: 1}),
    });
    await expect(api.get('items').json()).resolves.toEqual({ok: true});
    expect(calls).toBe(4);
  });
});

describe('circuit breaker', () => {
  test('opens after consecutive transient failures and refuses without touching the network', async () => {
    const count = {n: 0};
    server.use(always(503, {error: {code: 'flaky'}}, count));
    let now = 1_000_000;
    const breaker = createCircuitBreaker({failureThreshold: 3, openMs: 30_000, now: () => now});
    const giveUps: GiveUpEvent[] = [];
    const api = ky.create({
      prefix: ACME,
      ...withVendor(acme, {
        limiter: false,
        circuitBreaker: breaker,
        retryLimit: 1,
        maxWaitMs: 1,
        retryBudget: false,
        onGiveUp: (event) => giveUps.push(event),
      }),
    });
    await expect(api.get('items')).rejects.toBeInstanceOf(ServerError);
    // The third failure opens the circuit, so this call's own retry is refused before it is sent.
    await expect(api.get('items')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(count.n).toBe(3);
    const refused = await api.get('items').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({status: 0, category: 'transient', vendor: 'acme'});
    expect((refused as CircuitOpenError).retryAt?.getTime()).toBe(1_000_000 + 30_000);
    expect(count.n).toBe(3);
    expect(giveUps.at(-1)?.reason).toBe('circuit-open');
    now += 30_000;
    server.use(http.get(`${ACME}/items`, () => HttpResponse.json({ok: true})));
    await expect(api.get('items').json()).resolves.toEqual({ok: true});
    expect(breaker.state('acme:api.acme.test')).toBe('closed');
  });

  test('a half-open probe stopped before it is sent (the limiter, the caller) gives its place back', async () => {
    const count = {n: 0};
    server.use(always(503, {error: {code: 'flaky'}}, count));
    let now = 1_000_000;
    const breaker = createCircuitBreaker({failureThreshold: 1, openMs: 30_000, now: () => now});
    // Paced from the first request at one per minute: the second request waits for its turn.
    const limiter = createLimiter({openUntilThrottled: false, initialRatePerSecond: 1 / 60});
    const api = ky.create({
      prefix: ACME,
      ...withVendor(acme, {limiter, circuitBreaker: breaker, retryLimit: 0, retryBudget: false}),
    });
    await expect(api.get('items')).rejects.toBeInstanceOf(ServerError);
    expect(breaker.state('acme:api.acme.test')).toBe('open');
    now += 30_000;
    // The probe is permitted, then waits for the limiter; the caller gives up first.
    const controller = new AbortController();
    const probe = api.get('items', {signal: controller.signal}).catch((error: unknown) => error);
    await vi.waitFor(async () => expect((await limiter.inspect('acme:api.acme.test')).queued).toBe(1));
    controller.abort(new Error('caller gave up'));
    expect(await probe).toMatchObject({message: 'caller gave up'});
    expect(count.n).toBe(1);
    // The slot is free: the next request may probe.
    expect(breaker.permit('acme:api.acme.test')).toEqual({allowed: true});
  });
});

describe('BrightData throttle guard', () => {
  test('stops sending after 10 throttles in 5 minutes and says why', async () => {
    let triggers = 0;
    server.use(
      http.post('https://api.brightdata.com/datasets/v3/trigger', () => {
        triggers++;
        return new HttpResponse(
          'You have too many running jobs for this dataset. Please wait until some of them finish. Running jobs: 5000>=5000',
          {status: 429, headers: {'content-type': 'text/plain'}},
        );
      }),
    );
    const api = ky.create({
      prefix: 'https://api.brightdata.com',
      ...withVendor(brightdata, {limiter: false, retryLimit: 3, maxWaitMs: 1}),
    });
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      errors.push(
        await api.post('datasets/v3/trigger?dataset_id=gd_1', {json: []}).catch((error: unknown) => error),
      );
    }
    expect(triggers).toBe(10);
    const refused = errors.at(-1);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as Error).message).toContain('25 429 responses in 5 minutes');
    expect(refused).toMatchObject({category: 'rate_limited'});
  });
});
