/**
 * `huaweiAkSk` signs exactly as the official SDK core does: the same requests go through
 * `BasicCredentials.processAuthRequest` (which calls `AKSKSigner.sign`) of
 * `@huaweicloud/huaweicloud-sdk-core` and through our ky hook, at one fixed date.
 */
import {createRequire} from 'node:module';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {huaweiAkSk} from '../../src/vendors/huawei/huawei-aksk.ts';
import {canonicalQuery, canonicalUri, sdkDate} from '../../src/vendors/huawei/sign-aksk.ts';

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
  withProjectId(projectId: string): SdkCredentials;
  withSecurityToken(token: string): SdkCredentials;
  processAuthRequest(client: unknown, request: SdkRequest): Promise<SdkRequest>;
};

const require = createRequire(import.meta.url);
const {BasicCredentials} = require('@huaweicloud/huaweicloud-sdk-core') as {
  BasicCredentials: new () => SdkCredentials;
};

const AK = 'HPUAEXAMPLEAK0123456';
const SK = 'sk-Example0123456789abcdefghijklmnopqrstuv';
const ENDPOINT = 'https://octopus.cn-south-1.myhuaweicloud.com';
const NOW_MS = Date.UTC(2024, 0, 2, 3, 4, 5);

type Case = {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** In the order they go on the wire (unsorted on purpose); arrays are repeated keys. */
  readonly query?: readonly (readonly [string, string])[];
  readonly data?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly projectId?: string;
  readonly securityToken?: string;
};

const json = {'content-type': 'application/json'};

const cases: readonly Case[] = [
  {name: 'GET, no query', method: 'GET', path: '/v1.0/p1/data/packages'},
  {name: 'GET, trailing slash', method: 'GET', path: '/v1.0/p1/data/packages/'},
  {
    name: 'GET, sorted query',
    method: 'GET',
    path: '/v1.0/p1/data/jobs',
    query: [
      ['offset', '0'],
      ['limit', '10'],
    ],
  },
  {
    name: 'GET, repeated keys',
    method: 'GET',
    path: '/v1.0/p1/data/jobs',
    query: [
      ['tag', 'b'],
      ['status', 'RUNNING'],
      ['tag', 'a'],
      ['tag', 'c'],
    ],
  },
  {
    name: 'GET, unicode keys and values',
    method: 'GET',
    path: '/v1.0/p1/data/packages',
    query: [
      ['名称', '测试数据'],
      ['name', 'ÄÖÜ'],
      ['emoji', '🚗'],
    ],
  },
  {
    name: 'GET, reserved characters in values',
    method: 'GET',
    path: '/v1.0/p1/data/packages',
    query: [
      ['filter', 'a b&c=d/e?f'],
      ['q', "x!'()*~"],
      ['plus', '1+1'],
    ],
  },
  {
    name: 'GET, empty value',
    method: 'GET',
    path: '/v1.0/p1/data/packages',
    query: [
      ['usage', ''],
      ['a', '1'],
    ],
  },
  {name: 'GET with project id', method: 'GET', path: '/v1.0/p9/data/packages', projectId: 'p9'},
  {
    name: 'POST JSON body',
    method: 'POST',
    path: '/v1.0/p1/data/jobs',
    data: {name: 'job-1', count: 3},
    headers: json,
  },
  {
    name: 'POST unicode JSON body',
    method: 'POST',
    path: '/v1.0/p1/data/jobs',
    data: {name: '标注任务', tags: ['à', '🚗'], nested: {n: null}},
    headers: json,
  },
  {
    name: 'PUT JSON body with query',
    method: 'PUT',
    path: '/v1.0/p1/data/packages/42',
    query: [['force', 'true']],
    data: {description: 'x'},
    headers: json,
  },
  {name: 'DELETE', method: 'DELETE', path: '/v1.0/p1/data/packages/42'},
  {
    name: 'PATCH with project id',
    method: 'PATCH',
    path: '/v2/p7/sim/sm/maps',
    data: {a: 1},
    headers: json,
    projectId: 'p7',
  },
  {
    name: 'extra signed headers',
    method: 'GET',
    path: '/v1.0/p1/data/packages',
    headers: {'x-custom-trace': 'abc-123', 'x-language': 'en-us', accept: 'application/json'},
  },
  {
    name: 'extra headers with a JSON body',
    method: 'POST',
    path: '/v1.0/p1/data/jobs',
    data: {a: [1, 2, 3]},
    headers: {...json, 'x-client-token': 'idem-1', 'x-a': 'first'},
  },
  {
    name: 'non-JSON body travels as UNSIGNED-PAYLOAD',
    method: 'POST',
    path: '/v1.0/p1/data/upload',
    data: {ignored: true},
    headers: {'content-type': 'application/octet-stream'},
  },
  {
    name: 'temporary credentials',
    method: 'GET',
    path: '/v1.0/p1/data/jobs',
    securityToken: 'tmp-security-token-0123456789',
  },
  {
    name: 'everything at once',
    method: 'POST',
    path: '/v1.0/p3/data/jobs',
    query: [
      ['z', '1'],
      ['a', '2'],
      ['a', '1'],
      ['键', '值'],
    ],
    data: {x: 'y'},
    headers: {...json, 'x-extra': 'v'},
    projectId: 'p3',
  },
];

