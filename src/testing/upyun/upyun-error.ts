/**
 * @module `upyunError()`: an UPYUN error answer as the real service sends it.
 */
import type {SimResponse} from './sim-types.ts';

/**
 * An UPYUN error: status = the code's first three digits, body `{msg, code, id}` (none for
 * `HEAD`), and `X-Error-Code` / `X-Request-Id` headers. Use it in `intercept` to inject faults.
 *
 * @example
 * ```ts
 * upyunError(40011061, 'part id error', {requestId: 'abc', headers: {'x-upyun-next-part-id': '2'}});
 * ```
 */
export const upyunError = (
  code: number,
  msg: string,
  options: {
    readonly requestId?: string;
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
  } = {},
): SimResponse => {
  const id = options.requestId ?? '0'.repeat(32);
  return {
    status: Math.floor(code / 100_000),
    headers: {
      'content-type': 'application/json',
      'x-error-code': String(code),
      'x-request-id': id,
      ...options.headers,
    },
    body: options.method?.toUpperCase() === 'HEAD' ? undefined : JSON.stringify({msg, code, id}),
  };
};
