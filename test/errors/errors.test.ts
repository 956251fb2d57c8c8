import {inspect} from 'node:util';
import {HTTPError, isHTTPError, isKyError, isNetworkError, KyError, NetworkError} from 'ky';
import {describe, expect, test} from 'vitest';
import {sealKyError} from '../../src/errors/seal-ky-error.ts';
import type {Category} from '../../src/index.ts';
import {
  AuthError,
  CircuitOpenError,
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

describe('ky compatibility', () => {
  const request = new Request('https://api.acme.test/x?access_token=AccTok-123456', {
    headers: {authorization: 'Bearer zzz5ecret9abc', cookie: 'sid=C00kie-99999'},
  });
  const secrets = ['AccTok-123456', 'zzz5ecret9abc', 'C00kie-99999'];
  const views = (error: unknown): string[] => [
    String(error),
    JSON.stringify(error),
    JSON.stringify({...(error as object)}),
    inspect(error, {showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true}),
    inspect({...(error as object)}, {showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true}),
    String((error as Error).stack),
  ];

  test('an error made from a response is a KyError and an HTTPError, with response, request and data', () => {
    const response = new Response('{}', {status: 404, headers: {'set-cookie': 'sid=C00kie-99999'}});
    const error = createVendorError(
      {...base, category: 'not_found', code: 'gone'},
      {request, response, envelope: {error: 'gone'}, url: request.url, method: 'GET'},
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toBeInstanceOf(KyError);
    expect(isKyError(error)).toBe(true);
    expect(isHTTPError(error)).toBe(true);
    expect(error.response).toBe(response);
    expect(error.request).toBe(request);
    expect(error.data).toEqual({error: 'gone'});
    expect(error.name).toBe('NotFoundError');
    for (const view of views(error)) for (const secret of secrets) expect(view).not.toContain(secret);
  });

  test('an error without a response (CircuitOpenError, a poll deadline) is a KyError but not an HTTPError', () => {
    const circuit = new CircuitOpenError({vendor: 'acme', action: 'fail', category: 'transient', status: 0});
    const notReady = createVendorError({...base, action: 'poll', category: 'not_ready'});
    for (const error of [circuit, notReady]) {
      expect(isKyError(error)).toBe(true);
      expect(error).toBeInstanceOf(KyError);
      expect(error).toBeInstanceOf(VendorError);
      expect(isVendorError(error)).toBe(true);
      expect(isHTTPError(error)).toBe(false);
      expect(error).not.toBeInstanceOf(HTTPError);
      expect(error.toJSON()).toMatchObject({vendor: 'acme'});
    }
    expect(circuit).toBeInstanceOf(CircuitOpenError);
    expect(circuit).not.toBeInstanceOf(NotReadyError);
    expect(notReady).toBeInstanceOf(NotReadyError);
    expect(notReady).not.toBeInstanceOf(CircuitOpenError);
  });
});

describe('sealKyError', () => {
  test('redacts the message and stack, hides the request from every printer, keeps the class', () => {
    const request = new Request('https://api.acme.test/x?access_token=AccTok-123456', {
      headers: {authorization: 'Bearer zzz5ecret9abc', 'x-custom': 'Cust0m-secret-1'},
    });
    const error = new NetworkError(request, {cause: new TypeError('fetch failed')});
    expect(sealKyError(error)).toBe(error);
    expect(isNetworkError(error)).toBe(true);
    expect(error.request).toBe(request);
    expect(error.message).toBe(
      'Request failed due to a network error: GET https://api.acme.test/x?access_token=[REDACTED]',
    );
    for (const view of [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      JSON.stringify({...error}),
      inspect(error, {showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true}),
    ]) {
      expect(view).not.toContain('AccTok-123456');
      expect(view).not.toContain('zzz5ecret9abc');
      expect(view).not.toContain('Cust0m-secret-1');
    }
    expect(sealKyError(error)).toBe(error);
  });
});
