import {inspect} from 'node:util';
import {describe, expect, test} from 'vitest';
import type {Category} from '../../src/index.ts';
import {
  AuthError,
  ConflictError,
  createVendorError,
  isVendorError,
  JobFailedError,
  NotFoundError,
  NotReadyError,
  QuotaError,
  RateLimitError,
  ServerError,
  ValidationError,
  VendorError,
} from '../../src/index.ts';

const base = {vendor: 'acme', action: 'fail', status: 400} as const;

describe('errors', () => {
  test.each([
    ['auth', AuthError],
    ['permission', AuthError],
    ['validation', ValidationError],
    ['not_found', NotFoundError],
    ['conflict', ConflictError],
    ['quota', QuotaError],
    ['rate_limited', RateLimitError],
    ['not_ready', NotReadyError],
    ['job_failed', JobFailedError],
    ['transient', ServerError],
    ['server', ServerError],
    ['unknown', ServerError],
  ] as const)('category %s throws %o', (category: Category, ErrorClass) => {
    const error = createVendorError({...base, category, code: 'c1'});
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(ErrorClass.name);
    expect(isVendorError(error)).toBe(true);
  });

  test('retryAt is computed from the decided delay, else the stated one, else the documented one', () => {
    const decided = createVendorError(
      {...base, category: 'rate_limited', statedDelayMs: 1000},
      {nowMs: 1_000_000, delayMs: 5000},
    );
    expect(decided.retryAt?.getTime()).toBe(1_005_000);
    const stated = createVendorError(
      {...base, category: 'rate_limited', statedDelayMs: 1000, defaultDelayMs: 10_000},
      {nowMs: 1_000_000},
    );
    expect([stated.retryAt?.getTime(), stated.statedDelayMs]).toEqual([1_001_000, 1000]);
    const documented = createVendorError(
      {...base, category: 'rate_limited', defaultDelayMs: 10_000},
      {nowMs: 1_000_000},
    );
    expect([documented.retryAt?.getTime(), documented.statedDelayMs]).toEqual([1_010_000, undefined]);
  });

  test('the message names the vendor, code, category, status and request without credentials', () => {
    const request = new Request('https://api.acme.test/x?token=abcdef123', {
      headers: {authorization: 'Bearer zzz5ecret9'},
    });
    const error = createVendorError(
      {...base, category: 'auth', code: 'bad_key', message: 'key Bearer zzz5ecret9 rejected'},
      {method: 'GET', url: request.url, request, attempts: 2},
    );
    expect(error.message).toBe(
      'acme bad_key auth [HTTP 400]: key Bearer [REDACTED] rejected (GET https://api.acme.test/x?token=[REDACTED])',
    );
    for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, {depth: 5})]) {
      expect(text).not.toContain('zzz5ecret9');
      expect(text).not.toContain('abcdef123');
    }
    expect(error.request).toBe(request);
    expect(Object.keys(error)).not.toContain('request');
    expect(Object.keys(error)).not.toContain('response');
  });

  test('toJSON is plain data', () => {
    const error = createVendorError(
      {...base, category: 'validation', code: 40001000, requestId: 'r1'},
      {attempts: 3},
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'ValidationError',
      vendor: 'acme',
      code: 40001000,
      category: 'validation',
      status: 400,
      requestId: 'r1',
      attempts: 3,
    });
  });

  test('isVendorError recognises errors from another realm by their brand and filters by vendor', () => {
    const foreign = {name: 'VendorError', isVendorError: true, vendor: 'acme', code: 'x'};
    expect(isVendorError(foreign)).toBe(true);
    expect(isVendorError({isVendorError: true})).toBe(false);
    const error = createVendorError({...base, category: 'validation'});
    expect(isVendorError(error, {name: 'other'} as never)).toBe(false);
  });
});
