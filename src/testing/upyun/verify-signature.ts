/**
 * @module `signatureCheck()`: the simulator's check of `Authorization: UPYUN operator:signature`.
 */
import {md5Hex} from '../../vendors/upyun/md5.ts';
import {importSigningKey, signature, signedUri} from '../../vendors/upyun/sign.ts';
import type {SimRequest} from './sim-types.ts';

/** Why a request was refused: UPYUN's 401 code and message. */
export type SignatureFailure = {readonly code: number; readonly msg: string};

/**
 * A checker for one operator: `undefined` for a valid request, else the 401 UPYUN would answer.
 * The signed URI is the path as received plus its `?query`, the date comes from `X-Date` or `Date`
 * (40100004 no header, 40100003 not `UPYUN`, 40100006 unknown operator, 40100001 no date,
 * 40100016 bad date, 40100002 date too far from `nowMs`, 40100005 wrong signature).
 *
 * @example
 * ```ts
 * const check = signatureCheck({operator: 'op', password: 'secret'}, 1_800_000);
 * const failure = await check(request, Date.now());
 * ```
 */
export const signatureCheck = (
  credentials: {readonly operator: string; readonly password: string},
  maxSkewMs: number,
): ((request: SimRequest, nowMs: number) => Promise<SignatureFailure | undefined>) => {
  let key: Promise<CryptoKey> | undefined;
  return async (request, nowMs) => {
    const header = request.headers.get('authorization')?.trim();
    if (!header) return {code: 40100004, msg: 'need authorization header'};
    const match = /^UPYUN ([^:\s]+):(\S+)$/.exec(header);
    if (match === null) return {code: 40100003, msg: 'unknown realm in authorization header'};
    if (match[1] !== credentials.operator) return {code: 40100006, msg: 'user not exists'};
    // The official SDK sends only X-Date; which header wins when both differ is not documented
    // (assumed: X-Date, the one a browser can set).
    const date = request.headers.get('x-date') ?? request.headers.get('date');
    if (date === null) return {code: 40100001, msg: 'need date header'};
    const dateMs = Date.parse(date);
    if (Number.isNaN(dateMs)) return {code: 40100016, msg: 'invalid date value in header'};
    if (Math.abs(nowMs - dateMs) > maxSkewMs) return {code: 40100002, msg: 'date offset error'};
    key ??= importSigningKey(md5Hex(credentials.password));
    const expected = await signature(await key, {
      method: request.method,
      // UPYUN signs the path as sent plus its `?query`, like the official SDKs.
      uri: signedUri(new URL(request.url, 'http://upyun.invalid')),
      date,
      contentMd5: request.headers.get('content-md5') ?? undefined,
    });
    return expected === match[2] ? undefined : {code: 40100005, msg: 'signature error'};
  };
};
