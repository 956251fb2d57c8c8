/**
 * The Huawei simulator verifies AK/SK signatures made by the official SDK core's signer and by
 * `huaweiAkSk`, over a loopback socket and through msw.
 */
import {createRequire} from 'node:module';
import ky from 'ky';
import {http, passthrough} from 'msw';
import {describe, expect, test} from 'vitest';
import {AuthError, withVendor} from '../../src/index.ts';
import {
  createHuaweiSimulator,
  HUAWEI_OCTOPUS_URL,
  startHuaweiServer,
} from '../../src/testing/huawei/index.ts';
import {huaweiHandlers} from '../../src/testing/msw.ts';
import {huaweiAkSk, huaweiCloud} from '../../src/vendors/huawei/index.ts';
import {server} from '../helpers/server.ts';

type SdkRequest = {
  endpoint: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  queryParams: Record<string, string | string[]>;
  pathParams: Record<string, string>;
  data?: unknown;
};
type SdkCredentials = {
  withAk(ak: string): SdkCredentials;
  withSk(sk: string): SdkCredentials;
  processAuthRequest(client: unknown, request: SdkRequest): Promise<SdkRequest>;
};

const require = createRequire(import.meta.url);
const {BasicCredentials} = require('@huaweicloud/huaweicloud-sdk-core') as {
  BasicCredentials: new () => SdkCredentials;
};

const AK = 'HPUAEXAMPLEAK0123456';
const SK = 'sk-Example0123456789abcdefghijklmnopqrstuv';
const PROJECT = 'p0123456789';

/** A request signed by the SDK core for the given endpoint, as a fetch `Request`. */
const sdkRequest = async (
  endpoint: string,
  method: string,
  path: string,
  query: Record<string, string | string[]>,
  data?: unknown,
) => {
  const signed = await new BasicCredentials()
    .withAk(AK)
    .withSk(SK)
    .processAuthRequest(undefined, {
      endpoint,
      url: path,
      method,
      headers: data === undefined ? {} : {'content-type': 'application/json'},
      queryParams: query,
      pathParams: {},
      ...(data === undefined ? {} : {data}),
    });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  const {host: _host, ...headers} = signed.headers;
  const init: RequestInit = {method, headers};
  if (data !== undefined) init.body = JSON.stringify(data);
  return new Request(`${endpoint}${path}${search.size > 0 ? `?${search}` : ''}`, init);
};

