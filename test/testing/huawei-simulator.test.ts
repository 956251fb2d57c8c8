import ky from 'ky';
import {http, passthrough} from 'msw';
import {describe, expect, test} from 'vitest';
import {AuthError, classify, withVendor} from '../../src/index.ts';
import {
  createHuaweiSimulator,
  createTokenBucket,
  describeWindow,
  HUAWEI_BUSY_ANSWERS,
  HUAWEI_IAM_URL,
  HUAWEI_OCTOPUS_URL,
  type HuaweiBusyCode,
  type HuaweiSimulatorOptions,
  startHuaweiServer,
} from '../../src/testing/huawei/index.ts';
import {huaweiHandlers} from '../../src/testing/msw.ts';
import {huaweiAuth, huaweiCloud, parseApigRateLimits, waitWhileBusy} from '../../src/vendors/huawei/index.ts';
import {server} from '../helpers/server.ts';

const PROJECT = 'p0123456789';
const BATCHES = `${HUAWEI_OCTOPUS_URL}/v2/${PROJECT}/sim/pm/batches`;
const PACKAGES = `${HUAWEI_OCTOPUS_URL}/v1.0/${PROJECT}/data/packages`;

type Answer = {status: number; headers: Headers; body: Record<string, unknown>};

/** A simulator on a hand-moved clock, and a way to send it requests. */
const setup = (options: HuaweiSimulatorOptions = {}) => {
  let nowMs = 1_000_000;
  const sim = createHuaweiSimulator({now: () => nowMs, ...options});
  const send = async (url: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await sim.handle(new Request(url, init));
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Answer['body'],
    };
  };
  const authed = (token: string, url: string, init: RequestInit = {}) =>
    send(url, {...init, headers: {'X-Auth-Token': token, 'Content-Type': 'application/json'}});
  return {
    sim,
    send,
    authed,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
};

const verdictOf = (answer: Answer) =>
  classify(huaweiCloud, {status: answer.status, headers: answer.headers, body: answer.body});

const iamBody = (password = 'secret-password') =>
  JSON.stringify({
    auth: {
      identity: {methods: ['password'], password: {user: {name: 'u', password, domain: {name: 'd'}}}},
      scope: {project: {id: PROJECT}},
    },
  });

