/**
 * Huawei error bodies read by `huaweiCloud` and by the official SDK core's own parser
 * (`ExceptionUtil.generalException` of `@huaweicloud/huaweicloud-sdk-core`): code, message,
 * request id and encoded authorization message must agree.
 */
import {createRequire} from 'node:module';
import {describe, expect, test} from 'vitest';
import {classify, createVendorError} from '../../src/index.ts';
import {huaweiCloud, normalizeHuaweiCode} from '../../src/vendors/huawei/huawei-cloud.ts';

type SdkException = {
  readonly errorCode?: string | number;
  readonly errorMsg?: string;
  readonly requestId?: string;
  readonly encodedAuthorizationMessage?: string;
};
type SdkExceptionUtil = {
  generalException(response: {
    data?: unknown;
    status?: number;
    message?: string;
    requestId?: string | undefined;
  }): SdkException;
};

const require = createRequire(import.meta.url);
const {ExceptionUtil} = require('@huaweicloud/huaweicloud-sdk-core/exception/ExceptionUtil') as {
  ExceptionUtil: SdkExceptionUtil;
};

const encoded = `${'AbCdEf0123456789+/'.repeat(8)}==`;

type Row = readonly [name: string, status: number, body: Record<string, unknown>, requestIdHeader?: string];

const rows: readonly Row[] = [
  [
    'flat gateway body',
    429,
    {error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached', request_id: 'b1'},
    'h1',
  ],
  [
    'APIG spelling',
    401,
    {error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information: decrypt token fail'},
    'h2',
  ],
  [
    'nested body',
    403,
    {error: {code: 'APIGW.0302', message: 'The IAM user is not authorized to access the API'}},
    'h3',
  ],
  [
    'mixed body: nested code wins',
    400,
    {
      error: {code: 'octopus.202101', message: 'Cce interface error'},
      error_code: 'APIGW.0201',
      error_msg: 'API request error',
    },
    'h4',
  ],
  [
    'mixed body: nested code, flat message',
    409,
    {error: {code: 'octopus.400009'}, error_code: 'APIGW.0201', error_msg: 'in use'},
    'h5',
  ],
  [
    'nested null code falls back on flat code',
    404,
    {error: {code: null, message: 'gone'}, error_code: 'APIGW.0101'},
    'h6',
  ],
  ['numeric flat code', 400, {error_code: 202101, error_msg: 'numeric'}, 'h7'],
  ['numeric nested code', 500, {error: {code: 500, message: 'Internal Server Error'}}, 'h8'],
  ['message only (flat)', 500, {error_msg: 'Internal server error'}, 'h9'],
  ['message only (nested)', 503, {error: {message: 'Service temporarily unavailable'}}, 'h10'],
  [
    'flat encoded authorization message',
    403,
    {error_code: 'APIGW.0302', error_msg: 'denied', encoded_authorization_message: encoded},
    'h11',
  ],
  [
    'nested encoded authorization message',
    403,
    {error: {code: 'IAM.0001', message: 'denied', encoded_authorization_message: encoded}},
    'h12',
  ],
  [
    'octopus body without request id',
    401,
    {error_code: 'octopus.000102', error_msg: 'The request token expires'},
    'h13',
  ],
  [
    'body request id and header',
    409,
    {error_code: 'octopus.107005', error_msg: 'running', request_id: 'body-id'},
    'header-id',
  ],
  [
    'nested error is a string',
    400,
    {error: 'bad', error_code: 'APIGW.0602', error_msg: 'Bad request'},
    'h15',
  ],
];

describe('huaweiCloud reads error bodies as the SDK core does', () => {
  test.each(rows)('%s', (...row) => {
    const [, status, body, requestIdHeader] = row as unknown as Row;
    const sdk = ExceptionUtil.generalException({data: body, status, requestId: requestIdHeader});
    const verdict = classify(huaweiCloud, {status, headers: {'x-request-id': requestIdHeader ?? ''}, body});
    if (verdict.action === 'ok') {
      throw new Error('an error body must never pass as success');
    }
    expect(verdict.code).toEqual(
      sdk.errorCode === undefined ? undefined : normalizeHuaweiCode(sdk.errorCode),
    );
    if (sdk.errorMsg !== undefined) {
      expect(verdict.message).toBe(sdk.errorMsg);
    }
    expect(verdict.requestId).toBe(sdk.requestId);
    expect(verdict.authorizationMessage).toBe(sdk.encodedAuthorizationMessage);
  });

  test('without the X-Request-Id header the body request_id is kept', () => {
    const verdict = classify(huaweiCloud, {
      status: 409,
      body: {error_code: 'octopus.400009', error_msg: 'x', request_id: 'body-id'},
    });
    expect(verdict).toMatchObject({requestId: 'body-id'});
  });

  test('a message-only body keeps its message and is decided by its status', () => {
    const verdict = classify(huaweiCloud, {status: 429, body: {error_msg: 'slow down'}});
    expect(verdict).toMatchObject({action: 'throttle', category: 'rate_limited', message: 'slow down'});
    expect(verdict).not.toHaveProperty('code');
  });

  test('a numeric code is kept as a number', () => {
    const verdict = classify(huaweiCloud, {status: 400, body: {error_code: 202101, error_msg: 'x'}});
    expect(verdict).toMatchObject({code: 202101, category: 'validation'});
  });

  test('the encoded authorization message reaches the error and its JSON, secrets cut out', () => {
    const leaked = `${encoded}Authorization: Bearer sk-live-0123456789abcdef`;
    const verdict = classify(huaweiCloud, {
      status: 403,
      body: {error_code: 'APIGW.0302', error_msg: 'denied', encoded_authorization_message: leaked},
    });
    if (verdict.action === 'ok') {
      throw new Error('expected a failure');
    }
    const error = createVendorError(verdict);
    expect(error.authorizationMessage?.startsWith(encoded)).toBe(true);
    expect(JSON.stringify(error.toJSON())).not.toContain('sk-live-0123456789abcdef');
    expect(error.toJSON()).toMatchObject({authorizationMessage: error.authorizationMessage});
  });
});
