import {describe, expect, expectTypeOf, test} from 'vitest';
import {type Rule, row, throttled, validation} from '../../src/core/rule.ts';
import {upyunCodeStatus} from '../../src/vendors/upyun/code-status.ts';
import {upyunCodes} from '../../src/vendors/upyun/codes.ts';

describe('row(): a code table row as the vendor writes it', () => {
  test.each([
    {
      written: row('wrong uri', validation),
      spelled: {message: 'wrong uri', category: 'validation', action: 'fail'},
    },
    {
      written: row(400, 'Orchestration error.', validation),
      spelled: {status: 400, message: 'Orchestration error.', category: 'validation', action: 'fail'},
    },
    {
      written: row(429, 'slow down', {...throttled, delayMs: 2000}),
      spelled: {
        status: 429,
        message: 'slow down',
        category: 'rate_limited',
        action: 'throttle',
        processed: false,
        delayMs: 2000,
      },
    },
  ] satisfies {written: Rule; spelled: Rule}[])('$spelled.message', ({written, spelled}) => {
    expect(written).toStrictEqual(spelled);
  });

  test('keeps the literal types of the row', () => {
    expectTypeOf(row(404, 'gone', validation).status).toEqualTypeOf<404>();
    expectTypeOf(row('gone', validation).message).toEqualTypeOf<'gone'>();
    expectTypeOf(upyunCodes[42900007].status).toEqualTypeOf<429>();
    expectTypeOf(upyunCodes[40400001].message).toEqualTypeOf<'file or directory not found'>();
    expectTypeOf(upyunCodes[40001000].category).toEqualTypeOf<'validation'>();
    expectTypeOf(upyunCodes[50300000].action).toEqualTypeOf<'retry'>();
  });
});

describe("UPYUN rows written as a bare message: their status's usual handling", () => {
  test.each([
    [40001000, {status: 400, message: 'wrong uri', category: 'validation', action: 'fail'}],
    [40100005, {status: 401, message: 'signature error', category: 'auth', action: 'fail', processed: false}],
    [40400001, {status: 404, message: 'file or directory not found', category: 'not_found', action: 'fail'}],
    [44400003, {status: 444, message: 'client abort', category: 'transient', action: 'retry'}],
    [50300000, {status: 503, message: 'unknown error', category: 'transient', action: 'retry'}],
    [59900001, {status: 599, message: 'sync call timeout', category: 'transient', action: 'retry'}],
  ] as const)('%i', (code, spelled) => {
    expect(upyunCodes[code]).toStrictEqual(spelled);
  });

  test('every row has a category and an action', () => {
    for (const rule of Object.values(upyunCodes) as Rule[]) {
      expect(typeof rule.category === 'string' && typeof rule.action === 'string').toBe(true);
    }
  });
});

describe('upyunCodeStatus(): the first three digits of an eight-digit code', () => {
  test.each([
    [42900007, 429],
    ['40400001', 404],
    [59900001, 599],
    [4290000, undefined],
    ['4290000x', undefined],
    [99900001, undefined],
    [123456789, undefined],
  ] as const)('%s → %s', (code, status) => {
    expect(upyunCodeStatus(code)).toBe(status);
  });
});
