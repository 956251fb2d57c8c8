import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, expectTypeOf, test} from 'vitest';
import {codeNotes} from '../../scripts/code-notes.ts';
import {statusRule} from '../../src/classify/default-status-rules.ts';
import {
  AuthError,
  type ClassifyInput,
  type CodeOf,
  ConflictError,
  classify,
  type GiveUpEvent,
  isVendorError,
  JobFailedError,
  NotReadyError,
  RateLimitError,
  type RetryEvent,
  type Rule,
  ServerError,
  withVendor,
} from '../../src/index.ts';
import {brightdata} from '../../src/vendors/brightdata/brightdata.ts';
import {brightdataCodes} from '../../src/vendors/brightdata/codes.ts';
import {server} from '../helpers/server.ts';

const BD = 'https://api.brightdata.com';
const SNAPSHOT_ID = 's_m4x7enmven8djfqak';
const RUNNING_JOBS =
  'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request. Running jobs: 5000>=5000';

type Code = keyof typeof brightdataCodes;
const rows = Object.entries(brightdataCodes) as [Code, Rule][];

/** A response that carries a row the way BrightData sends it. */
const sampleOf = (code: Code, row: Rule): ClassifyInput => {
  switch (code) {
    case 'validation_error':
      return {status: 400, body: {validation_errors: ['url is required']}};
    case 'parse_error':
      return {status: 400, body: {error: 'Unexpected token } in JSON', code: 'parse_error'}};
    case 'job_canceled':
      return {status: 200, body: {snapshot_id: SNAPSHOT_ID, status: 'canceled'}};
    case 'scrape_in_progress':
      return {
        status: 202,
        headers: {'retry-after': '10'},
        body: {snapshot_id: SNAPSHOT_ID, message: row.message},
      };
    default:
      if (row.status === 200) {
        return {status: 200, body: {snapshot_id: SNAPSHOT_ID, status: 'failed', error_message: row.message}};
      }
      if (row.status === 202) {
        return {status: 202, body: {status: 'running', message: row.message}};
      }
      return {status: row.status ?? 0, headers: {'content-type': 'text/plain'}, body: row.message};
  }
};

describe('BrightData code table', () => {
  test('has a row for every message of the error list, and a few beyond it', () => {
    expect(rows).toHaveLength(38);
  });

  test.each(rows)('%s is classified by its own row', (code, row) => {
    const verdict = classify(brightdata, sampleOf(code, row));
    expect(verdict).toMatchObject({vendor: 'brightdata', code, action: row.action, category: row.category});
    if (verdict.action === 'ok') return;
    expect(verdict.processed).toBe(row.processed);
    expect(verdict.defaultDelayMs).toBe(row.delayMs);
  });

  test.each(rows)(
    '%s documents its status and message, and says why when it departs from the status',
    (code, row) => {
      expect(row.status).toEqual(expect.any(Number));
      expect(row.message).toEqual(expect.any(String));
      const implied = row.status === undefined ? undefined : statusRule(row.status, brightdata.statuses);
      if (implied?.category !== row.category || implied.action !== row.action || row.byStatus !== undefined) {
        expect(codeNotes('brightdata').get(code)).toEqual(expect.any(String));
      }
    },
  );

  test.each([
    ['Internal Server Error', 'internal_server_error'],
    ['Failed to deliver snapshot', 'deliver_failed'],
  ])('"%s" is a server error on a 500 and a failed job in a progress 200', (message, code) => {
    expect(classify(brightdata, {status: 500, body: message})).toMatchObject({
      code,
      category: 'server',
      action: 'retry',
    });
    expect(
      classify(brightdata, {status: 200, body: {status: 'failed', error_message: message}}),
    ).toMatchObject({code, category: 'job_failed', action: 'fail', message});
  });

  test('the longer "not ready yet" message is matched before its prefix', () => {
    expect(
      classify(brightdata, {
        status: 202,
        body: {status: 'running', message: 'Snapshot is not ready yet, try again in 10s'},
      }),
    ).toMatchObject({code: 'snapshot_not_ready'});
    expect(classify(brightdata, {status: 400, body: 'Snapshot is not ready'})).toMatchObject({
      code: 'snapshot_not_ready_for_delivery',
      action: 'poll',
      defaultDelayMs: 10_000,
    });
  });
});

