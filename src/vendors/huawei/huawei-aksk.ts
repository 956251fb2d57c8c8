/**
 * @module `huaweiAkSk()`: signs every Huawei Cloud attempt with an AK/SK (`SDK-HMAC-SHA256`).
 */
import type {Hooks} from 'ky';
import {registerSecret} from '../../core/redact.ts';
import {
  EMPTY_BODY_SHA256,
  importAkSkKey,
  sdkDate,
  sha256Hex,
  signAkSk,
  UNSIGNED_PAYLOAD,
} from './sign-aksk.ts';

/**
 * An access key pair and what the official SDK core sends with it.
 *
 * @example
 * ```ts
 * huaweiAkSk({ak: process.env.HUAWEI_AK ?? '', sk: process.env.HUAWEI_SK ?? '', projectId});
 * ```
 */
export type HuaweiAkSkOptions = {
  /** The access key id (not secret; it appears in the `Authorization` header). */
  readonly ak: string;
  /** The secret access key: the HMAC key, never sent; redacted from every error. */
  readonly sk: string;
  /**
   * Sent (and signed) as `X-Project-Id`, as the SDK core does for project-scoped services.
   * @default undefined (no header)
   */
  readonly projectId?: string | undefined;
  /**
   * The security token of temporary credentials, sent (and signed) as `X-Security-Token`.
   * @default undefined (permanent AK/SK)
   */
  readonly securityToken?: string | undefined;
  /**
   * The clock, in milliseconds since the epoch (a test seam; the gateway refuses signatures more
   * than 15 minutes off with `APIGW.0303`).
   * @default Date.now
   */
  readonly now?: () => number;
};

const isJson = (contentType: string | null): boolean =>
  contentType === null || contentType.toLowerCase() === 'application/json';

const payloadHash = async (request: Request): Promise<string> => {
  const given = request.headers.get('x-sdk-content-sha256');
  if (given !== null) {
    return given;
  }
  // Like the SDK core: only JSON bodies are hashed; others travel as UNSIGNED-PAYLOAD, so an
  // upload is never buffered for its hash.
  if (!isJson(request.headers.get('content-type'))) {
    request.headers.set('X-Sdk-Content-Sha256', UNSIGNED_PAYLOAD);
    return UNSIGNED_PAYLOAD;
  }
  if (request.body === null) {
    return EMPTY_BODY_SHA256;
  }
  return sha256Hex(await request.clone().arrayBuffer());
};

/**
 * ky hooks that sign Huawei Cloud requests the way `@huaweicloud/huaweicloud-sdk-core` does:
 * `Authorization: SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<…>, Signature=<…>` over the
 * canonical request (method, path, sorted query, every request header plus `host` and
 * `X-Sdk-Date`, and the body's SHA-256). Every retry is signed again with a fresh date.
 *
 * Uses Web Crypto only, so it runs in Node, Deno, Bun and browsers.
 *
 * @throws {TypeError} when `ak` or `sk` is empty.
 * @example
 * ```ts
 * const octopus = ky.create({
 *   prefix: `https://octopus.cn-south-1.myhuaweicloud.com/v1.0/${projectId}/`,
 *   ...withVendor(huaweiCloud, {auth: huaweiAkSk({ak, sk, projectId})}),
 * });
 * ```
 */
export const huaweiAkSk = (options: HuaweiAkSkOptions): Hooks => {
  const {ak, sk, projectId, securityToken} = options ?? {};
  if (typeof ak !== 'string' || ak === '' || typeof sk !== 'string' || sk === '') {
    throw new TypeError('huaweiAkSk needs a non-empty `ak` and `sk`');
  }
  // Only the long-lived secrets: per-request signatures would crowd them out of the bounded
  // registry, and the `SDK-HMAC-SHA256 …` pattern already cuts them out of every message.
  registerSecret(sk);
  if (typeof securityToken === 'string') {
    registerSecret(securityToken);
  }
  const now = options.now ?? Date.now;
  let key: Promise<CryptoKey> | undefined;

  const sign = async (request: Request): Promise<void> => {
    key ??= importAkSkKey(sk);
    request.headers.delete('authorization');
    if (typeof projectId === 'string' && projectId !== '') {
      request.headers.set('X-Project-Id', projectId);
    }
    if (typeof securityToken === 'string' && securityToken !== '') {
      request.headers.set('X-Security-Token', securityToken);
    }
    const date = sdkDate(new Date(now()));
    request.headers.set('X-Sdk-Date', date);
    const hash = await payloadHash(request);
    const url = new URL(request.url);
    const signed = new Headers(request.headers);
    // The SDK core leaves a multipart boundary out of the signature.
    if (signed.get('content-type')?.includes('multipart/form-data')) {
      signed.delete('content-type');
    }
    signed.set('host', url.host);
    const {authorization} = await signAkSk(await key, ak, {
      method: request.method,
      url,
      headers: signed,
      payloadHash: hash,
      sdkDate: date,
    });
    request.headers.set('Authorization', authorization);
  };

  return {
    beforeRequest: [
      async ({request}) => {
        await sign(request);
      },
    ],
    beforeRetry: [
      async ({request}) => {
        await sign(request);
      },
    ],
  };
};
