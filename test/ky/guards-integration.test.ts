import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, test} from 'vitest';
import {
  brightdata,
  CircuitOpenError,
  createCircuitBreaker,
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