describe('BrightData research fixtures', () => {
  test.each<[string, ClassifyInput, Record<string, unknown>]>([
    ['BD-1 trigger OK', {status: 200, body: {snapshot_id: SNAPSHOT_ID}}, {action: 'ok'}],
    [
      'BD-2 snapshot not ready',
      {status: 202, body: {status: 'running', message: 'Snapshot is not ready yet, try again in 10s'}},
      {action: 'poll', category: 'not_ready', code: 'snapshot_not_ready', statedDelayMs: 10_000},
    ],
    [
      'BD-3 snapshot building',
      {status: 202, body: {status: 'building', message: 'Snapshot is building, try again in 10s'}},
      {action: 'poll', category: 'not_ready', code: 'snapshot_building', statedDelayMs: 10_000},
    ],
    ...['canceled', 'cancelled', 'Cancelled'].map(
      (status): [string, ClassifyInput, Record<string, unknown>] => [
        `BD-4 progress ${status} is terminal`,
        {status: 200, body: {snapshot_id: SNAPSHOT_ID, status}},
        {action: 'fail', category: 'job_failed', code: 'job_canceled'},
      ],
    ),
    [
      'BD-4 delivery cancelled is terminal',
      {status: 200, body: {id: 'd_1', status: 'cancelled'}},
      {action: 'fail', category: 'job_failed', code: 'job_canceled'},
    ],
    ...['starting', 'running', 'ready', 'building', 'collecting', 'done'].map(
      (status): [string, ClassifyInput, Record<string, unknown>] => [
        `BD-4 progress ${status}`,
        {status: 200, body: {snapshot_id: SNAPSHOT_ID, dataset_id: 'gd_l1viktl72bvl7bjuj0', status}},
        {action: 'ok'},
      ],
    ),
    [
      'BD-5 progress failed',
      {
        status: 200,
        body: {
          snapshot_id: SNAPSHOT_ID,
          dataset_id: 'gd_l1viktl72bvl7bjuj0',
          status: 'failed',
          error_message: 'Account is suspended',
        },
      },
      {action: 'fail', category: 'permission', code: 'account_suspended', message: 'Account is suspended'},
    ],
    [
      'BD-6 running jobs without Retry-After',
      {status: 429, headers: {'content-type': 'text/plain; charset=utf-8'}, body: RUNNING_JOBS},
      {action: 'throttle', code: 'too_many_running_jobs', processed: false, defaultDelayMs: 2000},
    ],
    [
      'BD-6 running jobs with Retry-After',
      {status: 429, headers: {'retry-after': '30'}, body: RUNNING_JOBS},
      {action: 'throttle', code: 'too_many_running_jobs', processed: false, statedDelayMs: 30_000},
    ],
    [
      'BD-7 validation, JSON form',
      {
        status: 400,
        body: {
          error: 'Invalid input provided',
          code: 'validation_error',
          errors: [['url', 'This field must be a valid url']],
        },
      },
      {
        action: 'fail',
        category: 'validation',
        code: 'validation_error',
        message: 'Invalid input provided: url: This field must be a valid url',
      },
    ],
    [
      'BD-8 auth',
      {status: 401, headers: {'content-type': 'text/plain'}, body: 'Invalid credentials'},
      {action: 'fail', category: 'auth', code: 'invalid_credentials', processed: false},
    ],
    [
      'BD-9 expired snapshot',
      {status: 400, body: 'Snapshot is expired'},
      {action: 'fail', category: 'not_found', code: 'snapshot_expired'},
    ],
    [
      'BD-10 sync scrape turned async',
      {
        status: 202,
        headers: {'retry-after': '10'},
        body: {
          snapshot_id: 's_mcd3rc6l2md984eoij',
          message:
            'Your request is still in progress and cannot be retrieved in this call. Use the provided Snapshot ID to track progress via the Monitor Snapshot endpoint and download it once ready via the Download Snapshot endpoint.',
        },
      },
      {action: 'poll', category: 'not_ready', code: 'scrape_in_progress', statedDelayMs: 10_000},
    ],
    [
      'BD-11 record-level errors in a 200 result are data',
      {
        status: 200,
        body: [
          {
            input: {url: 'https://www.linkedin.com/in/does-not-exist/'},
            error_code: 'dead_page',
            error: 'Page does not exist',
            status_code: 404,
          },
        ],
      },
      {action: 'ok'},
    ],
    [
      'log 404 JSON',
      {status: 404, body: {error: 'Snapshot not found'}},
      {action: 'fail', category: 'not_found', code: 'snapshot_not_found', message: 'Snapshot not found'},
    ],
    [
      'delivery failed',
      {status: 200, body: {id: 'd_1', status: 'failed', delivery_files: []}},
      {action: 'fail', category: 'job_failed', code: 'job_failed', message: 'Collection failed'},
    ],
    ['delivery done', {status: 200, body: {id: 'd_1', status: 'done', delivery_files: []}}, {action: 'ok'}],
  ])('%s', (_, input, expected) => {
    expect(classify(brightdata, input)).toMatchObject(expected);
  });
});

