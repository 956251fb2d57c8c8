/**
 * @module `upload()`: one file, one `PUT /<bucket>/<path>`, retried by the vendor policy.
 */

import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {withDeadline} from '../../poll/with-deadline.ts';
import {objectPath} from './object-path.ts';

/** What `upload()` accepts as file content: bodies that can be sent again on a retry. */
export type UploadBody = string | Uint8Array<ArrayBuffer> | ArrayBuffer | Blob;

/**
 * One file to store.
 *
 * @example
 * ```ts
 * const file: UploadFile = {bucket: 'photos', path: '2024/cat.jpg', body: bytes, contentType: 'image/jpeg'};
 * ```
 */
export type UploadFile = {
  /** The UPYUN service (bucket) name. */
  readonly bucket: string;
  /** The object key inside the bucket, unencoded (`2024/cat #1.jpg`). */
  readonly path: string;
  /** The file content. */
  readonly body: UploadBody;
  /**
   * The stored `Content-Type`.
   * @default UPYUN's guess from the file extension
   */
  readonly contentType?: string;
  /**
   * Extra request headers (`Content-MD5`, `x-upyun-meta-*`, `Content-Secret`, …). A
   * `Content-MD5` is covered by the `upyunAuth()` signature and checked by UPYUN.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
};

/**
 * `upload()` options: the file plus an abort signal.
 *
 * @example
 * ```ts
 * await upload(api, {bucket: 'photos', path: 'cat.jpg', body, signal: AbortSignal.timeout(30_000)});
 * ```
 */
export type UploadOptions = UploadFile & {
  /**
   * Cancels the upload, waits included.
   * @default undefined
   */
  readonly signal?: AbortSignal;
  /** A deadline for the upload, retries and waits included; it rejects with a `TimeoutError`. */
  readonly timeoutMs?: number;
  /**
   * Whether the policy may resend the PUT after an answer that leaves its outcome unknown (a 5xx, a
   * reset, a timeout). A PUT is idempotent, so by default it is resent; `false` throws at once
   * instead, so the caller can ask UPYUN first (`verifyStored()`) and never write the file twice.
   * Throttles (429 family, 50300007), which prove nothing was written, are still waited out.
   * @default true
   */
  readonly resendUnknown?: boolean;
};

/**
 * A stored file.
 *
 * @example
 * ```ts
 * const {requestId}: UploadResult = await upload(api, file);
 * ```
 */
export type UploadResult = {
  readonly bucket: string;
  /** The path as given. */
  readonly path: string;
  /** The HTTP status of the successful response (200). */
  readonly status: number;
  /** UPYUN's `X-Request-Id`, for support tickets. */
  readonly requestId: string | undefined;
};

/**
 * Stores one file with `PUT /<bucket>/<path>`. The instance's vendor policy does the waiting: the
 * 429 family, 42900007 (concurrent put) and 50300007 (same file twice in one second) are resent
 * after at least a second, 50300013 after a backoff; 42900004 (banned) and 42900006 (too many
 * auth checks) fail at once, since resending only makes them worse.
 *
 * @param api A ky instance made with `withVendor(upyun, …)` and a `prefix` such as
 *   `https://v0.api.upyun.com`.
 * @throws the typed error (`RateLimitError`, `AuthError`, …) of the last response.
 * @example
 * ```ts
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun, {auth: upyunAuth(credentials)})});
 * const {requestId} = await upload(api, {bucket: 'photos', path: '2024/cat.jpg', body: bytes});
 * ```
 */
export const upload = async (api: KyInstance, options: UploadOptions): Promise<UploadResult> => {
  requireVendor(api, 'upyun', 'upload');
  return withDeadline(options, (bounded) => uploadOnce(api, bounded));
};

const uploadOnce = async (api: KyInstance, options: UploadOptions): Promise<UploadResult> => {
  const headers = new Headers(options.headers);
  if (options.contentType !== undefined) {
    headers.set('Content-Type', options.contentType);
  }
  const response = await api.put(objectPath(options.bucket, options.path), {
    body: options.body,
    headers,
    ...(options.signal === undefined ? {} : {signal: options.signal}),
    ...(options.resendUnknown === false ? {hooks: {beforeRetry: [stopOnUnknown]}} : {}),
  });
  // The success body is empty; release the connection without reading it.
  await response.body?.cancel();
  return {
    bucket: options.bucket,
    path: options.path,
    status: response.status,
    requestId: response.headers.get('x-request-id') ?? undefined,
  };
};

/** The typed error a retry was asked for (the policy's retry request carries it as `error`). */
const typedErrorOf = (error: unknown): unknown => {
  const carried = (error as {error?: unknown} | null)?.error;
  return error instanceof Error && error.name === 'RetrySignal' && isVendorError(carried) ? carried : error;
};

/**
 * A `beforeRetry` hook that ends the call instead of resending a PUT whose outcome is unknown;
 * throwing is how ky lets a hook stop a retry.
 */
const stopOnUnknown = ({error}: {error: unknown}): void => {
  const typed = typedErrorOf(error);
  const throttled = isVendorError(typed) && (typed.action === 'throttle' || typed.processed === false);
  if (!throttled) throw typed;
};
