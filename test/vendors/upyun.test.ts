import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {afterEach, describe, expect, expectTypeOf, test, vi} from 'vitest';
import {codeNotes} from '../../scripts/code-notes.ts';
import {statusRule} from '../../src/classify/default-status-rules.ts';
import {
  AuthError,
  type CodeOf,
  ConflictError,
  classify,
  type FailureVerdict,
  type GiveUpEvent,
  isVendorError,
  matchesVendor,
  NotFoundError,
  QuotaError,
  RateLimitError,
  type RetryEvent,
  type Rule,
  ServerError,
  type VendorOptions,
  withVendor,
} from '../../src/index.ts';
import {upyunCodes} from '../../src/vendors/upyun/codes.ts';
import {upyun} from '../../src/vendors/upyun/upyun.ts';
import {server} from '../helpers/server.ts';

const REQUEST_ID = '11e4a729d24943409933a5e8314cd32e';

const notes = codeNotes('upyun');
const rows = (Object.entries(upyunCodes) as [string, Rule & {status: number; message: string}][]).map(
  ([key, rule]) => ({code: Number(key), action: rule.action, category: rule.category, rule}),
);

/** The verdict a row must produce: exactly these fields, nothing more. */
const expectedVerdict = (code: number, rule: Rule & {status: number}, message: string | undefined) => ({
  vendor: 'upyun',
  action: rule.action,
  category: rule.category,
  code,
  status: rule.status,
  requestId: REQUEST_ID,
  ...(message === undefined ? {} : {message}),
  ...(rule.delayMs === undefined ? {} : {defaultDelayMs: rule.delayMs}),
  ...(rule.minDelayMs === undefined ? {} : {minDelayMs: rule.minDelayMs}),
  ...(rule.processed === undefined ? {} : {processed: rule.processed}),
});

describe('upyun code table', () => {
  test('holds a row for each of the 254 seed codes plus 42900003', () => {
    expect(rows).toHaveLength(255);
  });

  test.each(rows)('$code: the first three digits are the documented status', ({code, rule}) => {
    expect(rule.status).toBe(Math.floor(code / 100_000));
    expect(upyun.codeStatus?.(code, 200)).toBe(rule.status);
    expect(rule.message.length).toBeGreaterThan(0);
  });

  test('every row that departs from its status says why in a one-line note', () => {
    const unexplained = rows.filter(({code, rule}) => {
      const defaults = [statusRule(rule.status, undefined), statusRule(rule.status, upyun.statuses)];
      const departs = defaults.some(
        (fallback) => fallback?.action !== rule.action || fallback.category !== rule.category,
      );
      const note = notes.get(String(code));
      return departs && !(typeof note === 'string' && /^[^\n]{10,200}$/.test(note));
    });
    expect(unexplained.map(({code}) => code)).toEqual([]);
  });

  test.each([
    [40001045, 'fail', 'not_found', undefined],
    [40001055, 'fail', 'conflict', undefined],
    [40100005, 'fail', 'auth', undefined],
    [40100012, 'fail', 'not_found', undefined],
    [40100014, 'fail', 'not_found', undefined],
    [40100021, 'fail', 'quota', undefined],
    [40300004, 'fail', 'quota', undefined],
    [40300005, 'fail', 'conflict', undefined],
    [40300006, 'fail', 'auth', undefined],
    [40300009, 'fail', 'validation', undefined],
    [40300011, 'fail', 'permission', undefined],
    [40400001, 'fail', 'not_found', undefined],
    [40400002, 'fail', 'validation', undefined],
    [40600002, 'fail', 'conflict', undefined],
    [40800001, 'retry', 'transient', undefined],
    [41200001, 'fail', 'conflict', undefined],
    [41300001, 'fail', 'validation', undefined],
    [41500001, 'fail', 'validation', undefined],
    [42900001, 'throttle', 'rate_limited', 1000],
    [42900002, 'throttle', 'rate_limited', 1000],
    [42900003, 'throttle', 'rate_limited', 1000],
    [42900004, 'fail', 'quota', undefined],
    [42900005, 'throttle', 'rate_limited', 5000],
    [42900006, 'fail', 'auth', undefined],
    [42900007, 'retry', 'transient', 1000],
    [42900008, 'throttle', 'rate_limited', 1000],
    [44400003, 'retry', 'transient', undefined],
    [50300000, 'retry', 'transient', undefined],
    [50300007, 'retry', 'transient', 1000],
    [50300013, 'retry', 'transient', undefined],
    [50300032, 'fail', 'server', undefined],
    [50300040, 'fail', 'server', undefined],
    [59900001, 'retry', 'transient', undefined],
  ] as const)('%i is %s/%s (wait %s ms)', (code, action, category, delayMs) => {
    const row: Rule = upyunCodes[code];
    expect({action: row.action, category: row.category, delayMs: row.delayMs ?? row.minDelayMs}).toEqual({
      action,
      category,
      delayMs,
    });
  });

  test('42900007 is refused before any effect, so even a POST may be resent', () => {
    expect(upyunCodes[42900007].processed).toBe(false);
  });

  test.each([42900004, 42900006, 50300032, 50300040] as const)('%i is never retried', (code) => {
    expect(upyunCodes[code].action).toBe('fail');
  });

  test.each([
    40001030, 40001031, 40001035, 40001036, 40001037, 40011058, 40011059, 40011060, 40011061, 40011062,
  ] as const)('multipart code %i fails here and names what the multipart upload does', (code) => {
    const row: Rule = upyunCodes[code];
    expect(row.action).toBe('fail');
    expect(['validation', 'conflict']).toContain(row.category);
    expect(notes.get(String(code))).toMatch(/multipart upload (resyncs|skips|restarts|counts)/);
  });
});

