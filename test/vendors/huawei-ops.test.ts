import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {AuthError, NotReadyError, ServerError, withVendor} from '../../src/index.ts';
import type {PollEvent} from '../../src/poll/poll.ts';
import {createHuaweiSimulator, HUAWEI_OCTOPUS_URL} from '../../src/testing/huawei/index.ts';
import {huaweiHandlers} from '../../src/testing/msw.ts';
import {huaweiAuth, huaweiCloud, waitWhileBusy} from '../../src/vendors/huawei/index.ts';
import {server} from '../helpers/server.ts';
import {settleWithFakeTime} from '../helpers/settle-with-fake-time.ts';

const PROJECT = 'p0123456789';
const BASE = `${HUAWEI_OCTOPUS_URL}/v2/${PROJECT}/`;
const JOBS = `${BASE}sim/pm/batches`;
const OLD_TOKEN = 'MIIold-token-aaaaaaaaaaaaaaaa';
const NEW_TOKEN = 'MIInew-token-bbbbbbbbbbbbbbbb';

const client = (auth: Parameters<typeof huaweiAuth>[0], retryLimit?: number) =>
  ky.create({
    prefix: BASE,
    ...withVendor(huaweiCloud, {
      auth: huaweiAuth(auth),
      random: () => 0.5,
      ...(retryLimit === undefined ? {} : {retryLimit}),
    }),
  });

/** A getToken that hands out the given tokens in order and counts its calls. */
const tokens = (...list: string[]) => {
  let calls = 0;
  const getToken = async () => list[Math.min(calls++, list.length - 1)] ?? '';
  return {getToken, calls: () => calls};
};

/** Records every request's token and answers from `answer`. */
const record = (answer: (token: string | null, index: number) => Response) => {
  const seen: (string | null)[] = [];
  server.use(
    http.all(`${BASE}*`, ({request}) => {
      const token = request.headers.get('x-auth-token');
      seen.push(token);
      return answer(token, seen.length - 1);
    }),
  );
  return seen;
};

const gatewayError = (status: number, code: string, message: string) =>
  HttpResponse.json(
    {error_code: code, error_msg: message, request_id: 'c50619de20b0e70590f57a99dbed044f'},
    {status},
  );

const expired = () => gatewayError(401, 'APIGW.0307', 'The token must be updated.');
const ok = () => HttpResponse.json({id: 901, status: 3});

