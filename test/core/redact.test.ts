import {describe, expect, test} from 'vitest';
import {redact, redactUrl, registerSecret} from '../../src/core/redact.ts';

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