describe('classify(upyun) for every row', () => {
  test.each(rows)('$code in a JSON body gives $action/$category', ({code, rule}) => {
    const verdict = classify(upyun, {
      status: rule.status,
      headers: {},
      body: {msg: rule.message, code, id: REQUEST_ID},
    });
    expect(verdict).toEqual(expectedVerdict(code, rule, rule.message));
  });

  test.each(rows)('$code in X-Error-Code with no body (HEAD) gives $action/$category', ({code, rule}) => {
    const verdict = classify(upyun, {
      status: rule.status,
      headers: {'X-Error-Code': String(code), 'X-Request-Id': REQUEST_ID},
    });
    // No body message: the row's documented message stands in.
    expect(verdict).toEqual(expectedVerdict(code, rule, rule.message));
  });
});

describe('unknown UPYUN codes fall back on their first three digits', () => {
  test.each([
    [42900099, 'throttle', 'rate_limited'],
    [40499999, 'fail', 'not_found'],
    [40001999, 'fail', 'validation'],
    [40199999, 'fail', 'auth'],
    [40399999, 'fail', 'permission'],
    [40699999, 'fail', 'conflict'],
    [44499999, 'retry', 'transient'],
    [50099999, 'retry', 'server'],
    [50399999, 'retry', 'transient'],
    [59999999, 'retry', 'transient'],
  ] as const)('%i → %s/%s', (code, action, category) => {
    const status = Math.floor(code / 100_000);
    const fromBody = classify(upyun, {status, body: {msg: 'something new', code, id: REQUEST_ID}});
    expect(fromBody).toMatchObject({action, category, code, status, message: 'something new'});
    const fromHeader = classify(upyun, {status, headers: {'x-error-code': String(code)}});
    expect(fromHeader).toMatchObject({action, category, code, status});
  });

  test('the digits win over a different HTTP status', () => {
    expect(classify(upyun, {status: 500, body: {msg: 'new throttle', code: 42900099}})).toMatchObject({
      action: 'throttle',
      category: 'rate_limited',
      status: 500,
    });
  });

  test('a known code wins over a different HTTP status', () => {
    expect(classify(upyun, {status: 503, body: {msg: 'request banned', code: 42900004}})).toMatchObject({
      action: 'fail',
      category: 'quota',
      code: 42900004,
    });
  });

  test.each([
    [40001999, 400],
    ['42900007', 429],
    [59900001, 599],
    [1234, undefined],
    ['abc', undefined],
    [99999999, undefined],
    [123456789, undefined],
  ])('codeStatus(%s) is %s', (code, status) => {
    expect(upyun.codeStatus?.(code, 200)).toBe(status);
  });

  // Bodies the envelope once refused (code neither number nor string) or whose code `wireCode`
  // refuses: no evidence from the body, so the header's code and the status decide, as without it.
  test.each([
    {code: true, msg: 'request banned'},
    {code: null, msg: 'request banned'},
    {code: {}, msg: 'request banned'},
    {code: [42900004], msg: 'request banned'},
    {code: -1, msg: 'request banned'},
    {code: 1.5, msg: 'request banned'},
    {code: '4290a004', msg: 'request banned'},
    {msg: 'request banned', id: 'abc'},
    {},
  ])('a body with code %j gives no evidence', (body) => {
    for (const headers of [{}, {'x-error-code': '42900001', 'x-request-id': 'r1'}]) {
      expect(classify(upyun, {status: 503, headers, body})).toStrictEqual(
        classify(upyun, {status: 503, headers}),
      );
    }
  });

  test('a code that is not eight digits falls back on the HTTP status', () => {
    expect(classify(upyun, {status: 404, body: {msg: 'odd', code: 7}})).toMatchObject({
      action: 'fail',
      category: 'not_found',
      code: 7,
    });
  });
});