describe('Huawei simulator', () => {
  test('POST /v3/auth/tokens issues a token in X-Subject-Token that the gateway accepts', async () => {
    const {sim, send, authed} = setup();
    const issued = await send(`${HUAWEI_IAM_URL}/v3/auth/tokens`, {method: 'POST', body: iamBody()});
    expect(issued.status).toBe(201);
    const token = issued.headers.get('x-subject-token') ?? '';
    expect(token).toMatch(/^MIIsim[0-9a-f]{64}$/);
    expect(issued.body).toMatchObject({token: {expires_at: expect.any(String)}});
    expect((await authed(token, PACKAGES)).status).toBe(200);
    expect(sim.counters.tokensIssued).toBe(1);
  });

  test('a wrong IAM password gets 401 APIGW.0301', async () => {
    const {sim, send} = setup({iamPassword: 'right'});
    const answer = await send(`${HUAWEI_IAM_URL}/v3/auth/tokens`, {method: 'POST', body: iamBody('wrong')});
    expect(answer.status).toBe(401);
    expect(answer.body.error_code).toBe('APIGW.0301');
    expect(sim.counters.tokensIssued).toBe(0);
  });

  test.each([
    ['no token', {}, 'x-auth-token not found'],
    ['an unknown token', {'X-Auth-Token': 'MIIforged'}, 'decrypt token fail'],
  ])('%s gets 401 APIGW.0301 (%s)', async (_case, headers, reason) => {
    const {sim, send} = setup();
    const answer = await send(PACKAGES, {headers});
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: `Incorrect IAM authentication information: ${reason}`,
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(verdictOf(answer)).toMatchObject({action: 'fail', category: 'auth'});
    expect(sim.counters.unauthorized).toBe(1);
  });

  test.each([
    ['APIGW.0307', 'APIGW', 'APIGW.0307'],
    ['APIGW.0307', 'APIG', 'APIG.0307'],
    ['octopus.000102', 'APIGW', 'octopus.000102'],
  ] as const)(
    'a token past its TTL gets %s (prefix %s → %s)',
    async (expiredTokenCode, gatewayPrefix, wire) => {
      const {sim, authed, advance} = setup({tokenTtlMs: 60_000, expiredTokenCode, gatewayPrefix});
      const token = sim.issueToken();
      advance(59_999);
      expect((await authed(token, PACKAGES)).status).toBe(200);
      advance(1);
      const answer = await authed(token, PACKAGES);
      expect(answer.status).toBe(401);
      expect(answer.body.error_code).toBe(wire);
      expect(verdictOf(answer)).toMatchObject({category: 'auth', code: expiredTokenCode});
      expect(sim.counters.expired).toBe(1);
    },
  );

  test('expireTokens() expires every token at once', async () => {
    const {sim, authed} = setup();
    const token = sim.issueToken();
    sim.expireTokens();
    expect((await authed(token, PACKAGES)).body.error_code).toBe('APIGW.0307');
  });

  test('the gateway throttles past its token bucket with the window in the message', async () => {
    const {sim, authed, advance} = setup({rateLimit: {limit: 5, windowMs: 1000, policy: 'user'}});
    const token = sim.issueToken();
    const statuses = [];
    for (let index = 0; index < 6; index++) {
      statuses.push((await authed(token, PACKAGES)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const throttled = await authed(token, PACKAGES);
    expect(throttled.body).toMatchObject({
      error_code: 'APIGW.0308',
      error_msg:
        'The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 second',
    });
    // The stated 1 s window is what the policy waits; Huawei's FAQ 2 s is only the default.
    expect(verdictOf(throttled)).toMatchObject({
      action: 'throttle',
      category: 'rate_limited',
      statedDelayMs: 1000,
      defaultDelayMs: 2000,
    });
    expect(sim.counters.throttled).toBe(2);
    advance(1000);
    expect((await authed(token, PACKAGES)).status).toBe(200);
  });

  test('the APIG prefix and a one-minute window read like the field answers', async () => {
    const {sim, authed} = setup({gatewayPrefix: 'APIG', rateLimit: {limit: 1, windowMs: 60_000}});
    const token = sim.issueToken();
    await authed(token, PACKAGES);
    const throttled = await authed(token, PACKAGES);
    expect(throttled.body.error_code).toBe('APIG.0308');
    expect(throttled.body.error_msg).toContain('policy api over ratelimit,limit:1,time:1 minute');
    expect(verdictOf(throttled)).toMatchObject({code: 'APIGW.0308', statedDelayMs: 60_000});
  });

  test('Octopus answers 429 octopus.202230 past its own limit', async () => {
    const {sim, authed} = setup({serviceRateLimit: {limit: 2, windowMs: 10_000}});
    const token = sim.issueToken();
    await authed(token, PACKAGES);
    await authed(token, PACKAGES);
    const answer = await authed(token, PACKAGES);
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({
      error_code: 'octopus.202230',
      error_msg: 'Too many request exceeds the threshold',
    });
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(verdictOf(answer)).toMatchObject({action: 'throttle'});
    expect(sim.counters.tooManyRequests).toBe(1);
  });

  test.each(Object.entries(HUAWEI_BUSY_ANSWERS) as [HuaweiBusyCode, {status: number; message: string}][])(
    'a running task makes its batch_config busy with %s for jobDurationMs',
    async (busyCode, {status}) => {
      const {sim, authed, advance} = setup({jobDurationMs: 30_000, busyCode});
      const token = sim.issueToken();
      const create = (batchConfig: string) =>
        authed(token, BATCHES, {
          method: 'POST',
          body: JSON.stringify({name: 't', batch_config: batchConfig}),
        });
      const start = () => create('c1');
      const first = await start();
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        url: `/v2/${PROJECT}/sim/pm/batches/${first.body.id}/`,
        id: expect.any(Number),
        batch_config: 'c1',
        status: 3,
      });
      const busy = await start();
      expect(busy.status).toBe(status);
      expect(busy.body.error_code).toBe(busyCode);
      expect(verdictOf(busy)).toMatchObject({action: 'poll', category: 'not_ready'});
      // Another batch_config is not busy.
      expect((await create('c2')).status).toBe(201);
      advance(30_000);
      expect((await start()).status).toBe(201);
      expect(sim.counters).toMatchObject({busy: 1, jobsStarted: 3});
    },
  );

  test('a task reads status 3 (running), then 0 (succeeded); an unknown task is octopus.109003', async () => {
    const {sim, authed, advance} = setup({jobDurationMs: 5000});
    const token = sim.issueToken();
    const jobId = sim.startJob('c9');
    expect((await authed(token, `${BATCHES}/${jobId}/`)).body.status).toBe(3);
    advance(5000);
    expect((await authed(token, `${BATCHES}/${jobId}`)).body.status).toBe(0);
    const missing = await authed(token, `${BATCHES}/12345`);
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('octopus.109003');
  });

  test('an unknown API gets 404 APIGW.0101 and is counted', async () => {
    const {sim, authed} = setup();
    const answer = await authed(sim.issueToken(), `${HUAWEI_OCTOPUS_URL}/v9/nothing`);
    expect(answer.status).toBe(404);
    expect(answer.body.error_code).toBe('APIGW.0101');
    expect(sim.counters.byRoute).toEqual({unknown: 1});
  });

  test('the gateway routes before it throttles or authenticates: an unknown path past the limit is 404, not 429', async () => {
    const {sim, authed, send} = setup({rateLimit: {limit: 1, windowMs: 60_000}});
    const token = sim.issueToken();
    expect((await authed(token, PACKAGES)).status).toBe(200);
    expect((await authed(token, PACKAGES)).status).toBe(429);
    const unknown = await authed(token, `${HUAWEI_OCTOPUS_URL}/v2/${PROJECT}/sim/jobs`);
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'APIGW.0101']);
    const anonymous = await send(`${HUAWEI_OCTOPUS_URL}/v1.0/${PROJECT}/nothing`);
    expect([anonymous.status, anonymous.body.error_code]).toEqual([404, 'APIGW.0101']);
    expect(sim.counters).toMatchObject({throttled: 1, unauthorized: 0});
  });

  test('X-Apig-Mode: debug answers carry X-Apig-RateLimit-<policy>, which parseApigRateLimits reads', async () => {
    const {sim, send, advance} = setup({rateLimit: {limit: 3, windowMs: 10_000, policy: 'user'}});
    const token = sim.issueToken();
    const debug = {'X-Auth-Token': token, 'X-Apig-Mode': 'debug'};
    const seen: unknown[] = [];
    for (let index = 0; index < 4; index++) {
      const answer = await send(PACKAGES, {headers: debug});
      seen.push([answer.status, answer.headers.get('x-apig-ratelimit-user')]);
    }
    expect(seen).toEqual([
      [200, 'remain:2,limit:3,time:10 second'],
      [200, 'remain:1,limit:3,time:10 second'],
      [200, 'remain:0,limit:3,time:10 second'],
      [429, 'remain:0,limit:3,time:10 second'],
    ]);
    advance(10_000);
    const refilled = await send(PACKAGES, {headers: debug});
    expect(parseApigRateLimits(refilled.headers)).toEqual([
      {scope: 'user', limit: 3, periodMs: 10_000, remaining: 2},
    ]);
    // Without debug mode the gateway says nothing about its limits.
    expect(
      (await send(PACKAGES, {headers: {'X-Auth-Token': token}})).headers.has('x-apig-ratelimit-user'),
    ).toBe(false);
  });

  test('a task without name or batch_config is octopus.000001', async () => {
    const {sim, authed} = setup();
    const answer = await authed(sim.issueToken(), BATCHES, {method: 'POST', body: '{"name":"t"}'});
    expect([answer.status, answer.body.error_code]).toEqual([400, 'octopus.000001']);
  });

  test('the same seed gives the same tokens and request ids', async () => {
    const run = async (seed: number) => {
      const {sim, send} = setup({seed});
      const answer = await send(PACKAGES);
      return [sim.issueToken(), answer.body.request_id];
    };
    expect(await run(3)).toEqual(await run(3));
    expect(await run(3)).not.toEqual(await run(4));
  });

  test('requireToken: false lets requests in without a token', async () => {
    const {send} = setup({requireToken: false});
    expect((await send(PACKAGES)).status).toBe(200);
  });

  test('answers ky through msw handlers, with the token from the IAM endpoint', async () => {
    const sim = createHuaweiSimulator({tokenTtlMs: 60_000});
    server.use(...huaweiHandlers(sim));
    const getToken = async () => {
      const response = await fetch(`${HUAWEI_IAM_URL}/v3/auth/tokens`, {method: 'POST', body: iamBody()});
      return response.headers.get('x-subject-token') ?? '';
    };
    const api = ky.create({
      prefix: `${HUAWEI_OCTOPUS_URL}/v1.0/${PROJECT}/`,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({getToken})}),
    });
    await expect(api.get('data/packages').json()).resolves.toMatchObject({payload: {total: 0}});
    sim.expireTokens();
    await expect(api.get('data/packages').json()).resolves.toMatchObject({payload: {total: 0}});
    expect(sim.counters).toMatchObject({tokensIssued: 2, expired: 1, requests: 5});
  });

  test('answers ky over a loopback HTTP server', async () => {
    let nowMs = 0;
    const sim = createHuaweiSimulator({now: () => nowMs, jobDurationMs: 30_000});
    const {url, close} = await startHuaweiServer(sim);
    server.use(http.all(`${url}/*`, () => passthrough()));
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const api = ky.create({
        prefix: `${url}/v2/${PROJECT}/`,
        ...withVendor(huaweiCloud, {auth: huaweiAuth({getToken: () => sim.issueToken()})}),
      });
      sim.startJob('c1');
      const job = await waitWhileBusy(
        () => api.post('sim/pm/batches', {json: {name: 't', batch_config: 'c1'}}).json(),
        {
          // The simulator's clock jumps past the running job; the real wait stays short.
          onPoll: () => {
            nowMs += 30_000;
          },
          intervalMs: 10,
          maxIntervalMs: 10,
        },
      );
      expect(job).toMatchObject({batch_config: 'c1', status: 3});
      expect(sim.counters.busy).toBe(1);
      const forged = ky.create({prefix: `${url}/v2/${PROJECT}/`, ...withVendor(huaweiCloud)});
      await expect(forged.get('sim/pm/batches/900')).rejects.toBeInstanceOf(AuthError);
    } finally {
      await close();
    }
  });
});

describe('token bucket', () => {
  test('lets a burst of limit through, then one per windowMs / limit', () => {
    let nowMs = 0;
    const bucket = createTokenBucket({limit: 4, windowMs: 1000}, () => nowMs);
    expect(Array.from({length: 5}, () => bucket.take())).toEqual([true, true, true, true, false]);
    nowMs += 250;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });

  test.each([
    [1000, '1 second'],
    [5000, '5 second'],
    [60_000, '1 minute'],
    [90_000, '90 second'],
    [3_600_000, '1 hour'],
  ])('describes a %i ms window as "%s"', (windowMs, text) => {
    expect(describeWindow(windowMs)).toBe(text);
  });
});