describe('BrightData awkward inputs', () => {
  test.each<[string, ClassifyInput, Record<string, unknown>]>([
    [
      'an HTML 502 page is classified by status',
      {
        status: 502,
        headers: {'content-type': 'text/html'},
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      },
      {action: 'retry', category: 'transient', status: 502, message: 'Bad Gateway'},
    ],
    ['an empty 500 is a server error', {status: 500, body: undefined}, {action: 'retry', category: 'server'}],
    [
      'an empty 202 is not ready, polled at 10 s',
      {status: 202, body: ''},
      {action: 'poll', category: 'not_ready', defaultDelayMs: 10_000},
    ],
    ['an empty 429 is throttled', {status: 429, body: ''}, {action: 'throttle', processed: false}],
    [
      'JSON sent as text/plain is still read',
      {
        status: 400,
        headers: {'content-type': 'text/plain'},
        body: '{"validation_errors":["url is required"]}',
      },
      {code: 'validation_error', message: 'Invalid input: url is required'},
    ],
    [
      'a 202 body sent as text is still read',
      {status: 202, body: '{"status":"building","message":"Snapshot is building, try again in 10s"}'},
      {code: 'snapshot_building', statedDelayMs: 10_000},
    ],
    [
      'JSON not matching any envelope on a 500',
      {status: 500, body: {foo: 1}},
      {action: 'retry', category: 'server'},
    ],
    ['JSON not matching any envelope on a 200', {status: 200, body: {foo: 1}}, {action: 'ok'}],
    [
      'an `error` that is not a string',
      {status: 400, body: {error: 42}},
      {action: 'fail', category: 'validation'},
    ],
    [
      'a plain message wrapped in blank lines',
      {status: 400, body: '\n  Snapshot is expired\n'},
      {code: 'snapshot_expired'},
    ],
    [
      'a number in place of LIMIT',
      {status: 400, body: 'Should be at least 10 inputs'},
      {code: 'too_few_inputs'},
    ],
    [
      'a number in place of MIN_BATCH_SIZE',
      {status: 400, body: 'Batch size should be at least 1000'},
      {code: 'batch_size_too_small'},
    ],
    [
      'the running-jobs count alone',
      {status: 429, body: 'Running jobs: 12>=10'},
      {code: 'too_many_running_jobs'},
    ],
    [
      'an unknown message keeps the status rule and its text',
      {status: 400, body: 'Something brand new'},
      {action: 'fail', category: 'validation', message: 'Something brand new'},
    ],
    [
      'a failed progress without error_message',
      {status: 200, body: {status: 'failed'}},
      {code: 'job_failed', category: 'job_failed', message: 'Collection failed'},
    ],
    [
      'a failed progress with an unknown message keeps it',
      {status: 200, body: {status: 'failed', error_message: 'Proxy pool exhausted'}},
      {code: 'job_failed', message: 'Proxy pool exhausted'},
    ],
    ['a progress status "error"', {status: 200, body: {status: 'error'}}, {code: 'job_failed'}],
    [
      'a failed status in a 500 is a server error, not a job verdict',
      {status: 500, body: {status: 'failed', message: 'Internal server error'}},
      {code: 'internal_server_error', category: 'server', action: 'retry'},
    ],
    [
      'a progress error_message that is not a string',
      {status: 200, body: {status: 'failed', error_message: 7}},
      {code: 'job_failed'},
    ],
  ])('%s', (_, input, expected) => {
    expect(classify(brightdata, input)).toMatchObject(expected);
  });

  test.each([
    [202, 'GET', `${BD}/datasets/v3/snapshot/${SNAPSHOT_ID}`, true],
    [200, 'GET', `${BD}/datasets/v3/snapshot/${SNAPSHOT_ID}?format=json`, false],
    [200, 'GET', `${BD}/datasets/v3/progress/${SNAPSHOT_ID}`, true],
    [200, 'GET', `${BD}/datasets/v3/delivery/d_1`, true],
    [200, 'POST', `${BD}/datasets/v3/trigger?dataset_id=gd_1`, false],
    [202, 'POST', `${BD}/datasets/v3/scrape?dataset_id=gd_1`, true],
    [200, 'GET', `${BD}/datasets/v3/snapshot/${SNAPSHOT_ID}/parts`, false],
    [404, 'GET', `${BD}/datasets/v3/progress/${SNAPSHOT_ID}`, false],
  ])('inspect(%i %s %s) is %s', (status, method, url, expected) => {
    expect(brightdata.inspect?.({status, method, url, headers: new Headers()})).toBe(expected);
  });
});