/** The realistic responses of research notes §2.9, bodies as the raw text on the wire. */
const fixtures: readonly {
  readonly name: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly expected: Partial<FailureVerdict> | {action: 'ok'};
}[] = [
  {
    name: 'UP-1 throttled',
    status: 429,
    headers: {
      'Content-Type': 'application/json',
      'X-Request-Id': '87667a942631f57e748d741b15ebdd5e',
      'X-Error-Code': '42900001',
    },
    body: '{"msg":"too many requests","code":42900001,"id":"87667a942631f57e748d741b15ebdd5e"}',
    expected: {
      action: 'throttle',
      category: 'rate_limited',
      code: 42900001,
      message: 'too many requests',
      requestId: '87667a942631f57e748d741b15ebdd5e',
      defaultDelayMs: 1000,
      processed: false,
    },
  },
  {
    name: 'UP-2 concurrent write on the same key',
    status: 429,
    headers: {'X-Error-Code': '42900007'},
    body: '{"msg":"concurrent put or delete","code":42900007,"id":"5b0c6a9e0f6d4c2b8e2f3a1d9c7b6a54"}',
    expected: {
      action: 'retry',
      category: 'transient',
      code: 42900007,
      requestId: '5b0c6a9e0f6d4c2b8e2f3a1d9c7b6a54',
      minDelayMs: 1000,
      processed: false,
    },
  },
  {
    name: 'UP-3 same file modified within 1 s',
    status: 503,
    headers: {'X-Error-Code': '50300007'},
    body: '{"msg":"capture file from fs error","code":50300007,"id":"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}',
    expected: {action: 'retry', category: 'transient', code: 50300007, minDelayMs: 1000},
  },
  {
    name: 'UP-4 file changed during upload',
    status: 400,
    headers: {'X-Error-Code': '40001055'},
    body: '{"msg":"record has been changed","code":40001055,"id":"9f8e7d6c5b4a39281706f5e4d3c2b1a0"}',
    expected: {action: 'fail', category: 'conflict', code: 40001055, message: 'record has been changed'},
  },
  {
    name: 'UP-5 not found (doc example)',
    status: 404,
    headers: {},
    body: '{"msg": "file or directory not found", "code": 40400001, "id": "11e4a729d24943409933a5e8314cd32e"}',
    expected: {action: 'fail', category: 'not_found', code: 40400001, requestId: REQUEST_ID},
  },
  {
    name: 'UP-5 not found on HEAD, no body',
    status: 404,
    headers: {'X-Error-Code': '40400001', 'X-Request-Id': REQUEST_ID},
    body: undefined,
    expected: {
      action: 'fail',
      category: 'not_found',
      code: 40400001,
      requestId: REQUEST_ID,
      message: 'file or directory not found',
    },
  },
  {
    name: 'UP-6 signature error',
    status: 401,
    headers: {},
    body: '{"msg":"signature error","code":40100005,"id":"3c9d2e1f0a4b5c6d7e8f9a0b1c2d3e4f"}',
    expected: {
      action: 'fail',
      category: 'auth',
      code: 40100005,
      message: 'signature error',
      processed: false,
    },
  },
  {
    name: 'UP-6 clock skew',
    status: 401,
    headers: {},
    body: '{"msg":"date offset error","code":40100002,"id":"4d0e3f2a1b5c6d7e8f9a0b1c2d3e4f5a"}',
    expected: {action: 'fail', category: 'auth', code: 40100002, message: 'date offset error'},
  },
  {
    name: 'UP-7 multipart initiate OK',
    status: 204,
    headers: {'x-upyun-multi-uuid': '8d1f2e3a-4b5c-6d7e-8f90-a1b2c3d4e5f6', 'x-upyun-next-part-id': '0'},
    body: undefined,
    expected: {action: 'ok'},
  },
  {
    name: 'UP-8 multipart part-id mismatch with resync header',
    status: 400,
    headers: {'X-Error-Code': '40011061', 'x-upyun-next-part-id': '5'},
    body: '{"msg":"part id error","code":40011061,"id":"5e1f4a3b2c6d7e8f9a0b1c2d3e4f5a6b"}',
    expected: {action: 'fail', category: 'conflict', code: 40011061, message: 'part id error'},
  },
  {
    name: 'UP-9 multipart complete, new file',
    status: 201,
    headers: {
      'x-upyun-multi-uuid': '8d1f2e3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
      'x-upyun-multi-type': 'video/mp4',
      'x-upyun-multi-length': '10485760',
    },
    body: undefined,
    expected: {action: 'ok'},
  },
];

