import {describe, expect, test} from 'vitest';
import {z} from 'zod';
import * as zm from 'zod/mini';
import {classify, defineVendor, envelope, throttled} from '../../src/index.ts';
import {acme} from '../helpers/acme.ts';

/** Envelopes whose keys take `undefined` in different ways: skipping one early must not change a verdict. */
const schemas = {
  classic: z.object({
    code: z.string(),
    detail: z.unknown(),
    hint: z.string().default('x'),
    note: z.string().optional(),
  }),
  mini: zm.object({
    code: zm.string(),
    detail: zm.unknown(),
    note: zm.optional(zm.string()),
    list: zm.array(zm.unknown()),
  }),
};

describe('classify', () => {
  test('a 2xx without an envelope error is ok', () => {
    expect(classify(acme, {status: 200, headers: {}, body: {ok: true}})).toEqual({
      vendor: 'acme',
      action: 'ok',
    });
    expect(classify(acme, {status: 204, headers: {}, body: undefined})).toEqual({
      vendor: 'acme',
      action: 'ok',
    });
  });

  test('the body code wins over the status', () => {
    const verdict = classify(acme, {status: 500, body: {error: {code: 'bad_input', message: 'nope'}}});
    expect(verdict).toMatchObject({action: 'fail', category: 'validation', code: 'bad_input', status: 500});
  });

  test('the body code wins over the header code', () => {
    const verdict = classify(acme, {
      status: 400,
      headers: {'x-acme-code': 'busy'},
      body: {error: {code: 'bad_input'}},
    });
    expect(verdict).toMatchObject({code: 'bad_input'});
  });

  test('a header code is used when there is no body', () => {
    expect(classify(acme, {status: 429, headers: {'X-Acme-Code': 'busy'}})).toMatchObject({
      action: 'throttle',
      code: 'busy',
      processed: false,
    });
  });

  test('an unknown code falls back on the status', () => {
    expect(classify(acme, {status: 503, body: {error: {code: 'never_heard_of_it'}}})).toMatchObject({
      action: 'retry',
      category: 'transient',
      code: 'never_heard_of_it',
    });
  });

  test('an unknown code in a 2xx body without a status hint is an unknown failure, not success', () => {
    expect(classify(acme, {status: 200, body: {ok: false, code: 'mystery'}})).toMatchObject({
      action: 'fail',
      category: 'unknown',
      code: 'mystery',
    });
  });

  test('the delay is the largest of Retry-After, the hint and the row minimum', () => {
    const verdict = classify(acme, {
      status: 429,
      headers: {'retry-after': '3'},
      body: {error: {code: 'busy', message: 'try again in 7s'}},
    });
    expect(verdict).toMatchObject({statedDelayMs: 7000});
  });

  test('the request id comes from X-Request-Id when the body has none', () => {
    expect(
      classify(acme, {status: 400, headers: {'x-request-id': 'req-1'}, body: {error: {code: 'bad_input'}}}),
    ).toMatchObject({requestId: 'req-1'});
  });

  test('a plain-text body is matched by message, an HTML page is not', () => {
    expect(classify(acme, {status: 503, body: 'Servers are busy right now'})).toMatchObject({
      code: 'slow_text',
    });
    const html = classify(acme, {status: 503, body: '<!DOCTYPE html><title>Servers are busy</title>'});
    expect(html).toMatchObject({category: 'transient'});
    expect(html).not.toHaveProperty('code');
  });

  test('a JSON text body is parsed', () => {
    expect(classify(acme, {status: 400, body: '{"error":{"code":"bad_input"}}'})).toMatchObject({
      code: 'bad_input',
    });
  });

  test('invalid JSON, empty and wrong-shaped bodies are classified by status', () => {
    for (const body of ['{"error":', '', '   ', {unexpected: true}, [1, 2, 3], 42, null]) {
      expect(classify(acme, {status: 502, body})).toMatchObject({
        action: 'retry',
        category: 'transient',
        status: 502,
      });
    }
  });

  test('credentials in a vendor message are redacted and long messages are cut', () => {
    const verdict = classify(acme, {
      status: 400,
      body: {
        error: {code: 'bad_input', message: `bad Authorization: Bearer abc123secret ${'x'.repeat(2000)}`},
      },
    });
    expect(verdict.action === 'ok' ? '' : verdict.message).not.toContain('abc123secret');
    expect((verdict.action === 'ok' ? '' : (verdict.message ?? '')).length).toBeLessThanOrEqual(520);
  });

  test('statuses without a rule are unknown failures', () => {
    expect(classify(acme, {status: 302})).toMatchObject({action: 'fail', category: 'unknown'});
    expect(classify(acme, {status: Number.NaN})).toMatchObject({
      action: 'fail',
      category: 'unknown',
      status: 0,
    });
  });

  test('never throws on hostile input', () => {
    const hostile = {
      get error(): never {
        throw new Error('getter');
      },
    };
    expect(classify(acme, {status: 400, body: hostile})).toMatchObject({category: 'validation'});
    expect(
      classify(acme, {status: 400, headers: {'bad header': 'x', ok: 'v\n'}, body: undefined}),
    ).toMatchObject({
      category: 'validation',
    });
    expect(classify(acme, undefined as never)).toMatchObject({action: 'fail'});
  });

  test.each([
    ['classic', {code: 'busy'}],
    ['classic', {code: 'busy', detail: 1}],
    ['classic', {detail: 1}],
    ['classic', {code: undefined}],
    ['classic', {code: 'busy', hint: undefined, note: undefined}],
    ['mini', {code: 'busy', list: []}],
    ['mini', {code: 'busy', detail: 1, list: []}],
    ['mini', {code: 'busy'}],
    ['mini', {list: []}],
    ['mini', {code: 'busy', list: [], note: undefined}],
  ] as const)('a %s envelope matches %j exactly when zod accepts it', (kind, body) => {
    const schema = schemas[kind];
    const vendor = defineVendor({
      name: 'keys',
      envelopes: [envelope(schema, (value) => ({code: (value as {code: string}).code}))],
      codes: {busy: {status: 429, message: 'slow down', ...throttled}},
    });
    const verdict = classify(vendor, {status: 200, headers: {}, body});
    expect(verdict.action).toBe(schema.safeParse(body).success ? 'throttle' : 'ok');
  });
});
