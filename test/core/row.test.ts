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