describe('huaweiAuth', () => {
  test.each([
    ['APIGW.0307', () => expired()],
    ['APIG.0307', () => gatewayError(401, 'APIG.0307', 'The token must be updated.')],
    [
      'octopus.000102',
      () =>
        HttpResponse.json(
          {error_code: 'octopus.000102', error_msg: 'The request token expires'},
          {status: 401},
        ),
    ],
  ])('%s: gets a new token once and resends the POST once with it', async (_code, first) => {
    const source = tokens(OLD_TOKEN, NEW_TOKEN);
    const seen = record((token) => (token === OLD_TOKEN ? first() : ok()));
    const body = await client({getToken: source.getToken})
      .post('sim/pm/batches', {json: {name: 't', batch_config: 'c1'}})
      .json();
    expect(body).toEqual({id: 901, status: 3});
    expect(seen).toEqual([OLD_TOKEN, NEW_TOKEN]);
    expect(source.calls()).toBe(2);
  });

  test('the resent POST carries the same body as the first', async () => {
    const source = tokens(OLD_TOKEN, NEW_TOKEN);
    const bodies: string[] = [];
    server.use(
      http.post(`${BASE}sim/pm/batches`, async ({request}) => {
        bodies.push(await request.text());
        return request.headers.get('x-auth-token') === OLD_TOKEN ? expired() : ok();
      }),
    );
    await client({getToken: source.getToken})
      .post('sim/pm/batches', {json: {name: 't', batch_config: 'c1'}})
      .json();
    expect(bodies).toEqual(['{"name":"t","batch_config":"c1"}', '{"name":"t","batch_config":"c1"}']);
  });

  test('caches the token across requests', async () => {
    const source = tokens(OLD_TOKEN, NEW_TOKEN);
    const seen = record(() => ok());
    const api = client({getToken: source.getToken});
    await api.get('sim/pm/batches/901').json();
    await api.get('sim/pm/batches/901').json();
    expect(seen).toEqual([OLD_TOKEN, OLD_TOKEN]);
    expect(source.calls()).toBe(1);
  });

  test('a second expiry fails with AuthError after exactly two requests', async () => {
    const source = tokens(OLD_TOKEN, NEW_TOKEN, 'MIIthird-token-cccccccccccc');
    const seen = record(() => expired());
    const error = await client({getToken: source.getToken})
      .get('sim/pm/batches/901')
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({code: 'APIGW.0307', status: 401, category: 'auth'});
    expect(seen).toEqual([OLD_TOKEN, NEW_TOKEN]);
    expect(source.calls()).toBe(2);
  });

  test('APIGW.0301 is never retried: one request, no new token', async () => {
    const source = tokens(OLD_TOKEN, NEW_TOKEN);
    const seen = record(() =>
      gatewayError(401, 'APIG.0301', 'Incorrect IAM authentication information: decrypt token fail'),
    );
    const error = await client({getToken: source.getToken})
      .get('sim/pm/batches/901')
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({code: 'APIGW.0301', attempts: 1});
    expect(seen).toHaveLength(1);
    expect(source.calls()).toBe(1);
  });

  test('a fixed token is not refreshed', async () => {
    const seen = record(() => expired());
    const error = await client({token: OLD_TOKEN})
      .get('sim/pm/batches/901')
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(seen).toEqual([OLD_TOKEN]);
  });

  test('without retries left the refresh cannot be sent and the expiry surfaces as AuthError', async () => {
    const source = tokens(OLD_TOKEN, NEW_TOKEN);
    const seen = record(() => expired());
    const error = await client({getToken: source.getToken}, 0)
      .get('sim/pm/batches/901')
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({code: 'APIGW.0307'});
    expect(seen).toHaveLength(1);
  });

  test('concurrent requests that find the token expired share one getToken call', async () => {
    let calls = 0;
    const waiting: (() => void)[] = [];
    const getToken = async () => {
      calls++;
      if (calls === 1) return OLD_TOKEN;
      // Held until all three requests have seen the expiry, so their refreshes overlap.
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
      });
      return NEW_TOKEN;
    };
    let expiredAnswers = 0;
    const seen = record((token) => {
      if (token !== OLD_TOKEN) return ok();
      expiredAnswers++;
      if (expiredAnswers === 3) {
        setTimeout(() => {
          for (const resolve of waiting) resolve();
        }, 10);
      }
      return expired();
    });
    const api = client({getToken});
    const results = await Promise.all([1, 2, 3].map((id) => api.get(`sim/pm/batches/90${id}`).json()));
    expect(results).toHaveLength(3);
    expect(calls).toBe(2);
    expect(seen.filter((token) => token === OLD_TOKEN)).toHaveLength(3);
    expect(seen.filter((token) => token === NEW_TOKEN)).toHaveLength(3);
  });

  test('a token echoed by the server never reaches the error message or its JSON', async () => {
    const source = tokens(OLD_TOKEN);
    record((token) =>
      gatewayError(401, 'APIGW.0301', `Incorrect IAM authentication information: bad token ${token}`),
    );
    const error = await client({getToken: source.getToken})
      .get('sim/pm/batches/901')
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('bad token [REDACTED]');
    expect(String(error)).not.toContain(OLD_TOKEN);
    expect(JSON.stringify(error)).not.toContain(OLD_TOKEN);
  });

  test('a getToken that yields no token is a TypeError', async () => {
    record(() => ok());
    const error = await client({getToken: async () => ''})
      .get('sim/pm/batches/901')
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('waitWhileBusy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const settle = settleWithFakeTime;

  const busySim = () => {
    vi.useFakeTimers();
    const sim = createHuaweiSimulator({jobDurationMs: 12_000});
    server.use(...huaweiHandlers(sim));
    const api = client({getToken: async () => sim.issueToken()});
    return {sim, api};
  };

  test('waits out octopus.107005 (a scenario job is running) and then starts the job', async () => {
    const {sim, api} = busySim();
    sim.startJob('c1');
    const events: PollEvent[] = [];
    const outcome = await settle(
      waitWhileBusy(
        ({signal}) =>
          api
            .post('sim/pm/batches', {json: {name: 't', batch_config: 'c1'}, ...(signal ? {signal} : {})})
            .json<{id: number; status: number}>(),
        {onPoll: (event) => events.push(event)},
      ),
    );
    expect(outcome.value).toMatchObject({status: 3, id: expect.any(Number)});
    expect(sim.counters.busy).toBe(2);
    expect(sim.counters.byRoute.createBatch).toBe(3);
    expect(events.map(({status, delayMs}) => [status, delayMs])).toEqual([
      ['octopus.107005', 5000],
      ['octopus.107005', 7500],
    ]);
  });

  test('ends with NotReadyError carrying the busy code when the deadline passes', async () => {
    const {sim, api} = busySim();
    sim.startJob('c1');
    const {error} = await settle(
      waitWhileBusy(() => api.post('sim/pm/batches', {json: {name: 't', batch_config: 'c1'}}).json(), {
        timeoutMs: 8000,
      }),
    );
    expect(error).toBeInstanceOf(NotReadyError);
    expect(error).toMatchObject({code: 'octopus.107005', vendor: 'huawei'});
    expect(sim.counters.byRoute.createBatch).toBe(2);
  });

  test('any other error ends the wait at once: a POST whose outcome is unknown is not sent again', async () => {
    vi.useFakeTimers();
    let count = 0;
    server.use(
      http.post(JOBS, () => {
        count++;
        return HttpResponse.json({error_code: 'octopus.400102', error_msg: 'Bad gateway'}, {status: 502});
      }),
    );
    const api = client({token: OLD_TOKEN});
    const {error} = await settle(waitWhileBusy(() => api.post('sim/pm/batches', {json: {}}).json()));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({code: 'octopus.400102'});
    expect(count).toBe(1);
  });

  test('an abort rejects with its reason and leaves no timer behind', async () => {
    const {sim, api} = busySim();
    sim.startJob('c1');
    const controller = new AbortController();
    const result = waitWhileBusy(
      () => api.post('sim/pm/batches', {json: {name: 't', batch_config: 'c1'}}).json(),
      {
        signal: controller.signal,
      },
    ).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sim.counters.busy).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(result).resolves.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});