describe('research fixtures UP-1 … UP-9', () => {
  test.each(fixtures)('$name', ({status, headers, body, expected}) => {
    const verdict = classify(upyun, {status, headers, body});
    if (expected.action === 'ok') {
      expect(verdict).toEqual({vendor: 'upyun', action: 'ok'});
    } else {
      expect(verdict).toMatchObject({vendor: 'upyun', status, ...expected});
    }
  });

  test.each(fixtures)('$name: a successful answer is never read for a hidden error', ({status, headers}) => {
    const head = {status, headers: new Headers(headers), url: 'https://v0.api.upyun.com/b/f', method: 'PUT'};
    expect(upyun.inspect?.(head)).toBe(false);
  });
});

describe('awkward inputs', () => {
  const gatewayPage =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

  test('an HTML 502 page from a gateway is a transient failure without a code', () => {
    const verdict = classify(upyun, {status: 502, headers: {'content-type': 'text/html'}, body: gatewayPage});
    expect(verdict).toEqual({
      vendor: 'upyun',
      action: 'retry',
      category: 'transient',
      status: 502,
      message: 'Bad Gateway',
    });
  });

  test('an HTML page still yields the code of X-Error-Code', () => {
    const verdict = classify(upyun, {status: 503, headers: {'X-Error-Code': '50300007'}, body: gatewayPage});
    expect(verdict).toMatchObject({action: 'retry', code: 50300007, minDelayMs: 1000});
  });

  test.each([
    [404, 'fail', 'not_found', 'Not Found'],
    [429, 'throttle', 'rate_limited', 'Too Many Requests'],
    [503, 'retry', 'transient', 'Service Unavailable'],
  ] as const)('an empty %i body is classified by status', (status, action, category, message) => {
    const verdict = classify(upyun, {status, headers: {}, body: ''});
    expect(verdict).toEqual({
      vendor: 'upyun',
      action,
      category,
      status,
      message,
      ...(status === 429 ? {processed: false} : {}),
    });
  });

  test('a JSON body sent as text/plain is still read', () => {
    const verdict = classify(upyun, {
      status: 429,
      headers: {'content-type': 'text/plain'},
      body: '{"msg":"bandwidth limit","code":42900005,"id":"x"}',
    });
    expect(verdict).toMatchObject({action: 'throttle', code: 42900005, defaultDelayMs: 5000, requestId: 'x'});
  });

  test('a plain-text body sent as JSON is classified by status', () => {
    const verdict = classify(upyun, {
      status: 429,
      headers: {'content-type': 'application/json'},
      body: 'too many requests',
    });
    expect(verdict).toMatchObject({action: 'throttle', category: 'rate_limited'});
    expect(verdict).not.toHaveProperty('code');
  });

  test.each([
    ['another error shape', {error: 'quota exceeded', code: 'E_QUOTA'}],
    ['an array', [{msg: 'x', code: 40300004}]],
    ['null', null],
    ['a number', 42],
    ['a fractional code', {msg: 'x', code: 40300004.5}],
    ['a negative code', {msg: 'x', code: -40300004}],
  ])('JSON that is not the envelope (%s) is classified by status', (_, body) => {
    const verdict = classify(upyun, {status: 403, headers: {}, body});
    expect(verdict).toEqual({
      vendor: 'upyun',
      action: 'fail',
      category: 'permission',
      status: 403,
      message: 'Forbidden',
      processed: false,
    });
  });

  test('JSON that is not the envelope falls back on X-Error-Code', () => {
    const verdict = classify(upyun, {
      status: 403,
      headers: {'X-Error-Code': '40300004'},
      body: {message: 'bucket is full'},
    });
    expect(verdict).toMatchObject({action: 'fail', category: 'quota', code: 40300004});
  });

  test.each([
    ['42900001', 42900001, 'throttle'],
    [' 42900004 ', 42900004, 'fail'],
  ])('a code sent as the string %j is read as the number %i', (wire, code, action) => {
    const verdict = classify(upyun, {status: 429, body: {msg: 'm', code: wire, id: REQUEST_ID}});
    expect(verdict).toMatchObject({action, code, requestId: REQUEST_ID});
  });

  test('a msg or id of the wrong type does not hide the code', () => {
    const verdict = classify(upyun, {status: 404, body: {msg: 404, code: 40400001, id: 12}});
    expect(verdict).toMatchObject({
      category: 'not_found',
      code: 40400001,
      message: 'file or directory not found',
    });
    expect(verdict).not.toHaveProperty('requestId');
  });

  test('the body code wins over a disagreeing X-Error-Code', () => {
    const verdict = classify(upyun, {
      status: 429,
      headers: {'X-Error-Code': '42900001'},
      body: {msg: 'request banned', code: 42900004},
    });
    expect(verdict).toMatchObject({action: 'fail', category: 'quota', code: 42900004});
  });

  test.each(['abc', '4290000', '429000011', ''])('an X-Error-Code of %j is ignored', (value) => {
    const verdict = classify(upyun, {status: 429, headers: {'X-Error-Code': value}});
    expect(verdict).toMatchObject({action: 'throttle', category: 'rate_limited'});
    expect(verdict).not.toHaveProperty('code');
  });

  test('X-Request-Id stands in for a body without id', () => {
    const verdict = classify(upyun, {
      status: 404,
      headers: {'X-Request-Id': REQUEST_ID},
      body: {msg: 'file or directory not found', code: 40400001},
    });
    expect(verdict).toMatchObject({requestId: REQUEST_ID});
  });

  test('a message echoing an UPYUN signature is redacted', () => {
    const verdict = classify(upyun, {
      status: 401,
      body: {msg: 'signature error for UPYUN operator123:YUaAZX+WNAcJdNGHS5SBlITME5A=', code: 40100005},
    });
    expect(JSON.stringify(verdict)).not.toContain('YUaAZX');
    expect(verdict).toMatchObject({code: 40100005, category: 'auth'});
  });

  test('a 200 without a body is success', () => {
    expect(classify(upyun, {status: 200, headers: {}})).toEqual({vendor: 'upyun', action: 'ok'});
  });
});

