import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, expectTypeOf, test, vi} from 'vitest';
import {codeNotes} from '../../scripts/code-notes.ts';
import {statusRule} from '../../src/classify/default-status-rules.ts';
import {
  type Action,
  AuthError,
  type Category,
  type CodeOf,
  ConflictError,
  classify,
  type FailureVerdict,
  isVendorError,
  type KnownCodeOf,
  matchesVendor,
  NotReadyError,
  RateLimitError,
  type RetryEvent,
  type Rule,
  ServerError,
  type Verdict,
  withVendor,
} from '../../src/index.ts';
import {waitFor} from '../../src/policy/decide-attempt.ts';
import {apigwCodes} from '../../src/vendors/huawei/apigw-codes.ts';
import {huaweiCloud, normalizeHuaweiCode} from '../../src/vendors/huawei/huawei-cloud.ts';
import {octopusCodes} from '../../src/vendors/huawei/octopus-codes.ts';
import responses from '../fixtures/huawei/responses.json' with {type: 'json'};
import {server} from '../helpers/server.ts';
import {settleWithFakeTime} from '../helpers/settle-with-fake-time.ts';

/** A verdict that must be a failure; fails the test otherwise. */
const failure = (verdict: Verdict): FailureVerdict => {
  if (verdict.action === 'ok') {
    throw new Error('expected a failure verdict, got ok');
  }
  return verdict;
};

type Expectation = readonly [Action, Category, readonly string[]];

// The classification of research §3.5, written independently of the table so a wrong row fails.
const octopusExpected: readonly Expectation[] = [
  [
    'fail',
    'validation',
    [
      '400000',
      '000001',
      '000003',
      '400005',
      '101001',
      '102003',
      '102004',
      '103005',
      '108002',
      '108008',
    ].concat(['202223', '107003']),
  ],
  ['fail', 'auth', ['400001', '000101', '000102', '000103']],
  ['fail', 'permission', ['400003', '000111', '000112', '000113', '000114', '000115', '109008']],
  [
    'fail',
    'not_found',
    ['400004', '000141', '007001', '107002', '107004', '109001', '109003'].concat([
      '101004',
      '102010',
      '108009',
      '202202',
      '202205',
      '202225',
    ]),
  ],
  [
    'fail',
    'conflict',
    ['000142', '101002', '101005', '101006', '102005', '102006', '102009', '109002', '109005'].concat([
      '107001',
      '202201',
      '202207',
      '202238',
      '202213',
    ]),
  ],
  ['retry', 'conflict', ['400009', '000143']],
  ['fail', 'quota', ['000122', '202239', '101003']],
  ['poll', 'not_ready', ['007004', '107005', '109004', '202210']],
  ['retry', 'transient', ['202101', '400102', '400104']],
  ['retry', 'server', ['400100', '000002', '000110', '000121', '000131']],
  ['throttle', 'rate_limited', ['202230']],
];

const apigwExpected: readonly Expectation[] = [
  ['fail', 'not_found', ['0101']],
  ['fail', 'server', ['0103', '0104', '0105', '0609', '0611', '0612', '0705']],
  ['fail', 'validation', ['0106', '0201', '0602', '0607']],
  ['retry', 'transient', ['0202', '0203', '0605', '0606', '0608', '0610', '0613']],
  ['retry', 'server', ['0601']],
  ['fail', 'auth', ['0301', '0303', '0305', '0307', '0311']],
  ['fail', 'permission', ['0302', '0304', '0306', '0310', '0401', '0402', '0404', '0801', '0802']],
  ['throttle', 'rate_limited', ['0308']],
  ['fail', 'quota', ['0501', '0502']],
];

const flatten = (expected: readonly Expectation[], prefix: string) =>
  expected.flatMap(([action, category, codes]) =>
    codes.map((code) => ({code: `${prefix}${code}`, action, category})),
  );

const octopusCases = flatten(octopusExpected, 'octopus.');
const apigwCases = flatten(apigwExpected, 'APIGW.');
const octopusTable: Readonly<Record<string, Rule>> = octopusCodes;
const apigwTable: Readonly<Record<string, Rule>> = apigwCodes;

const rowOf = (table: Readonly<Record<string, Rule>>, code: string): Rule => {
  const row = table[code];
  if (row === undefined) {
    throw new Error(`no row for ${code}`);
  }
  return row;
};

