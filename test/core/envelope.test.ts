import {describe, expect, expectTypeOf, test} from 'vitest';
import {z as classic} from 'zod';
import * as mini from 'zod/mini';
import {classify, defineVendor, envelope, throttled, validation} from '../../src/index.ts';

// The same envelope written with zod's classic API and with zod/mini: both must classify alike,
// applications write either (the built-in vendors use zod/v4/core, see test/core/zod-core.test.ts).
const withSchema = (name: string, schema: Parameters<typeof envelope>[0]) =>
  defineVendor({
    name,
    envelopes: [
      envelope(schema, (body) => {
        const {error} = body as {error: {code: string; message?: string | undefined}};
        return {code: error.code, message: error.message};
      }),
    ],
    codes: {
      busy: {status: 429, message: 'slow down', ...throttled},
      bad_input: {status: 400, message: 'invalid input', ...validation},
    },
  });

const vendors = [
  withSchema(
    'classic',
    classic.object({error: classic.object({code: classic.string(), message: classic.string().optional()})}),
  ),
  withSchema(
    'mini',
    mini.object({error: mini.object({code: mini.string(), message: mini.optional(mini.string())})}),
  ),
];

describe('envelope() takes zod classic and zod/mini schemas', () => {
  test.each(vendors)('$name: a matching body gives its code and message', (vendor) => {
    const verdict = classify(vendor, {
      status: 400,
      headers: {},
      body: {error: {code: 'busy', message: 'wait'}},
    });
    expect(verdict).toMatchObject({
      action: 'throttle',
      category: 'rate_limited',
      code: 'busy',
      message: 'wait',
    });
  });

  test.each(vendors)('$name: a body of another shape falls back on the status', (vendor) => {
    const verdict = classify(vendor, {status: 400, headers: {}, body: {error: 'busy'}});
    expect(verdict).toMatchObject({action: 'fail', category: 'validation'});
    expect(verdict).not.toHaveProperty('code', 'busy');
  });

  test('read is typed from either kind of schema', () => {
    envelope(mini.object({code: mini.number()}), (body) => {
      expectTypeOf(body).toEqualTypeOf<{code: number}>();
      return {code: body.code};
    });
    envelope(classic.object({code: classic.number()}), (body) => {
      expectTypeOf(body).toEqualTypeOf<{code: number}>();
      return {code: body.code};
    });
  });
});
