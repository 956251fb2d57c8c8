import {describe, expect, test} from 'vitest';
import {redact, redactUrl, redactValue, registerSecret} from '../../src/core/redact.ts';
import {isSecretName} from '../../src/core/secret-names.ts';

describe('redact', () => {
  test.each([
    ['Authorization: Bearer abcdef.ghijk-123', 'abcdef.ghijk-123'],
    ['UPYUN operator123:YUaAZX+WNAcJdNGHS5SBlITME5A=', 'YUaAZX+WNAcJdNGHS5SBlITME5A='],
    ['Access-Key: sk-live-1234567890', 'sk-live-1234567890'],
    ['{"x-auth-token":"MIIabcdef123456"}', 'MIIabcdef123456'],
    ['password=hunter22&user=a', 'hunter22'],
    [`token ${'A'.repeat(200)}`, 'A'.repeat(100)],
    ['Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
  ])('removes the credential from %j', (text, secret) => {
    expect(redact(text)).not.toContain(secret);
    expect(redact(text)).toContain('[REDACTED]');
  });

  test('removes registered secrets wherever they appear', () => {
    registerSecret('my-very-own-secret-key');
    expect(redact('vendor said: key my-very-own-secret-key is wrong')).toBe(
      'vendor said: key [REDACTED] is wrong',
    );
  });

  test.each([
    'The request token expires',
    'The request token is invalid',
    'The token must be updated.',
    'Incorrect IAM authentication information: decrypt token fail',
    'Incorrect IAM authentication information: x-auth-token not found',
    'Auth method is not supported',
  ])('keeps the vendor message %j intact', (message) => {
    expect(redact(message)).toBe(message);
  });

  test('keeps ordinary messages and request ids', () => {
    const text = 'file or directory not found (id 11e4a729d24943409933a5e8314cd32e)';
    expect(redact(text)).toBe(text);
  });

  test('removes credentials from URLs', () => {
    const url = redactUrl(
      'https://user:pw@api.brightdata.com/datasets/v3/trigger?dataset_id=gd_1&auth_header=Bearer%20xyz',
    );
    expect(url).not.toContain('pw');
    expect(url).not.toContain('xyz');
    expect(url).toContain('dataset_id=gd_1');
  });
});

describe('isSecretName', () => {
  test.each([
    'access_token',
    'client_secret',
    'sig',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'api_key',
    'apiKey',
    'API-KEY',
    'password',
    'passwd',
    'sessionid',
    'Authorization',
    'Proxy-Authorization',
    'Cookie',
    'Set-Cookie',
    'Access-Key',
    'X-Auth-Token',
    'auth_header',
  ])('%s is secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each(['dataset_id', 'page', 'status', 'snapshot_id', 'format', 'limit', 'url'])(
    '%s is not',
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );
});

describe('redactUrl', () => {
  test.each([
    ['https://a.test/x?access_token=AccTok123&page=2', 'https://a.test/x?access_token=[REDACTED]&page=2'],
    [
      'https://a.test/x?client_secret=CliSec1&sig=SigVal1',
      'https://a.test/x?client_secret=[REDACTED]&sig=[REDACTED]',
    ],
    [
      'https://a.test/x?X-Amz-Signature=abc&X-Amz-Date=20260101',
      'https://a.test/x?X-Amz-Signature=[REDACTED]&X-Amz-Date=20260101',
    ],
    ['https://a.test/cb#access_token=xyz987&state=s', 'https://a.test/cb#access_token=[REDACTED]&state=s'],
    ['https://u:p4ss@a.test/x', 'https://a.test/x'],
    ['https://a.test/x?access%5Ftoken=abc123', 'https://a.test/x?access%5Ftoken=[REDACTED]'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('redact, text forms', () => {
  test.each([
    ['GET http://a.test/x?access_token=AccTok9&b=1', 'AccTok9'],
    ['{"password":"hunter22x"}', 'hunter22x'],
    [String.raw`{\"password\":\"hunter22x\"}`, 'hunter22x'],
    [String.raw`{\\\"client_secret\\\":\\\"cs-77777\\\"}`, 'cs-77777'],
    ['Cookie: sid=abc123; theme=dark; csrf=zzz999', 'zzz999'],
    ['Set-Cookie: session=abc123def; HttpOnly', 'abc123def'],
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ['see https://user:s3cretpw@host.test/x', 's3cretpw'],
  ])('%s', (text, secret) => {
    expect(redact(text)).not.toContain(secret);
  });

  test('keeps hosts with ports whose names contain a secret word', () => {
    expect(redact('GET https://auth.example.test:8443/x')).toBe('GET https://auth.example.test:8443/x');
  });

  test('a registered value is found URL-encoded and JSON-escaped too', () => {
    registerSecret('p@ss"word/with+chars', {owner: globalThis});
    for (const form of [encodeURIComponent('p@ss"word/with+chars'), JSON.stringify('p@ss"word/with+chars')]) {
      expect(redact(`x ${form} y`)).not.toContain('word/with');
    }
  });
});

describe('redactValue', () => {
  test('redacts strings, values under secret names, and keeps the rest', () => {
    expect(
      redactValue({
        status: 'failed',
        count: 3,
        input: {password: 'hunter22', apiKey: 12345678, nested: {token: ['a', 'b']}},
        message: 'Bearer abcdef123456 refused',
        echo: '{"client_secret":"cs-1234567"}',
      }),
    ).toEqual({
      status: 'failed',
      count: 3,
      input: {password: '[REDACTED]', apiKey: '[REDACTED]', nested: {token: ['[REDACTED]', '[REDACTED]']}},
      message: 'Bearer [REDACTED] refused',
      echo: '{"client_secret":"[REDACTED]"}',
    });
  });

  test('keeps a "__proto__" field a field', () => {
    const copy = redactValue(JSON.parse('{"__proto__": {"password": "x12345678"}}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
  });
});

describe('redact on hostile text', () => {
  // A body is up to 64 KiB of whatever the server sends; a backtracking pattern took 18 s on
  // 4,000 characters of "tokentoken…". Linear matching takes milliseconds; the bound is generous.
  test.each([
    ['token'.repeat(13_108)],
    ['token   '.repeat(8_192)],
    ['a'.repeat(65_536)],
    ['key='.repeat(16_384)],
    ['Bearer '.repeat(9_362)],
    ['a: '.repeat(21_845)],
  ])('%#: 64 KiB finish within seconds', (text) => {
    const started = performance.now();
    redact(text);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('redact, names after other names', () => {
  test.each([
    ['GET http://a.test/x?access_token=AccTok9&b=1', 'GET http://a.test/x?access_token=[REDACTED]&b=1'],
    ['a:b:token=Tok12345', 'a:b:token=[REDACTED]'],
    ['status: failed; password=hunter22', 'status: failed; password=[REDACTED]'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  test('a:a:a:… (64 KiB) finishes within seconds', () => {
    const started = performance.now();
    redact('a:'.repeat(32_768));
    redact('token:'.repeat(10_922));
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