describe('Huawei simulator verifies AK/SK signatures', () => {
  test('the SDK core signer is accepted; a changed query, body or secret key is APIGW.0301', async () => {
    const sim = createHuaweiSimulator({akSk: {ak: AK, sk: SK}});
    const list = await sdkRequest(HUAWEI_OCTOPUS_URL, 'GET', `/v1.0/${PROJECT}/data/packages`, {
      limit: '10',
      tag: ['b', 'a'],
      名称: '数据',
    });
    expect((await sim.handle(list)).status).toBe(200);
    const create = await sdkRequest(
      HUAWEI_OCTOPUS_URL,
      'POST',
      `/v2/${PROJECT}/sim/pm/batches`,
      {},
      {name: '任务', batch_config: 'c1'},
    );
    expect((await sim.handle(create)).status).toBe(201);

    const tamperedQuery = new Request(list.url.replace('limit=10', 'limit=11'), {headers: list.headers});
    const tamperedBody = new Request(create.url, {
      method: 'POST',
      headers: create.headers,
      body: JSON.stringify({name: 'x', batch_config: 'c1'}),
    });
    for (const request of [tamperedQuery, tamperedBody]) {
      const answer = await sim.handle(request);
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({
        error_code: 'APIGW.0301',
        error_msg: expect.stringContaining('verify aksk signature fail'),
      });
    }
    const stranger = createHuaweiSimulator({akSk: {ak: AK, sk: `${SK}x`}});
    expect(
      (
        await stranger.handle(
          await sdkRequest(HUAWEI_OCTOPUS_URL, 'GET', `/v1.0/${PROJECT}/data/packages`, {}),
        )
      ).status,
    ).toBe(401);
    const unknownAk = createHuaweiSimulator();
    const refused = await unknownAk.handle(
      await sdkRequest(HUAWEI_OCTOPUS_URL, 'GET', `/v1.0/${PROJECT}/data/packages`, {}),
    );
    expect(await refused.json()).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: expect.stringContaining('ak not exist'),
    });
    expect(sim.counters.unauthorized).toBe(2);
  });

  test('a signature more than 15 minutes old is refused', async () => {
    let nowMs = Date.now();
    const sim = createHuaweiSimulator({akSk: {ak: AK, sk: SK}, now: () => nowMs});
    const signed = await sdkRequest(HUAWEI_OCTOPUS_URL, 'GET', `/v1.0/${PROJECT}/data/packages`, {});
    nowMs += 16 * 60_000;
    expect((await sim.handle(signed)).status).toBe(401);
  });

  test('huaweiAkSk through ky and a loopback server: accepted, and a wrong secret key is an AuthError', async () => {
    const sim = createHuaweiSimulator({akSk: {ak: AK, sk: SK}});
    const {url, close} = await startHuaweiServer(sim);
    server.use(http.all(`${url}/*`, () => passthrough()));
    try {
      const api = ky.create({
        prefix: `${url}/v2/${PROJECT}/`,
        ...withVendor(huaweiCloud, {auth: huaweiAkSk({ak: AK, sk: SK, projectId: PROJECT})}),
      });
      const batch = await api
        .post('sim/pm/batches', {json: {name: '任务 1', batch_config: 'c1'}})
        .json<{id: number}>();
      await expect(
        api
          .get(`sim/pm/batches/${batch.id}`, {
            searchParams: [
              ['b', '2'],
              ['a', '1'],
              ['a', '0'],
            ],
          })
          .json(),
      ).resolves.toMatchObject({id: batch.id});
      const wrong = ky.create({
        prefix: `${url}/v2/${PROJECT}/`,
        ...withVendor(huaweiCloud, {auth: huaweiAkSk({ak: AK, sk: 'not-the-secret-key'})}),
      });
      const error = await wrong.get(`sim/pm/batches/${batch.id}`).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({code: 'APIGW.0301'});
      expect(JSON.stringify((error as AuthError).toJSON())).not.toContain('not-the-secret-key');
      expect(sim.counters).toMatchObject({unauthorized: 1, jobsStarted: 1});
    } finally {
      await close();
    }
  });

  test('a throttled request is signed again for its retry, and the new signature is accepted', async () => {
    const sim = createHuaweiSimulator({akSk: {ak: AK, sk: SK}, rateLimit: {limit: 1, windowMs: 200}});
    server.use(...huaweiHandlers(sim));
    let signings = 0;
    // Each signing is a second later than the one before, so a reused signature would not match.
    const now = () => Date.now() + signings++ * 1000;
    const api = ky.create({
      prefix: `${HUAWEI_OCTOPUS_URL}/v1.0/${PROJECT}/`,
      ...withVendor(huaweiCloud, {auth: huaweiAkSk({ak: AK, sk: SK, now})}),
    });
    await api.get('data/packages').json();
    await expect(api.get('data/packages').json()).resolves.toMatchObject({payload: {total: 0}});
    expect(sim.counters).toMatchObject({throttled: 1, unauthorized: 0});
    expect(sim.counters.byRoute.listPackages).toBe(3);
    expect(signings).toBe(3);
  });

  test('huaweiAkSk through msw handlers', async () => {
    const sim = createHuaweiSimulator({akSk: {ak: AK, sk: SK}});
    server.use(...huaweiHandlers(sim));
    const api = ky.create({
      prefix: `${HUAWEI_OCTOPUS_URL}/v1.0/${PROJECT}/`,
      ...withVendor(huaweiCloud, {auth: huaweiAkSk({ak: AK, sk: SK})}),
    });
    await expect(api.get('data/packages').json()).resolves.toMatchObject({payload: {total: 0}});
  });
});