describe('huaweiCloud code tables', () => {
  test('the expectations cover every row of both tables, each once', () => {
    expect(octopusCases.map(({code}) => code).sort()).toEqual(Object.keys(octopusCodes).sort());
    expect(apigwCases.map(({code}) => code).sort()).toEqual(Object.keys(apigwCodes).sort());
    expect(octopusCases).toHaveLength(68);
    expect(apigwCases).toHaveLength(37);
  });

  test.each([...Object.entries(octopusTable), ...Object.entries(apigwTable)])(
    '%s documents its status and message, and a note where it departs from its status',
    (code, row) => {
      expect(row.status).toEqual(expect.any(Number));
      expect(row.message).toEqual(expect.any(String));
      // The row itself and each per-status override, against what their status alone would say.
      const departs = [
        row,
        ...Object.entries(row.byStatus ?? {}).map(([status, override]) => ({
          ...row,
          ...override,
          status: Number(status),
        })),
      ].some((rule) => {
        const suggested = statusRule(rule.status ?? 0, undefined);
        return suggested?.action !== rule.action || suggested.category !== rule.category;
      });
      if (departs) {
        expect(codeNotes('huawei').get(code)).toMatch(/\S/);
      }
    },
  );

  test.each(octopusCases)('$code: $action / $category', ({code, action, category}) => {
    const row = rowOf(octopusTable, code);
    const verdict = failure(
      classify(huaweiCloud, {status: row.status ?? 0, body: {error_code: code, error_msg: row.message}}),
    );
    expect(verdict).toMatchObject({vendor: 'huawei', action, category, code, status: row.status});
  });

  test.each(apigwCases)('$code: $action / $category, under both prefixes', ({code, action, category}) => {
    const row = rowOf(apigwTable, code);
    for (const wire of [code, code.replace('APIGW.', 'APIG.')]) {
      const verdict = failure(
        classify(huaweiCloud, {status: row.status ?? 0, body: {error_code: wire, error_msg: row.message}}),
      );
      expect(verdict).toMatchObject({action, category, code, status: row.status});
    }
  });

  test('throttle rows are marked unprocessed so a POST may be resent', () => {
    for (const code of ['octopus.202230', 'APIGW.0308', 'APIG.0308']) {
      const verdict = failure(classify(huaweiCloud, {status: 429, body: {error_code: code, error_msg: 'x'}}));
      expect(verdict).toMatchObject({action: 'throttle', processed: false, defaultDelayMs: 2000});
    }
  });

  test('notReady rows ask for a 5 s wait between looks', () => {
    for (const code of ['octopus.007004', 'octopus.107005', 'octopus.109004', 'octopus.202210']) {
      const row = rowOf(octopusTable, code);
      const verdict = failure(classify(huaweiCloud, {status: row.status ?? 0, body: {error_code: code}}));
      expect(verdict).toMatchObject({action: 'poll', category: 'not_ready', defaultDelayMs: 5000});
    }
  });

  test.each([
    [400, 'fail', 'validation', 'API request error.'],
    [413, 'fail', 'validation', 'Request entity too large.'],
    [414, 'fail', 'validation', 'Request URI too large.'],
    [494, 'fail', 'validation', 'Request headers too large.'],
    [500, 'retry', 'transient', 'An unexpected error occurred.'],
    [502, 'retry', 'transient', 'Backend unavailable.'],
    [504, 'retry', 'transient', 'Backend timeout.'],
  ] as const)('APIGW.0201 with HTTP %i is %s / %s', (status, action, category, message) => {
    // No error_msg in the body: the message comes from the row for that status.
    const verdict = failure(classify(huaweiCloud, {status, body: {error_code: 'APIG.0201'}}));
    expect(verdict).toMatchObject({action, category, code: 'APIGW.0201', message});
  });
});

