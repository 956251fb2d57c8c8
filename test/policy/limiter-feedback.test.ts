import {describe, expect, test} from 'vitest';
import {z} from 'zod';
import {parseRateLimit, rateLimitHint} from '../../src/core/hints.ts';
import {
  classify,
  defineVendor,
  envelope,
  type FailureVerdict,
  rateWindowHint,
  throttled,
  upyun,
  type Vendor,
} from '../../src/index.ts';
import {limiterKey} from '../../src/policy/limiter/limiter-key.ts';

/** A gateway that states its limit in the message, like Huawei's APIGW.0308. */
const gateway = defineVendor({
  name: 'gateway',
  envelopes: [
    envelope(z.object({error_code: z.string(), error_msg: z.string()}), (body) => ({
      code: body.error_code,
      message: body.error_msg,
    })),
  ],
  codes: {'APIGW.0308': {status: 429, message: 'The throttling threshold has been reached', ...throttled}},
  hints: [
    rateWindowHint,
    () => {
      throw new Error('a broken hint parser');
    },
  ],
  rateHints: [rateLimitHint],
});

/** What a throttle states, as the verdict carries it to the limiter. */
const stated = (vendor: Vendor, message: string, headers: Record<string, string> = {}) => {
  const verdict = classify(vendor, {
    status: 429,
    headers,
    body: {error_code: 'APIGW.0308', error_msg: message},
  }) as FailureVerdict;
  return {statedDelayMs: verdict.statedDelayMs, statedRate: verdict.statedRate};
};

const plain = defineVendor({name: 'plain', codes: {}});

describe('parseRateLimit', () => {
  test.each([
    ['policy ip over ratelimit,limit:5,time:5 second', {limit: 5, windowMs: 5000}],
    ['policy user over ratelimit,limit:100,time:1 minute', {limit: 100, windowMs: 60_000}],
    ['policy api over ratelimit, limit: 2000 , time: 1 minutes', {limit: 2000, windowMs: 60_000}],
    ['limit:3,time:2 h', {limit: 3, windowMs: 7_200_000}],
    ['limit:0,time:1 second', undefined],
    ['limit:5,time:0 second', undefined],
    ['Too many request exceeds the threshold', undefined],
    [undefined, undefined],
  ])('reads %j as %o', (message, expected) => {
    expect(parseRateLimit(message)).toEqual(expected);
  });
});

describe('what a throttle states', () => {
  test('the pause and the rate of an APIGW.0308 message', () => {
    const message =
      'The throttling threshold has been reached: policy ip over ratelimit,limit:5,time:1 second';
    expect(stated(gateway, message)).toEqual({statedDelayMs: 1000, statedRate: {limit: 5, periodMs: 1000}});
  });

  test('the longest wait the server stated, Retry-After included', () => {
    const message = 'over ratelimit,limit:100,time:1 second';
    expect(stated(gateway, message, {'retry-after': '3'})).toEqual({
      statedDelayMs: 3000,
      statedRate: {limit: 100, periodMs: 1000},
    });
  });

  test('no wait and no rate when the server gave none (a table default is not a statement)', () => {
    expect(stated(plain, 'too many requests')).toEqual({
      statedDelayMs: undefined,
      statedRate: undefined,
    });
  });
});

describe('limiterKey', () => {
  test('names the vendor and the host, port included', () => {
    const key = limiterKey('upyun');
    expect(key(new Request('https://v0.api.upyun.com/bucket/a.jpg'))).toBe('upyun:v0.api.upyun.com');
    expect(upyun.rateKey?.(new Request('https://v0.api.upyun.com/bucket/a.jpg'))).toBe(
      'upyun:v0.api.upyun.com/bucket',
    );
    expect(key(new Request('http://127.0.0.1:8080/x'))).toBe('upyun:127.0.0.1:8080');
  });
});