const sdkSign = async (item: Case): Promise<Record<string, string>> => {
  let credentials = new BasicCredentials().withAk(AK).withSk(SK);
  if (item.projectId !== undefined) credentials = credentials.withProjectId(item.projectId);
  if (item.securityToken !== undefined) credentials = credentials.withSecurityToken(item.securityToken);
  const queryParams: Record<string, string | string[]> = {};
  for (const [key, value] of item.query ?? []) {
    const existing = queryParams[key];
    queryParams[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const request: SdkRequest = {
    endpoint: ENDPOINT,
    url: item.path,
    method: item.method,
    headers: {...item.headers},
    queryParams,
    pathParams: {},
  };
  if (item.data !== undefined) request.data = item.data;
  return (await credentials.processAuthRequest(undefined, request)).headers;
};

const ourSign = async (item: Case): Promise<Request> => {
  const query = new URLSearchParams(item.query?.map(([key, value]) => [key, value]));
  const url = `${ENDPOINT}${item.path}${item.query === undefined ? '' : `?${query}`}`;
  const init: RequestInit = {method: item.method, headers: {...item.headers}};
  if (item.data !== undefined) init.body = JSON.stringify(item.data);
  const request = new Request(url, init);
  const hooks = huaweiAkSk({
    ak: AK,
    sk: SK,
    projectId: item.projectId,
    securityToken: item.securityToken,
    now: () => NOW_MS,
  });
  const hook = hooks.beforeRequest?.[0] as unknown as (state: {request: Request}) => Promise<void>;
  await hook({request});
  return request;
};

describe('huaweiAkSk signs as the SDK core signer does', () => {
  beforeEach(() => {
    vi.useFakeTimers({toFake: ['Date']});
    vi.setSystemTime(NOW_MS);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('the table has at least 15 requests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  test.each(cases.map((item) => [item.name, item] as const))('%s', async (_name, item) => {
    const sdk = await sdkSign(item);
    const ours = await ourSign(item);
    expect(sdk['X-Sdk-Date']).toBe('20240102T030405Z');
    expect(ours.headers.get('x-sdk-date')).toBe(sdk['X-Sdk-Date']);
    expect(ours.headers.get('authorization')).toBe(sdk.Authorization);
    expect(ours.headers.get('x-project-id') ?? undefined).toBe(sdk['X-Project-Id']);
    expect(ours.headers.get('x-sdk-content-sha256') ?? undefined).toBe(sdk['X-Sdk-Content-Sha256']);
  });

  test('a different secret key gives a different signature', async () => {
    const item = cases[0] as Case;
    const sdk = await sdkSign(item);
    const request = new Request(`${ENDPOINT}${item.path}`);
    const hook = huaweiAkSk({ak: AK, sk: `${SK}x`, now: () => NOW_MS})
      .beforeRequest?.[0] as unknown as (state: {request: Request}) => Promise<void>;
    await hook({request});
    expect(request.headers.get('authorization')).not.toBe(sdk.Authorization);
  });
});

describe('AK/SK canonical parts', () => {
  test.each([
    ['/v1.0/p/data', '/v1.0/p/data/'],
    ['/', '/'],
    ['/v1/%E4%B8%AD/a b', '/v1/%E4%B8%AD/a%20b/'],
    ['/v1/it%27s', '/v1/it%27s/'],
  ])('canonicalUri(%j) is %j', (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
  });

  test.each([
    ['b=2&a=z&a=y&usage', 'a=y&a=z&b=2&usage='],
    ['q=a+b', 'q=a%20b'],
    ['k=%7E%21', 'k=~%21'],
    ['', ''],
  ])('canonicalQuery(%j) is %j', (query, expected) => {
    expect(canonicalQuery(new URLSearchParams(query))).toBe(expected);
  });

  test('sdkDate has the basic ISO form', () => {
    expect(sdkDate(new Date(NOW_MS))).toBe('20240102T030405Z');
  });

  test('empty credentials are a TypeError', () => {
    expect(() => huaweiAkSk({ak: '', sk: 'x'})).toThrow(TypeError);
    expect(() => huaweiAkSk({ak: 'a', sk: ''})).toThrow(TypeError);
  });
});