describe('huaweiCloud research fixtures', () => {
  const expected: Readonly<Record<string, Partial<FailureVerdict>>> = {
    'HW-1': {
      action: 'throttle',
      category: 'rate_limited',
      code: 'APIGW.0308',
      statedDelayMs: 5000,
      processed: false,
      requestId: 'c50619de20b0e70590f57a99dbed044f',
    },
    'HW-2': {
      action: 'throttle',
      category: 'rate_limited',
      code: 'APIGW.0308',
      statedDelayMs: 60_000,
      requestId: 'd58d1fe6196832aebb76f1c43c169128',
    },
    'HW-3': {
      action: 'fail',
      category: 'auth',
      code: 'APIGW.0301',
      // Only the prefix: redaction reads "token fail" as a credential and masks "fail".
      message: expect.stringMatching(/^Incorrect IAM authentication information: decrypt token /),
      requestId: '3f0a9c7e51b24d6f8e0a2c4b6d8f0e12',
    },
    'HW-4': {action: 'fail', category: 'auth', code: 'APIGW.0307'},
    'HW-5': {
      action: 'fail',
      category: 'auth',
      code: 'octopus.000102',
      requestId: '7b1e4c2a9f8d4b6e8a1c3e5f7a9b0c2d',
    },
    'HW-6': {
      action: 'retry',
      category: 'conflict',
      code: 'octopus.400009',
      message: '您请求的资源已经被占用,或存在关联资源',
    },
    'HW-7': {
      action: 'throttle',
      category: 'rate_limited',
      code: 'octopus.202230',
      defaultDelayMs: 2000,
      processed: false,
    },
    'HW-8': {action: 'retry', category: 'server', code: 'octopus.000002'},
    'HW-9': {action: 'retry', category: 'transient', code: 'octopus.202101', status: 400},
    'HW-10': {action: 'retry', category: 'transient', code: 'APIGW.0201', message: 'Backend timeout'},
  };

  test('every fixture HW-1..HW-10 has an expectation', () => {
    expect(responses.map(({id}) => id)).toEqual(Object.keys(expected));
  });

  test.each(responses)('$id ($about)', ({id, status, headers, body}) => {
    const verdict = failure(classify(huaweiCloud, {status, headers, body}));
    expect(verdict).toMatchObject({vendor: 'huawei', status, ...expected[id]});
    // The same body read as text (what the adapter hands over) gives the same verdict.
    expect(classify(huaweiCloud, {status, headers, body: JSON.stringify(body)})).toEqual(verdict);
  });
});

describe('huaweiCloud rate windows', () => {
  const throttledBy = (message: string, headers: Record<string, string> = {}) =>
    failure(
      classify(huaweiCloud, {status: 429, headers, body: {error_code: 'APIGW.0308', error_msg: message}}),
    );
  const reached = 'The throttling threshold has been reached: policy';

  test.each([
    [`${reached} ip over ratelimit,limit:5,time:5 second`, 5000],
    [`${reached} user over ratelimit,limit:100,time:1 minute`, 60_000],
    [`${reached} api over ratelimit,limit:2000,time:1 minute`, 60_000],
    [`${reached} user over ratelimit,limit:10,time:10 second`, 10_000],
    // A stated 1-second window wins over the documented 2 s default (the server's word).
    [`${reached} user over ratelimit,limit:10,time:1 second`, 1000],
    ['The throttling threshold has been reached.', 2000],
  ])('"%s" waits %i ms', (message, delayMs) => {
    expect(waitFor(throttledBy(message), 0)).toBe(delayMs);
  });

  test('a Retry-After longer than the window wins', () => {
    expect(
      waitFor(throttledBy(`${reached} ip over ratelimit,limit:5,time:1 second`, {'retry-after': '7'}), 0),
    ).toBe(7000);
  });

  test('the Octopus 429 honours a stated window too', () => {
    const verdict = failure(
      classify(huaweiCloud, {
        status: 429,
        body: {error_code: 'octopus.202230', error_msg: 'over ratelimit,limit:10,time:3 second'},
      }),
    );
    expect(waitFor(verdict, 0)).toBe(3000);
  });

  test('a stated limit is the verdict statedRate', () => {
    expect(throttledBy(`${reached} ip over ratelimit,limit:5,time:5 second`).statedRate).toEqual({
      limit: 5,
      periodMs: 5000,
    });
  });
});

