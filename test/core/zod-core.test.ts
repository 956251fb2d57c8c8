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

// Every built-in vendor's envelope, written once for either library as the vendors write them.
type Z = typeof z;
const envelopes = (zz: Z) => {
  const huaweiCode = zz.nullish(zz.union([zz.string(), zz.number()]));
  const huaweiText = zz.nullish(zz.string());
  return {
    upyun: zz.looseObject({code: zz.union([zz.number(), zz.string()])}),
    brightdataLegacy: zz.object({validation_errors: zz.array(zz.unknown())}),
    brightdataCoded: zz.object({
      error: zz.string(),
      code: zz.enum(['validation_error', 'parse_error']),
      errors: zz.optional(zz.unknown()),
    }),
    brightdataStatus: zz.object({
      status: zz.string(),
      message: zz.optional(zz.unknown()),
      error_message: zz.optional(zz.unknown()),
      error: zz.optional(zz.unknown()),
    }),
    brightdataPlain: zz.object({error: zz.string()}),
    brightdataAccepted: zz.object({snapshot_id: zz.string(), message: zz.string()}),
    huawei: zz.object({
      error: zz.catch(
        zz.nullish(
          zz.object({code: huaweiCode, message: huaweiText, encoded_authorization_message: huaweiText}),
        ),
        undefined,
      ),
      error_code: zz.catch(huaweiCode, undefined),
      error_msg: zz.catch(huaweiText, undefined),
      request_id: zz.catch(huaweiText, undefined),
      encoded_authorization_message: zz.catch(huaweiText, undefined),
    }),
    supametas: zz.object({
      code: zz.union([zz.string(), zz.number()]),
      message: zz.optional(zz.unknown()),
      data: zz.optional(zz.unknown()),
    }),
  };
};
// zod/mini's functions take the same arguments; only their declared return types differ.
const written = {mini: envelopes(mini as unknown as Z), core: envelopes(z)};

const vendorBodies: readonly unknown[] = [
  ...bodies,
  {validation_errors: [['url', 'required']]},
  {validation_errors: 'nope'},
  {error: 'bad input', code: 'validation_error', errors: [['url', 'required']]},
  {error: 'bad input', code: 'other_error'},
  {error: 'bad input', code: 'parse_error', errors: null},
  {status: 'failed', error_message: 'boom', message: 3},
  {status: 3},
  {status: 'running', extra: true},
  {error: 'Snapshot not found'},
  {error: {code: 'APIGW.0308', message: 'throttled', encoded_authorization_message: null}},
  {error: {code: 7}, error_code: 'APIG.0101', error_msg: 'x', request_id: 'r'},
  {error: 'not an object', error_code: {}, error_msg: 5, request_id: [], encoded_authorization_message: 1},
  {error: null, error_code: null},
  {error_code: 'octopus.202101', error_msg: 'Cce interface error'},
  {snapshot_id: 's_1', message: 'try again in 10s'},
  {snapshot_id: 1, message: 'x'},
  {code: '0', message: 'ok', data: {taskId: 't'}},
  {code: 'OPS40001', message: '[getDemandFormat] invalid', data: null},
];

describe('zod/v4/core schemas: every vendor envelope parses as with zod/mini', () => {
  const cases = Object.keys(written.core).flatMap((name) =>
    vendorBodies.map((body, index) => [name, index, body] as const),
  );
  test.each(cases)('%s, body %i', (name, _index, body) => {
    const key = name as keyof typeof written.core;
    const expected = written.mini[key].safeParse(body);
    const actual = written.core[key].safeParse(body);
    expect(actual.success).toBe(expected.success);
    expect(actual.data).toStrictEqual(expected.data);
  });
});

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
