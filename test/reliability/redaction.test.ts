/**
 * @module Credentials never show in any form of an error: message, String(), JSON, inspect, causes.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {inspect} from 'node:util';
import ky, {type Hooks} from 'ky';
import {describe, expect, test} from 'vitest';
import {
  brightdata,
  huaweiCloud,
  NotReadyError,
  supametas,
  upyun,
  type Vendor,
  VendorError,
  type VendorOptions,
  withVendor,
} from '../../src/index.ts';
import {brightdataAuth} from '../../src/vendors/brightdata/brightdata-auth.ts';
import {huaweiAuth} from '../../src/vendors/huawei/huawei-auth.ts';
import {supametasAuth} from '../../src/vendors/supametas/supametas-auth.ts';
import {md5Hex} from '../../src/vendors/upyun/md5.ts';
import {upyunAuth} from '../../src/vendors/upyun/upyun-auth.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';

const loopback = useLoopback();

failOnUnhandledRejections();

// Real-looking credentials, one per header this library knows.
const BEARER_KEY = 'bd_live_4f9c2a7e81d34b6c9a0e5f7d2c1b8a36';
const BASIC = Buffer.from('svc-batch:Sup3r-S3cret-Basic').toString('base64');
const UPYUN_OPERATOR = 'uploader';
const UPYUN_PASSWORD = 'Upyun#Pa55word!2024';
const ACCESS_KEY = 'ak_9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a';
// An IAM token is kilobytes of base64 that starts with "MII".
const IAM_TOKEN = `MIIZ${'kTzQ8vXw3+Rb9/Lp2Ue7Yc5Hn1Ga6Fd0Se4Jm8Ki='.repeat(40)}x`;

type Reply = readonly [status: number, body: string, headers?: Record<string, string>];

/** One vendor with one kind of credential, and its own error bodies. */
type Setup = {
  readonly name: string;
  readonly vendor: Vendor;
  readonly auth?: Hooks;
  readonly headers?: Record<string, string>;
  /** Credentials known before any request. */
  readonly secrets: readonly string[];
  readonly method: 'get' | 'post';
  readonly fail: Reply;
  readonly notReady?: Reply;
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => [
  status,
  JSON.stringify(body),
  {'content-type': 'application/json', ...headers},
];

const SETUPS: readonly Setup[] = [
  {
    name: 'BrightData Bearer',
    vendor: brightdata,
    auth: brightdataAuth({apiKey: BEARER_KEY}),
    secrets: [BEARER_KEY],
    method: 'get',
    fail: json(400, {error: 'url is required', code: 'validation_error'}),
    notReady: [202, 'Snapshot is building, try again in 10s', {'content-type': 'text/plain'}],
  },
  {
    name: 'BrightData Basic',
    vendor: brightdata,
    headers: {authorization: `Basic ${BASIC}`},
    secrets: [BASIC],
    method: 'post',
    fail: [400, 'dataset missing', {'content-type': 'text/plain'}],
  },
  {
    name: 'UPYUN signature',
    vendor: upyun,
    auth: upyunAuth({operator: UPYUN_OPERATOR, password: UPYUN_PASSWORD}),
    secrets: [UPYUN_PASSWORD, md5Hex(UPYUN_PASSWORD)],
    method: 'get',
    fail: json(400, {msg: 'need save-key', code: 40000001, id: 'r-1'}),
    notReady: json(400, {msg: 'block not finished', code: 40000024, id: 'r-2'}),
  },
  {
    name: 'Supametas Access-Key',
    vendor: supametas,
    auth: supametasAuth({accessKey: ACCESS_KEY}),
    secrets: [ACCESS_KEY],
    method: 'post',
    fail: json(200, {code: 'OPS40004', message: '参数值不正确', data: null}),
  },
  {
    name: 'Huawei X-Auth-Token',
    vendor: huaweiCloud,
    auth: huaweiAuth({token: IAM_TOKEN}),
    secrets: [IAM_TOKEN],
    method: 'get',
    fail: json(400, {error_code: 'APIGW.0201', error_msg: 'API request error.', request_id: 'q-1'}),
    notReady: json(409, {
      error_code: 'octopus.007004',
      error_msg: 'Current image status do not support this action.',
    }),
  },
];

/** Credential headers as the server received them, and the secret parts of each. */
const sentCredentials = (): string[] => {
  const found: string[] = [];
  for (const {headers} of loopback.requests) {
    for (const name of ['authorization', 'access-key', 'x-auth-token']) {
      const value = headers[name];
      if (typeof value !== 'string') continue;
      found.push(value);
      // The part after the scheme, and UPYUN's signature after "operator:".
      const secret = value.replace(/^(Bearer|Basic|UPYUN)\s+/i, '');
      found.push(secret, secret.replace(/^[^:]+:/, ''));
    }
  }
  return found.filter((value) => value.length >= 8);
};

/** Each form of an error and of its causes, labelled. */
const forms = (error: unknown): [string, string][] => {
  const result: [string, string][] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const label = depth === 0 ? 'error' : `cause ${depth}`;
    if (current instanceof Error) {
      result.push([`${label} message`, current.message]);
    }
    result.push([`${label} String()`, String(current)]);
    try {
      result.push([`${label} JSON`, JSON.stringify(current) ?? '']);
    } catch (jsonError) {
      result.push([`${label} JSON`, String(jsonError)]);
    }
    result.push([`${label} inspect`, inspect(current, {depth: 10})]);
    current = (current as {cause?: unknown}).cause;
  }
  return result;
};