describe('huaweiCloud envelopes', () => {
  test('reads the nested {error: {code, message}} form', () => {
    const verdict = failure(
      classify(huaweiCloud, {
        status: 429,
        headers: {'x-request-id': 'req-nested'},
        body: {error: {code: 'APIG.0308', message: 'policy ip over ratelimit,limit:5,time:5 second'}},
      }),
    );
    expect(verdict).toMatchObject({
      action: 'throttle',
      code: 'APIGW.0308',
      statedDelayMs: 5000,
      requestId: 'req-nested',
      message: 'policy ip over ratelimit,limit:5,time:5 second',
    });
  });

  test('the nested form carries Octopus codes as well', () => {
    const verdict = failure(
      classify(huaweiCloud, {status: 500, body: {error: {code: 'octopus.202213', message: 'Data repeat'}}}),
    );
    expect(verdict).toMatchObject({action: 'fail', category: 'conflict', code: 'octopus.202213'});
  });

  // The SDK core reads the request id from the X-Request-Id header only (`_formatExceptionResponse`).
  test('the X-Request-Id header wins over the body request_id', () => {
    const verdict = failure(
      classify(huaweiCloud, {
        status: 401,
        headers: {'x-request-id': 'from-header'},
        body: {error_code: 'APIGW.0307', error_msg: 'The token must be updated.', request_id: 'from-body'},
      }),
    );
    expect(verdict.requestId).toBe('from-header');
  });

  test('a null error_msg falls back on the row message', () => {
    const verdict = failure(
      classify(huaweiCloud, {status: 500, body: {error_code: 'octopus.000002', error_msg: null}}),
    );
    expect(verdict).toMatchObject({action: 'retry', message: 'Internal server error'});
  });

  test.each([
    ['APIG.0308', 'APIGW.0308'],
    ['APIGW.0308', 'APIGW.0308'],
    ['octopus.000102', 'octopus.000102'],
    ['APIG.030', 'APIG.030'],
    ['XAPIG.0308', 'XAPIG.0308'],
    [42, 42],
  ])('normalizes %s to %s', (wire, key) => {
    expect(normalizeHuaweiCode(wire)).toBe(key);
  });

  test.each([
    ['https://octopus.cn-south-1.myhuaweicloud.com/v1.0/p/data/packages', true],
    ['https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens', true],
    ['https://apig.example.huaweicloud.com/', true],
    ['https://myhuaweicloud.com.evil.test/', false],
    ['https://evilhuaweicloud.com/', false],
    ['not a url', false],
  ])('matches the host of %s: %s', (url, matches) => {
    expect(matchesVendor(huaweiCloud, url)).toBe(matches);
  });
});

describe('huaweiCloud awkward responses', () => {
  const gatewayPage =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>';

  test.each([
    ['an HTML 502 page from the gateway', 502, gatewayPage, {action: 'retry', category: 'transient'}],
    [
      'an HTML 504 page',
      504,
      gatewayPage.replaceAll('502 Bad Gateway', '504 Gateway Time-out'),
      {action: 'retry'},
    ],
    ['an empty body on a 503', 503, '', {action: 'retry', category: 'transient'}],
    ['no body on a 500', 500, undefined, {action: 'retry', category: 'server'}],
    ['no body on a 429', 429, undefined, {action: 'throttle', category: 'rate_limited', processed: false}],
    ['no body on a 401', 401, undefined, {action: 'fail', category: 'auth'}],
    ['JSON that is no envelope', 400, {message: 'oops'}, {action: 'fail', category: 'validation'}],
    ['a JSON array', 500, [], {action: 'retry', category: 'server'}],
    [
      'truncated JSON',
      400,
      '{"error_code":"octopus.202101","error_',
      {action: 'fail', category: 'validation'},
    ],
    ['plain text', 503, 'Service Unavailable', {action: 'retry', category: 'transient'}],
  ] as const)('%s is decided by its status, without a code', (_name, status, body, expected) => {
    const verdict = failure(classify(huaweiCloud, {status, body}));
    expect(verdict).toMatchObject({status, ...expected});
    expect(verdict.code).toBeUndefined();
  });

  test('an unknown Octopus code falls back on its status and keeps the code', () => {
    const verdict = failure(
      classify(huaweiCloud, {status: 409, body: {error_code: 'octopus.999999', error_msg: 'new'}}),
    );
    expect(verdict).toMatchObject({action: 'fail', category: 'conflict', code: 'octopus.999999'});
  });

  test('an unknown gateway code is reported under the APIGW prefix and decided by status', () => {
    const verdict = failure(classify(huaweiCloud, {status: 503, body: {error_code: 'APIG.0999'}}));
    expect(verdict).toMatchObject({action: 'retry', category: 'transient', code: 'APIGW.0999'});
  });

  test('never reads a successful body, so large downloads stream untouched', () => {
    expect(
      huaweiCloud.inspect?.({status: 200, headers: new Headers(), url: 'https://x', method: 'GET'}),
    ).toBe(false);
  });
});