const client = (options: Parameters<typeof withVendor>[1] = {}) => {
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const api = ky.create({
    prefix: BD,
    ...withVendor(brightdata, {
      // The retry policy on its own; pacing by default is tested with the limiter.
      limiter: false,
      maxWaitMs: 5,
      random: () => 0.5,
      onRetry: (event) => retries.push(event),
      onGiveUp: (event) => giveUps.push(event),
      ...options,
    }),
  });
  return {api, retries, giveUps};
};

/** Answers each request with the next response of the list, the last one forever; counts requests. */
const sequence = (method: 'get' | 'post', pathname: string, responses: (() => Response)[]) => {
  let count = 0;
  server.use(
    http[method](`${BD}${pathname}`, () => {
      const next = responses[Math.min(count, responses.length - 1)];
      count++;
      if (next === undefined) throw new Error('empty sequence');
      return next();
    }),
  );
  return {requests: () => count};
};

const text =
  (status: number, body: string, headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(body, {status, headers: {'content-type': 'text/plain; charset=utf-8', ...headers}});

describe('BrightData through withVendor', () => {
  test('resends a trigger refused for too many running jobs, then returns the snapshot id', async () => {
    const calls = sequence('post', '/datasets/v3/trigger', [
      text(429, RUNNING_JOBS),
      text(429, RUNNING_JOBS),
      () => HttpResponse.json({snapshot_id: SNAPSHOT_ID}),
    ]);
    const {api, retries} = client();
    const body = await api
      .post('datasets/v3/trigger', {searchParams: {dataset_id: 'gd_1'}, json: [{url: 'https://example.com'}]})
      .json<{snapshot_id: string}>();
    expect(body.snapshot_id).toBe(SNAPSHOT_ID);
    expect(calls.requests()).toBe(3);
    expect(retries.map(({verdict}) => [verdict.code, verdict.processed, verdict.defaultDelayMs])).toEqual([
      ['too_many_running_jobs', false, 2000],
      ['too_many_running_jobs', false, 2000],
    ]);
    // The 2 s floor is clamped by maxWaitMs so the test does not sleep; the clamp is what we check.
    expect(retries.map(({delayMs}) => delayMs)).toEqual([5, 5]);
  });

  test('gives up on running jobs after the vendor retry limit with a RateLimitError', async () => {
    const calls = sequence('post', '/datasets/v3/trigger', [text(429, RUNNING_JOBS)]);
    const {api, giveUps} = client();
    const error = await api.post('datasets/v3/trigger', {json: []}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({code: 'too_many_running_jobs', attempts: 6, delayMs: 16_000});
    expect(calls.requests()).toBe(6);
    expect(giveUps[0]?.reason).toBe('exhausted');
  });

  test('never resends a trigger answered 500: it may have started a paid job', async () => {
    const calls = sequence('post', '/datasets/v3/trigger', [
      text(500, 'Internal server error'),
      () => HttpResponse.json({snapshot_id: SNAPSHOT_ID}),
    ]);
    const {api, giveUps} = client();
    const error = await api.post('datasets/v3/trigger', {json: []}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({code: 'internal_server_error', status: 500, attempts: 1});
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('not-idempotent');
  });

  test('a snapshot still building throws NotReadyError with the 10 s wait', async () => {
    const calls = sequence('get', `/datasets/v3/snapshot/${SNAPSHOT_ID}`, [
      () =>
        HttpResponse.json(
          {status: 'building', message: 'Snapshot is building, try again in 10s'},
          {status: 202},
        ),
    ]);
    const {api, giveUps} = client();
    const error = await api.get(`datasets/v3/snapshot/${SNAPSHOT_ID}`).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(NotReadyError);
    expect(error).toMatchObject({code: 'snapshot_building', delayMs: 10_000, status: 202});
    expect((error as NotReadyError).retryAt).toBeInstanceOf(Date);
    expect(calls.requests()).toBe(1);
    expect(giveUps[0]?.reason).toBe('not-ready');
  });

  test('a ready snapshot is handed over as data, record-level errors included', async () => {
    const records = [
      {input: {url: 'https://example.com/gone'}, error_code: 'dead_page', error: 'Page does not exist'},
    ];
    sequence('get', `/datasets/v3/snapshot/${SNAPSHOT_ID}`, [() => HttpResponse.json(records)]);
    const {api} = client();
    await expect(
      api.get(`datasets/v3/snapshot/${SNAPSHOT_ID}`, {searchParams: {format: 'json'}}).json(),
    ).resolves.toEqual(records);
  });

  test('a progress 200 that says the account is suspended throws AuthError with the message', async () => {
    const calls = sequence('get', `/datasets/v3/progress/${SNAPSHOT_ID}`, [
      () =>
        HttpResponse.json({
          snapshot_id: SNAPSHOT_ID,
          dataset_id: 'gd_1',
          status: 'failed',
          error_message: 'Account is suspended',
        }),
    ]);
    const {api} = client();
    const error = await api.get(`datasets/v3/progress/${SNAPSHOT_ID}`).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({code: 'account_suspended', category: 'permission', status: 200});
    expect((error as Error).message).toContain('Account is suspended');
    expect(calls.requests()).toBe(1);
  });

  test('a progress 200 for a collection that failed throws JobFailedError', async () => {
    sequence('get', `/datasets/v3/progress/${SNAPSHOT_ID}`, [
      () => HttpResponse.json({status: 'failed', error_message: 'Failed to trigger collector'}),
    ]);
    const {api} = client();
    await expect(api.get(`datasets/v3/progress/${SNAPSHOT_ID}`)).rejects.toBeInstanceOf(JobFailedError);
  });

  test('a running progress is returned as data', async () => {
    const progress = {snapshot_id: SNAPSHOT_ID, dataset_id: 'gd_1', status: 'running'};
    sequence('get', `/datasets/v3/progress/${SNAPSHOT_ID}`, [() => HttpResponse.json(progress)]);
    const {api} = client();
    await expect(api.get(`datasets/v3/progress/${SNAPSHOT_ID}`).json()).resolves.toEqual(progress);
  });

  test('a 500 on progress is retried: it is a read', async () => {
    const progress = {snapshot_id: SNAPSHOT_ID, status: 'running'};
    const calls = sequence('get', `/datasets/v3/progress/${SNAPSHOT_ID}`, [
      text(500, 'Internal server error'),
      () => HttpResponse.json(progress),
    ]);
    const {api, retries} = client();
    await expect(api.get(`datasets/v3/progress/${SNAPSHOT_ID}`).json()).resolves.toEqual(progress);
    expect(calls.requests()).toBe(2);
    expect(retries[0]?.verdict.code).toBe('internal_server_error');
  });

  test('parts of a snapshot not ready yet throw NotReadyError, not a validation error', async () => {
    sequence('get', `/datasets/v3/snapshot/${SNAPSHOT_ID}/parts`, [text(400, 'Snapshot is not ready')]);
    const {api} = client();
    const error = await api
      .get(`datasets/v3/snapshot/${SNAPSHOT_ID}/parts`)
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(NotReadyError);
    expect(error).toMatchObject({code: 'snapshot_not_ready_for_delivery', delayMs: 10_000});
  });

  test('cancelling a snapshot that is not running throws ConflictError', async () => {
    sequence('post', `/datasets/v3/snapshot/${SNAPSHOT_ID}/cancel`, [text(400, 'Snapshot is not running')]);
    const {api} = client();
    const error = await api
      .post(`datasets/v3/snapshot/${SNAPSHOT_ID}/cancel`)
      .catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({code: 'snapshot_not_running', attempts: 1});
  });

  test('narrows the code to the BrightData union', async () => {
    sequence('get', `/datasets/v3/snapshot/${SNAPSHOT_ID}`, [text(400, 'Snapshot is expired')]);
    const {api} = client();
    const error = await api.get(`datasets/v3/snapshot/${SNAPSHOT_ID}`).catch((error_: unknown) => error_);
    expect(isVendorError(error, brightdata)).toBe(true);
    if (isVendorError(error, brightdata)) {
      expectTypeOf(error.code).toEqualTypeOf<CodeOf<typeof brightdata> | undefined>();
      expectTypeOf<'snapshot_expired' | 'too_many_running_jobs'>().toExtend<CodeOf<typeof brightdata>>();
      expect(error.code).toBe('snapshot_expired');
    }
  });
});
