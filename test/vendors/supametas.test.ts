import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, expectTypeOf, test} from 'vitest';
import {
  type ClassifyInput,
  classify,
  type GiveUpEvent,
  isVendorError,
  type RetryEvent,
  type Rule,
  ServerError,
  ValidationError,
  withVendor,
} from '../../src/index.ts';
import {SUPAMETAS_CODE_MEANINGS, supametasCodes} from '../../src/vendors/supametas/codes.ts';
import {supametas} from '../../src/vendors/supametas/supametas.ts';
import {server} from '../helpers/server.ts';

const SM = 'https://api.supametas.ai/openapi/open/v1';
const TASK_ID = '1876543210987654321';

const rows = Object.entries(supametasCodes) as [keyof typeof supametasCodes, Rule][];

describe('Supametas code table', () => {
  test.each(rows)('%s fails as its row says, in a 200 as in its own status', (code, row) => {
    for (const status of [200, row.status ?? 0]) {
      expect(classify(supametas, {status, body: {code, message: row.message, data: null}})).toEqual({
        vendor: 'supametas',
        action: row.action,
        category: row.category,
        code,
        // The vendor's Chinese message, with the table's English meaning beside it.
        message: `${row.message} (${SUPAMETAS_CODE_MEANINGS[code]})`,
        status,
      });
    }
  });

  test.each<[string, ClassifyInput, Record<string, unknown>]>([
    [
      'an unknown OPS4 code is a validation error',
      {status: 200, body: {code: 'OPS40099', message: 'bad', data: null}},
      {action: 'fail', category: 'validation', code: 'OPS40099', message: 'bad'},
    ],
    [
      'an unknown OPS5 code is a server error',
      {status: 200, body: {code: 'OPS50001', message: '系统异常', data: null}},
      {category: 'server', code: 'OPS50001', message: '系统异常'},
    ],
    [
      'a bare HTTP status as code stands for that status',
      {status: 200, body: {code: '429', message: 'slow down', data: null}},
      {action: 'throttle', category: 'rate_limited', code: '429', processed: false},
    ],
    [
      'any other code is still an error, never data',
      {status: 200, body: {code: '-1', message: 'failure', data: null}},
      {category: 'server', code: '-1', message: 'failure'},
    ],
    [
      'a numeric code is read as its string',
      {status: 200, body: {code: 40_001, message: null, data: null}},
      {category: 'server', code: '40001'},
    ],
    ['a numeric 0 is success', {status: 200, body: {code: 0, message: null, data: {}}}, {action: 'ok'}],
  ])('%s', (_, input, expected) => {
    expect(classify(supametas, input)).toMatchObject(expected);
  });
});

describe('Supametas research fixtures', () => {
  test.each<[string, ClassifyInput, Record<string, unknown>]>([
    [
      'SM-1 file task created',
      {status: 200, body: {code: '0', message: null, data: {num: 1, taskId: TASK_ID}}},
      {action: 'ok'},
    ],
    [
      'SM-2 query-task pending',
      {
        status: 200,
        body: {
          code: '0',
          message: null,
          data: {taskId: TASK_ID, taskName: 'The first task', state: 'PENDING'},
        },
      },
      {action: 'ok'},
    ],
    [
      'SM-2 query-task pending, the documented misspelling',
      {
        status: 200,
        body: {
          code: '0',
          message: null,
          data: {taskId: TASK_ID, taskName: 'The first task', state: 'PENGDING'},
        },
      },
      {action: 'ok'},
    ],
    [
      'SM-3 task failed is data for the task operation',
      {
        status: 200,
        body: {code: '0', message: null, data: {taskId: TASK_ID, taskName: 'The first task', state: 'FAIL'}},
      },
      {action: 'ok'},
    ],
    [
      'SM-4 business error inside HTTP 200',
      {status: 200, body: {code: 'OPS40001', message: '[getDemandFormat] 不合法', data: null}},
      {
        action: 'fail',
        category: 'validation',
        code: 'OPS40001',
        message: '[getDemandFormat] 不合法 (getDemandFormat is invalid: "1" is JSON, "2" is Markdown)',
        status: 200,
      },
    ],
    [
      'SM-5 the same error with HTTP 400',
      {status: 400, body: {code: 'OPS40003', message: 'Field or customKeys 至少包含一个', data: null}},
      {action: 'fail', category: 'validation', code: 'OPS40003', status: 400},
    ],
    [
      'SM-6 bad key',
      {status: 401, body: {code: '401', message: 'Access-Key invalid', data: null}},
      {action: 'fail', category: 'auth', code: '401', message: 'Access-Key invalid'},
    ],
    [
      'SM-7 maintenance',
      {status: 503, headers: {'retry-after': '120'}, body: undefined},
      {action: 'retry', category: 'transient', statedDelayMs: 120_000},
    ],
    [
      'SM-8 set-webhook ok',
      {status: 200, body: {code: '0', message: null, data: {optResult: 'success'}}},
      {action: 'ok'},
    ],
  ])('%s', (_, input, expected) => {
    expect(classify(supametas, input)).toMatchObject(expected);
  });
});