const PREFIX = 'https://octopus.cn-south-1.myhuaweicloud.com/v1.0/project-1/';

/** Answers with the next response of the list, the last one forever; counts requests. */
const sequence = (method: 'get' | 'post' | 'delete', path: string, responses: (() => Response)[]) => {
  let count = 0;
  server.use(
    http[method](`${PREFIX}${path}`, () => {
      const next = responses[Math.min(count, responses.length - 1)];
      count++;
      if (next === undefined) throw new Error('empty sequence');
      return next();
    }),
  );
  return {requests: () => count};
};

const huaweiError =
  (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json({error_code: code, error_msg: message}, {status, headers});
const ok = () =>
  HttpResponse.json({payload: {id: 'pkg-1'}, meta_info: {current_time: '2026-01-01T08:08:29Z'}});

const client = (maxWaitMs = 5) => {
  const retries: RetryEvent[] = [];
  const api = ky.create({
    prefix: PREFIX,
    ...withVendor(huaweiCloud, {
      limiter: false,
      maxWaitMs,
      random: () => 0,
      onRetry: (event) => retries.push(event),
    }),
  });
  return {api, retries};
};

describe('huaweiCloud through ky', () => {
  test('retries APIGW.0308 on a GET and plans a wait of the whole rate window', async () => {
    const window =
      'The throttling threshold has been reached: policy ip over ratelimit,limit:5,time:5 second';
    const calls = sequence('get', 'data/packages', [huaweiError(429, 'APIG.0308', window), ok]);
    const {api, retries} = client(10_000);
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    try {
      const outcome = await settleWithFakeTime(api.get('data/packages').json(), 500, 40);
      expect(outcome.value).toMatchObject({payload: {id: 'pkg-1'}});
    } finally {
      vi.useRealTimers();
    }
    expect(calls.requests()).toBe(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.verdict).toMatchObject({code: 'APIGW.0308', statedDelayMs: 5000});
    expect(retries[0]?.delayMs).toBe(5000);
  });

  test('a stated window longer than maxWaitMs fails at once with its retryAt', async () => {
    const window =
      'The throttling threshold has been reached: policy ip over ratelimit,limit:5,time:5 second';
    const calls = sequence('get', 'data/packages', [huaweiError(429, 'APIG.0308', window), ok]);
    const {api, retries} = client();
    const started = Date.now();
    const error = await api.get('data/packages').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(((error as RateLimitError).retryAt?.getTime() ?? 0) - started).toBeGreaterThanOrEqual(4900);
    expect(calls.requests()).toBe(1);
    expect(retries).toHaveLength(0);
  });

  test('never resends APIGW.0301: one request, then AuthError', async () => {
    const calls = sequence('get', 'data/packages', [
      huaweiError(401, 'APIG.0301', 'Incorrect IAM authentication information: verify aksk signature fail'),
      ok,
    ]);
    const {api, retries} = client();
    const error = await api.get('data/packages').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({code: 'APIGW.0301', status: 401, attempts: 1});
    expect(calls.requests()).toBe(1);
    expect(retries).toHaveLength(0);
  });

  test('retries octopus.202101 though it comes as a 400', async () => {
    const calls = sequence('get', 'data/jobs', [
      huaweiError(400, 'octopus.202101', 'Cce interface error'),
      ok,
    ]);
    const {api, retries} = client();
    await expect(api.get('data/jobs').json()).resolves.toMatchObject({payload: {id: 'pkg-1'}});
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({code: 'octopus.202101', status: 400, category: 'transient'});
  });

  test('does not retry octopus.202213 though it comes as a 500: ConflictError', async () => {
    const calls = sequence('get', 'data/jobs', [huaweiError(500, 'octopus.202213', 'Data repeat'), ok]);
    const {api} = client();
    const error = await api.get('data/jobs').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({code: 'octopus.202213', status: 500, attempts: 1});
    expect(calls.requests()).toBe(1);
  });

  test('resends a POST after octopus.202230: the throttled request was not processed', async () => {
    const calls = sequence('post', 'sim/sm/maps', [
      huaweiError(429, 'octopus.202230', 'Too many request exceeds the threshold'),
      ok,
    ]);
    const {api, retries} = client();
    await expect(api.post('sim/sm/maps', {json: {name: 'map'}}).json()).resolves.toBeDefined();
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({processed: false, defaultDelayMs: 2000});
  });

  test('does not resend a POST after an Octopus 500 whose outcome is unknown', async () => {
    const calls = sequence('post', 'sim/sm/maps', [
      huaweiError(500, 'octopus.000002', 'Internal server error'),
      ok,
    ]);
    const {api} = client();
    await expect(api.post('sim/sm/maps', {json: {}})).rejects.toBeInstanceOf(ServerError);
    expect(calls.requests()).toBe(1);
  });

  test('a busy job on a plain request throws NotReadyError with the 5 s hint', async () => {
    const calls = sequence('get', 'data/jobs/1', [
      huaweiError(403, 'octopus.109004', 'The job status is abnormal'),
    ]);
    const {api} = client();
    const error = await api.get('data/jobs/1').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(NotReadyError);
    expect(error).toMatchObject({code: 'octopus.109004', delayMs: 5000});
    expect(calls.requests()).toBe(1);
  });

  test('a resource in use is retried within the limit, then ConflictError', async () => {
    const calls = sequence('delete', 'data/packages/1', [
      huaweiError(409, 'octopus.400009', '您请求的资源已经被占用,或存在关联资源'),
    ]);
    const {api} = client();
    const error = await api.delete('data/packages/1').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({code: 'octopus.400009', attempts: 5});
    expect(calls.requests()).toBe(5);
  });

  test('classifies a JSON error sent with a wrong content type', async () => {
    const calls = sequence('get', 'data/jobs', [
      () =>
        new HttpResponse(JSON.stringify({error_code: 'octopus.202213', error_msg: 'Data repeat'}), {
          status: 500,
          headers: {'content-type': 'text/html; charset=utf-8'},
        }),
    ]);
    const {api} = client();
    await expect(api.get('data/jobs')).rejects.toBeInstanceOf(ConflictError);
    expect(calls.requests()).toBe(1);
  });

  test('retries a GET after the gateway HTML 502 page', async () => {
    const calls = sequence('get', 'data/jobs', [
      () =>
        new HttpResponse('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', {
          status: 502,
          headers: {'content-type': 'text/html'},
        }),
      ok,
    ]);
    const {api, retries} = client();
    await expect(api.get('data/jobs').json()).resolves.toBeDefined();
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({status: 502, category: 'transient'});
    expect(retries[0]?.verdict.code).toBeUndefined();
  });

  test('reports the X-Request-Id header when the body has no request_id', async () => {
    sequence('get', 'data/packages', [
      huaweiError(401, 'octopus.000102', 'The request token expires', {'x-request-id': 'req-7b1e'}),
    ]);
    const {api} = client();
    await expect(api.get('data/packages')).rejects.toMatchObject({
      name: 'AuthError',
      code: 'octopus.000102',
      requestId: 'req-7b1e',
    });
  });

  test('isVendorError narrows the code to the Huawei union', async () => {
    sequence('get', 'data/packages', [huaweiError(401, 'APIGW.0307', 'The token must be updated.')]);
    const {api} = client();
    const error = await api.get('data/packages').catch((error_: unknown) => error_);
    expect(isVendorError(error, huaweiCloud)).toBe(true);
    if (isVendorError(error, huaweiCloud)) {
      expectTypeOf(error.code).toEqualTypeOf<CodeOf<typeof huaweiCloud> | undefined>();
      expectTypeOf<'APIGW.0308'>().toExtend<CodeOf<typeof huaweiCloud>>();
      expectTypeOf<'octopus.202230'>().toExtend<CodeOf<typeof huaweiCloud>>();
      // Open: codes the table does not know still type-check; the known ones stay literal.
      expectTypeOf<'APIG.0308'>().toExtend<CodeOf<typeof huaweiCloud>>();
      expectTypeOf<'APIG.0308'>().not.toExtend<KnownCodeOf<typeof huaweiCloud>>();
      expectTypeOf<'APIGW.0308'>().toExtend<KnownCodeOf<typeof huaweiCloud>>();
      expect(error.code).toBe('APIGW.0307');
    }
  });
});