/** The forms that contain a secret, as `form: secret prefix`. */
const leaks = (error: unknown, secrets: readonly string[], only?: (label: string) => boolean): string[] =>
  forms(error)
    .filter(([label]) => only?.(label) ?? true)
    .flatMap(([label, text]) =>
      secrets.filter((secret) => text.includes(secret)).map((secret) => `${label}: ${secret.slice(0, 12)}…`),
    );

const reply = (response: ServerResponse, [status, body, headers]: Reply): void => {
  response.writeHead(status, headers ?? {});
  response.end(body);
};

type Mode = 'fail' | 'exhausted' | 'deadline' | 'not ready' | 'network' | 'timeout';

/** Sets the server up for `mode` and makes one failing call. */
const failingCall = async (setup: Setup, mode: Mode): Promise<unknown> => {
  const handlers: Record<Mode, (request: IncomingMessage, response: ServerResponse) => void> = {
    fail: (_request, response) => reply(response, setup.fail),
    exhausted: (_request, response) => reply(response, [503, 'Service Unavailable', {}]),
    deadline: (_request, response) => reply(response, [429, 'Too Many Requests', {'retry-after': '60'}]),
    'not ready': (_request, response) => reply(response, setup.notReady ?? setup.fail),
    network: (request) => request.socket.destroy(),
    // Never answers: the timeout ends the call.
    timeout: () => {},
  };
  loopback.handle(handlers[mode]);
  const options: VendorOptions = {
    retryLimit: mode === 'exhausted' ? 1 : 0,
    maxWaitMs: 5,
    baseDelayMs: 1,
    random: () => 0,
    ...(setup.auth === undefined ? {} : {auth: setup.auth}),
    ...(mode === 'deadline' ? {retryLimit: 2, maxWaitMs: 120_000, totalTimeoutMs: 30_000} : {}),
  };
  const api = ky.create({
    prefix: loopback.url,
    ...(setup.headers === undefined ? {} : {headers: setup.headers}),
    ...withVendor(setup.vendor, options),
  });
  return api[setup.method]('datasets/v3/snapshot/s_1/files', {
    ...(setup.method === 'post' ? {json: {input: 'x'}, context: {idempotent: true}} : {}),
    ...(mode === 'timeout' ? {timeout: 100} : {}),
  }).then(
    () => {
      throw new Error('the call was meant to fail');
    },
    (error: unknown) => error,
  );
};

const MODES: readonly Mode[] = ['fail', 'exhausted', 'deadline', 'not ready', 'network', 'timeout'];
const CASES = SETUPS.flatMap((setup) =>
  MODES.filter((mode) => mode !== 'not ready' || setup.notReady !== undefined).map((mode) => ({
    setup,
    mode,
    label: `${setup.name}, ${mode}`,
  })),
);
const isKyError = (mode: Mode): boolean => mode === 'network' || mode === 'timeout';