test.each([
  ['https://v0.api.upyun.com/bucket/a.txt', true],
  ['https://v3.api.upyun.com/bucket/a.txt', true],
  ['http://v2.api.upyun.com/', true],
  ['https://v4.api.upyun.com/bucket', false],
  ['https://api.upyun.com.evil.test/bucket', false],
])('matchesVendor(upyun, %s) is %s', (url, expected) => {
  expect(matchesVendor(upyun, url)).toBe(expected);
});

const UPYUN = 'https://v0.api.upyun.com';

/** `fast` clamps every wait to 1 ms; the waits UPYUN asks for are then checked on the verdicts. */
const client = (options: VendorOptions = {}, {fast = true} = {}) => {
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const api = ky.create({
    prefix: `${UPYUN}/bucket`,
    ...withVendor(upyun, {
      limiter: false,
      random: () => 0,
      ...(fast ? {maxWaitMs: 1} : {}),
      onRetry: (event) => retries.push(event),
      onGiveUp: (event) => giveUps.push(event),
      ...options,
    }),
  });
  return {api, retries, giveUps};
};

/** Answers each request with the next response of the list, the last one forever; counts requests. */
const sequence = (method: 'get' | 'head' | 'put' | 'post', path: string, responses: (() => Response)[]) => {
  let count = 0;
  server.use(
    http[method](`${UPYUN}${path}`, () => {
      const next = responses[Math.min(count, responses.length - 1)];
      count++;
      if (next === undefined) throw new Error('empty sequence');
      return next();
    }),
  );
  return {requests: () => count};
};