describe('Supametas awkward inputs', () => {
  test.each<[string, ClassifyInput, Record<string, unknown>]>([
    [
      'an HTML 502 page is classified by status',
      {
        status: 502,
        headers: {'content-type': 'text/html'},
        body: '<html><head><title>502 Bad Gateway</title></head></html>',
      },
      {action: 'retry', category: 'transient', status: 502},
    ],
    ['an empty 200 is success', {status: 200, body: undefined}, {action: 'ok'}],
    ['an empty 500 is a server error', {status: 500, body: ''}, {action: 'retry', category: 'server'}],
    [
      'JSON sent as text/plain is still read',
      {
        status: 200,
        headers: {'content-type': 'text/plain'},
        body: '{"code":"OPS40002","message":"[contentType] 不合法"}',
      },
      {action: 'fail', category: 'validation', code: 'OPS40002'},
    ],
    ['JSON not matching the envelope on a 200', {status: 200, body: {result: 'x'}}, {action: 'ok'}],
    ['JSON not matching the envelope on a 400', {status: 400, body: {error: 'x'}}, {category: 'validation'}],
    [
      'a success code in an error status does not hide the status',
      {status: 403, body: {code: '0', message: null}},
      {action: 'fail', category: 'permission'},
    ],
    [
      'a message that is not a string is dropped, the code kept',
      {status: 200, body: {code: 'OPS40004', message: {text: 'x'}}},
      {code: 'OPS40004', message: '参数值不正确'},
    ],
    ['plain text on a 403', {status: 403, body: 'Forbidden'}, {action: 'fail', category: 'permission'}],
  ])('%s', (_, input, expected) => {
    expect(classify(supametas, input)).toMatchObject(expected);
  });

  test.each([200, 201, 202, 204, 206])('inspects every %i body: errors hide in 2xx', (status) => {
    expect(
      supametas.inspect?.({status, method: 'POST', url: `${SM}/file-task`, headers: new Headers()}),
    ).toBe(true);
  });
});

const client = ({maxWaitMs = 5} = {}) => {
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const api = ky.create({
    prefix: SM,
    ...withVendor(supametas, {
      maxWaitMs,
      random: () => 0.5,
      onRetry: (event) => retries.push(event),
      onGiveUp: (event) => giveUps.push(event),
    }),
  });
  return {api, retries, giveUps};
};

/** Answers each request with the next response of the list, the last one forever; counts requests. */
const sequence = (pathname: string, responses: (() => Response)[]) => {
  let count = 0;
  server.use(
    http.post(`${SM}${pathname}`, () => {
      const next = responses[Math.min(count, responses.length - 1)];
      count++;
      if (next === undefined) throw new Error('empty sequence');
      return next();
    }),
  );
  return {requests: () => count};
};

const maintenance = () => new HttpResponse(null, {status: 503, headers: {'retry-after': '120'}});
const taskState = {
  code: '0',
  message: null,
  data: {taskId: TASK_ID, taskName: 'The first task', state: 'SUCCESS'},
};

describe('Supametas through withVendor', () => {
  test('a business code in an HTTP 200 throws ValidationError with the code', async () => {
    const calls = sequence('/file-task', [
      () => HttpResponse.json({code: 'OPS40001', message: '[getDemandFormat] 不合法', data: null}),
    ]);
    const {api} = client();
    const error = await api.post('file-task', {body: new FormData()}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'OPS40001',
      status: 200,
      attempts: 1,
      message: expect.stringContaining('[getDemandFormat]'),
    });
    expect(calls.requests()).toBe(1);
  });

  test('code "0" hands the caller the envelope with its data', async () => {
    sequence('/query-task', [() => HttpResponse.json(taskState)]);
    const {api} = client();
    await expect(api.post('query-task', {json: {taskId: TASK_ID}}).json()).resolves.toEqual(taskState);
  });

  test('a 503 with Retry-After on a POST is not resent by default', async () => {
    const calls = sequence('/query-task', [maintenance, () => HttpResponse.json(taskState)]);
    const {api, giveUps} = client();
    const error = await api.post('query-task', {json: {taskId: TASK_ID}}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 503,
      category: 'transient',
      delayMs: 120_000,
      statedDelayMs: 120_000,
    });
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('not-idempotent');
  });

  test('a 503 with Retry-After beyond maxWaitMs fails at once with its retryAt, even for an idempotent POST', async () => {
    const calls = sequence('/query-task', [maintenance, () => HttpResponse.json(taskState)]);
    const {api, retries, giveUps} = client();
    const started = Date.now();
    const error = await api
      .post('query-task', {json: {taskId: TASK_ID}, context: {idempotent: true}})
      .catch((error_: unknown) => error_);
    expect(error).toMatchObject({status: 503, statedDelayMs: 120_000});
    expect(((error as ServerError).retryAt?.getTime() ?? 0) - started).toBeGreaterThanOrEqual(119_000);
    expect(calls.requests()).toBe(1);
    expect(retries).toHaveLength(0);
    expect(giveUps[0]?.reason).toBe('wait-too-long');
  });

  test('a 503 with a short Retry-After is resent for a POST marked idempotent, after the server wait', async () => {
    const calls = sequence('/query-task', [
      () => new HttpResponse(null, {status: 503, headers: {'retry-after': '0.02'}}),
      () => HttpResponse.json(taskState),
    ]);
    const {api, retries} = client({maxWaitMs: 1000});
    await expect(
      api.post('query-task', {json: {taskId: TASK_ID}, context: {idempotent: true}}).json(),
    ).resolves.toEqual(taskState);
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.delayMs).toBe(20);
  });

  test('isVendorError narrows the code to the Supametas union', async () => {
    sequence('/file-task', [
      () => HttpResponse.json({code: 'OPS40004', message: '参数值不正确', data: null}),
    ]);
    const {api} = client();
    const error = await api.post('file-task', {body: new FormData()}).catch((error_: unknown) => error_);
    expect(isVendorError(error, supametas)).toBe(true);
    if (isVendorError(error, supametas)) {
      expectTypeOf(error.code).toEqualTypeOf<
        'OPS40001' | 'OPS40002' | 'OPS40003' | 'OPS40004' | (string & {}) | (number & {}) | undefined
      >();
      expect(error.code).toBe('OPS40004');
    }
  });
});
