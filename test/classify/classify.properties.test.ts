import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {MAX_TIMER_MS} from '../../src/core/parse-retry-after.ts';
import {type Category, classify, type Vendor} from '../../src/index.ts';
import {brightdata} from '../../src/vendors/brightdata/brightdata.ts';
import {huaweiCloud} from '../../src/vendors/huawei/huawei-cloud.ts';
import {supametas} from '../../src/vendors/supametas/supametas.ts';
import {upyun} from '../../src/vendors/upyun/upyun.ts';
import {acme} from '../helpers/acme.ts';

/** `npm run test:stress` sets STRESS=1 for the long runs CI makes. */
const numRuns = process.env.STRESS ? 10_000 : 300;

const CATEGORIES: ReadonlySet<Category> = new Set([
  'auth',
  'permission',
  'validation',
  'not_found',
  'conflict',
  'quota',
  'rate_limited',
  'not_ready',
  'transient',
  'server',
  'job_failed',
  'unknown',
]);
const ACTIONS = new Set(['retry', 'throttle', 'poll', 'fail']);

const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const vendorishObject = fc.record(
  {
    code: fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constantFrom('0', 'OPS40001', 'APIG.0308', 'octopus.202230', 42900001),
    ),
    msg: fc.string(),
    message: fc.oneof(fc.string(), fc.constant('Snapshot is building, try again in 10s')),
    error_code: fc.oneof(fc.string(), fc.constantFrom('APIGW.0308', 'octopus.000102')),
    error_msg: fc.string(),
    error: fc.oneof(fc.string(), fc.record({code: fc.string(), message: fc.string()})),
    status: fc.oneof(fc.string(), fc.constantFrom('failed', 'ready', 'running')),
    error_message: fc.string(),
    data: fc.jsonValue(),
    id: fc.string(),
  },
  {requiredKeys: []},
);
const body = fc.oneof(
  fc.jsonValue(),
  vendorishObject,
  fc.dictionary(pollutingKey, fc.jsonValue()),
  fc.string(),
  fc.string({unit: 'binary'}),
  fc.uint8Array().map((bytes) => new TextDecoder().decode(bytes)),
  fc.constant('x'.repeat(200_000)),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "code": "__proto__"}')),
  fc.constant(undefined),
);
const headers = fc.dictionary(
  fc.oneof(fc.constantFrom('retry-after', 'x-error-code', 'x-request-id', 'content-type'), fc.string()),
  fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.date({noInvalidDate: true}).map((d) => d.toUTCString()),
  ),
);
const status = fc.oneof(fc.integer({min: 100, max: 599}), fc.integer(), fc.constant(Number.NaN));

const vendors: readonly Vendor[] = [acme, brightdata, upyun, huaweiCloud, supametas];

describe.each(vendors.map((vendor) => [vendor.name, vendor] as const))(
  'classify(%s) under arbitrary input',
  (_, vendor) => {
    test('never throws and always returns a valid verdict', () => {
      fc.assert(
        fc.property(status, headers, body, (s, h, b) => {
          const verdict = classify(vendor, {status: s, headers: h, body: b});
          if (verdict.action === 'ok') {
            return verdict.vendor === vendor.name;
          }
          const delayOk = [verdict.statedDelayMs, verdict.defaultDelayMs, verdict.minDelayMs].every(
            (ms) => ms === undefined || (Number.isInteger(ms) && ms >= 0 && ms <= MAX_TIMER_MS),
          );
          return (
            verdict.vendor === vendor.name &&
            ACTIONS.has(verdict.action) &&
            CATEGORIES.has(verdict.category) &&
            delayOk &&
            (verdict.message === undefined || verdict.message.length <= 520)
          );
        }),
        {numRuns},
      );
      expect(({} as {polluted?: boolean}).polluted).toBeUndefined();
    });

    test('a non-2xx response is never ok', () => {
      fc.assert(
        fc.property(
          fc.integer({min: 300, max: 599}),
          headers,
          body,
          (s, h, b) => classify(vendor, {status: s, headers: h, body: b}).action !== 'ok',
        ),
        {numRuns},
      );
    });
  },
);