describe('credentials in request headers', () => {
  test.each(CASES)('$label: message, String(), JSON and causes carry none', async ({setup, mode}) => {
    const error = await failingCall(setup, mode);
    const secrets = [...setup.secrets, ...sentCredentials()];
    expect(secrets.length).toBeGreaterThan(0);
    // A 100 ms timeout may fire before the request reaches the server on a loaded machine.
    if (mode !== 'timeout') expect(loopback.requests.length).toBeGreaterThan(0);
    if (mode === 'not ready') {
      expect(error).toBeInstanceOf(NotReadyError);
    } else if (!isKyError(mode)) {
      expect(error).toBeInstanceOf(VendorError);
    }
    expect(leaks(error, secrets, (label) => !label.endsWith('inspect'))).toEqual([]);
  });

  test.each(CASES.filter(({mode}) => !isKyError(mode)))(
    '$label: util.inspect of the typed error carries none',
    async ({setup, mode}) => {
      const error = await failingCall(setup, mode);
      expect(error).toBeInstanceOf(VendorError);
      expect(
        leaks(error, [...setup.secrets, ...sentCredentials()], (label) => label.endsWith('inspect')),
      ).toEqual([]);
    },
  );

  // ky's NetworkError and TimeoutError carry the request as an enumerable `request`, which
  // util.inspect (what console.log and most loggers print) would show with its headers; the
  // adapter's beforeError hides it, as VendorError does.
  test.each(CASES.filter(({mode}) => isKyError(mode)))(
    '$label: util.inspect of ky’s error carries none',
    async ({setup, mode}) => {
      const error = await failingCall(setup, mode);
      expect(
        leaks(error, [...setup.secrets, ...sentCredentials()], (label) => label.endsWith('inspect')),
      ).toEqual([]);
    },
  );
});

describe('vendor messages that echo credentials', () => {
  const ECHOES = [
    {
      name: 'UPYUN signature error quoting the Authorization header',
      vendor: upyun,
      reply: json(401, {msg: 'signature error UPYUN op:abc123XYZ9/+sigvalue==', code: 40100005, id: 'e-1'}),
      secrets: ['abc123XYZ9/+sigvalue=='],
    },
    {
      name: 'Huawei gateway quoting the IAM token',
      vendor: huaweiCloud,
      reply: json(401, {
        error_code: 'APIGW.0301',
        error_msg: `Incorrect IAM authentication information: X-Auth-Token: ${IAM_TOKEN}`,
      }),
      secrets: [IAM_TOKEN, IAM_TOKEN.slice(0, 80)],
    },
    {
      name: 'BrightData quoting the Bearer key',
      vendor: brightdata,
      reply: [
        401,
        `Invalid credentials: Authorization: Bearer ${BEARER_KEY}`,
        {'content-type': 'text/plain'},
      ],
      secrets: [BEARER_KEY],
    },
    {
      name: 'Supametas quoting the Access-Key in a 200',
      vendor: supametas,
      reply: json(200, {code: '401', message: `Access-Key=${ACCESS_KEY} is invalid`, data: null}),
      secrets: [ACCESS_KEY],
    },
  ] as const;

  test.each(ECHOES)(
    '$name: message, String() and JSON carry none',
    async ({vendor, reply: answer, secrets}) => {
      loopback.handle((_request, response) => reply(response, answer));
      const api = ky.create({prefix: loopback.url, ...withVendor(vendor, {retryLimit: 0})});
      const error = await api.get('x').catch((error_: unknown) => error_);
      expect(error).toBeInstanceOf(VendorError);
      expect(leaks(error, secrets, (label) => !label.endsWith('inspect'))).toEqual([]);
    },
  );

  // util.inspect goes through VendorError's custom inspection, which prints the redacted fields.
  test.each(ECHOES)('$name: util.inspect carries none', async ({vendor, reply: answer, secrets}) => {
    loopback.handle((_request, response) => reply(response, answer));
    const api = ky.create({prefix: loopback.url, ...withVendor(vendor, {retryLimit: 0})});
    const error = await api.get('x').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(VendorError);
    expect(leaks(error, secrets, (label) => label.endsWith('inspect'))).toEqual([]);
  });
});