const upyunError = (status: number, code: number, msg: string) => () =>
  HttpResponse.json(
    {msg, code, id: REQUEST_ID},
    {status, headers: {'X-Error-Code': String(code), 'X-Request-Id': REQUEST_ID}},
  );
const ok = () => new HttpResponse(null, {status: 200});

describe('withVendor(upyun)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('retries a throttled PUT (42900001) and succeeds', async () => {
    const throttled = upyunError(429, 42900001, 'too many requests');
    const calls = sequence('put', '/bucket/a.txt', [throttled, throttled, ok]);
    const {api, retries} = client();
    const response = await api.put('a.txt', {body: 'hello'});
    expect(response.status).toBe(200);
    expect(calls.requests()).toBe(3);
    expect(retries.map(({attempt, verdict}) => [attempt, verdict.code, verdict.defaultDelayMs])).toEqual([
      [1, 42900001, 1000],
      [2, 42900001, 1000],
    ]);
  });

  test('keeps a throttled batch going for five retries before giving up', async () => {
    const calls = sequence('put', '/bucket/a.txt', [upyunError(429, 42900001, 'too many requests')]);
    const {api, giveUps} = client();
    const error = await api.put('a.txt', {body: 'x'}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({attempts: 6, code: 42900001, requestId: REQUEST_ID});
    expect(calls.requests()).toBe(6);
    expect(giveUps[0]?.reason).toBe('exhausted');
  });

  test('never resends after 42900004 (banned) and narrows the code', async () => {
    const calls = sequence('put', '/bucket/a.txt', [upyunError(429, 42900004, 'request banned'), ok]);
    const {api, retries, giveUps} = client();
    const error = await api.put('a.txt', {body: 'x'}).catch((error_: unknown) => error_);
    expect(calls.requests()).toBe(1);
    expect(retries).toEqual([]);
    expect(giveUps[0]?.reason).toBe('fail');
    expect(error).toBeInstanceOf(QuotaError);
    expect(isVendorError(error, upyun)).toBe(true);
    if (!isVendorError(error, upyun)) return;
    expectTypeOf(error.code).toEqualTypeOf<CodeOf<typeof upyun> | undefined>();
    expectTypeOf<42900004>().toExtend<NonNullable<typeof error.code>>();
    // Open to codes the table does not know (vendors add codes before documents list them).
    expectTypeOf<42900099>().toExtend<NonNullable<typeof error.code>>();
    expect(error.code).toBe(42900004);
    expect(error).toMatchObject({category: 'quota', status: 429, attempts: 1, requestId: REQUEST_ID});
  });

  test.each([
    [42900006, 429, 'too many auth check', AuthError],
    [50300040, 503, 'wrong config', ServerError],
    [40001055, 400, 'record has been changed', ConflictError],
  ] as const)('never resends after %i', async (code, status, msg, ErrorClass) => {
    const calls = sequence('put', '/bucket/a.txt', [upyunError(status, code, msg), ok]);
    const {api} = client();
    const error = await api.put('a.txt', {body: 'x'}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({code, attempts: 1});
    expect(calls.requests()).toBe(1);
  });

  test('resends a POST after 42900007: the concurrent write was refused, not applied', async () => {
    const calls = sequence('post', '/bucket', [upyunError(429, 42900007, 'concurrent put or delete'), ok]);
    // The 1 s rule is a hard floor: a maxWaitMs below it would fail at once, so a real second passes.
    const {api, retries} = client({}, {fast: false});
    const response = await api.post('', {body: 'form'});
    expect(response.status).toBe(200);
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({code: 42900007, processed: false, minDelayMs: 1000});
    expect(retries[0]?.delayMs).toBe(1000);
  });

  test('does not resend a POST after 50300013, whose outcome is unknown', async () => {
    const calls = sequence('post', '/bucket', [upyunError(503, 50300013, 'put file capture timeout'), ok]);
    const {api, giveUps} = client();
    const error = await api.post('', {body: 'form'}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('not-idempotent');
  });

  test('waits at least 1 s after 50300007 before writing the same file again', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    const calls = sequence('put', '/bucket/a.txt', [
      upyunError(503, 50300007, 'capture file from fs error'),
      ok,
    ]);
    // The default maxWaitMs: the planned wait is UPYUN's own, and fake time stands in for it.
    const {api, retries} = client({}, {fast: false});
    const pending = api.put('a.txt', {body: 'x'});
    for (let turn = 0; turn < 200 && retries.length === 0; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(retries).toHaveLength(1);
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    expect(retries[0]?.verdict).toMatchObject({code: 50300007, minDelayMs: 1000});
    await vi.advanceTimersByTimeAsync(999);
    expect(calls.requests()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(calls.requests()).toBe(2);
  });

  test('reads the code of a bodiless HEAD from X-Error-Code', async () => {
    sequence('head', '/bucket/missing.txt', [
      () =>
        new HttpResponse(null, {
          status: 404,
          headers: {'X-Error-Code': '40400001', 'X-Request-Id': REQUEST_ID},
        }),
    ]);
    const {api} = client();
    const error = await api.head('missing.txt').catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      code: 40400001,
      requestId: REQUEST_ID,
      message: expect.stringContaining('40400001'),
    });
  });

  test('retries a GET after an HTML 502 page from a gateway', async () => {
    const page = () =>
      new HttpResponse('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', {
        status: 502,
        headers: {'content-type': 'text/html'},
      });
    const calls = sequence('get', '/bucket/a.txt', [page, () => new HttpResponse('content')]);
    const {api, retries} = client();
    await expect(api.get('a.txt').text()).resolves.toBe('content');
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({category: 'transient', status: 502});
  });

  test('reads a JSON error sent as text/plain', async () => {
    const calls = sequence('get', '/bucket/a.txt', [
      () =>
        new HttpResponse('{"msg":"too many requests of the same uri","code":42900002,"id":"abc"}', {
          status: 429,
          headers: {'content-type': 'text/plain'},
        }),
      () => new HttpResponse('content'),
    ]);
    const {api, retries} = client();
    await expect(api.get('a.txt').text()).resolves.toBe('content');
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict).toMatchObject({code: 42900002, requestId: 'abc'});
  });
});
