import {describe, expect, expectTypeOf, test} from 'vitest';
import * as mini from 'zod/mini';
import {classify} from '../../src/classify/classify.ts';
import * as z from '../../src/core/zod-core.ts';
import {upyun} from '../../src/vendors/upyun/upyun.ts';

// UPYUN's envelope as zod/mini wrote it before: the zod/v4/core schema must parse exactly alike.
const before = mini.looseObject({code: mini.union([mini.number(), mini.string()])});
const now = z.looseObject({code: z.union([z.number(), z.string()])});

const bodies: readonly unknown[] = [
  {code: 40400001, msg: 'file or directory not found', id: 'abc'},
  {code: '40400001'},
  {code: 4.5, extra: {nested: [1, 2]}},
  {code: null},
  {code: true},
  {code: {}},
  {msg: 'no code'},
  {},
  [],
  [40400001],
  null,
  undefined,
  'text',
  42,
  Object.create(null),
];

describe('zod/v4/core schemas: parse as zod/mini does', () => {
  test.each(bodies.map((body) => [JSON.stringify(body) ?? String(body), body]))('%s', (_name, body) => {
    const expected = before.safeParse(body);
    const actual = now.safeParse(body);
    expect(actual.success).toBe(expected.success);
    expect(actual.data).toStrictEqual(expected.data);
  });

  test('the parsed value is typed from the shape', () => {
    const result = now.safeParse({code: 1});
    expectTypeOf(result.data?.code).toEqualTypeOf<number | string | undefined>();
    expectTypeOf(result.data?.msg).toEqualTypeOf<unknown>();
  });

  test('a body that throws while parsed: the verdict falls back on the status, as with zod/mini', () => {
    const hostile = {
      get code(): never {
        throw new Error('boom');
      },
    };
    expect(() => before.safeParse(hostile)).toThrow();
    expect(() => now.safeParse(hostile)).toThrow();
    expect(classify(upyun, {status: 503, body: hostile})).toStrictEqual({
      vendor: 'upyun',
      action: 'retry',
      category: 'transient',
      status: 503,
      message: 'Service Unavailable',
    });
  });

  test('a schema that only parses asynchronously is refused, not matched', () => {
    const asyncCheck = mini.string().check(mini.refine(async () => true));
    expect(() => z.parsable(asyncCheck).safeParse('a')).toThrow('must parse synchronously');
  });
});
