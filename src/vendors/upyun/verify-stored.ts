/**
 * @module `verifyStored()`: after a PUT whose answer was lost, asks UPYUN whether the file landed.
 */
import type {KyInstance} from 'ky';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {md5Hex} from './md5.ts';
import {objectPath} from './object-path.ts';
import type {UploadBody, UploadFile} from './upload.ts';

/**
 * What a `HEAD` said about a file whose upload had an unknown outcome:
 * - `stored`: the object exists with the body's size, and its MD5 when one could be compared;
 * - `absent`: no such object (404);
 * - `different`: an object is there, but not this body (another size or MD5): this upload did not land;
 * - `unknown`: the `HEAD` failed too; the file may be stored.
 *
 * @example
 * ```ts
 * if ((await verifyStored(api, file)).status === 'stored') markDone(file);
 * ```
 */
export type StoredCheck = {
  readonly status: 'stored' | 'absent' | 'different' | 'unknown';
  /** What was compared: the size always, the MD5 when known (a `Content-MD5` header, or an in-memory body). */
  readonly compared: readonly ('size' | 'md5')[];
  /** The `HEAD`'s error when `status` is `unknown`. */
  readonly error?: unknown;
};

/** The body's size in bytes and, for in-memory bodies, its MD5 hex. A `Blob` is not read again. */
const fingerprint = (body: UploadBody): {size: number; md5: string | undefined} => {
  if (typeof body === 'string') {
    const bytes = new TextEncoder().encode(body);
    return {size: bytes.byteLength, md5: md5Hex(bytes)};
  }
  if (body instanceof Blob) return {size: body.size, md5: undefined};
  const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  return {size: bytes.byteLength, md5: md5Hex(bytes)};
};

const headerOf = (
  headers: Readonly<Record<string, string>> | undefined,
  name: string,
): string | undefined => {
  const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers?.[key];
};

/**
 * `HEAD /<bucket>/<path>` and compares what UPYUN reports (`x-upyun-file-size`, `Content-Md5`)
 * with the body that was sent. A read: the policy retries it on 5xx and network errors.
 *
 * @example
 * ```ts
 * const check = await verifyStored(api, {bucket: 'photos', path: 'cat.jpg', body});
 * ```
 */
export const verifyStored = async (
  api: KyInstance,
  file: UploadFile,
  signal?: AbortSignal,
): Promise<StoredCheck> => {
  const {size, md5: computed} = fingerprint(file.body);
  const md5 = headerOf(file.headers, 'content-md5')?.toLowerCase() ?? computed;
  let response: Response;
  try {
    response = await api.head(objectPath(file.bucket, file.path), signal === undefined ? {} : {signal});
  } catch (error) {
    if (signal?.aborted) throw error;
    if (isVendorError(error) && error.category === 'not_found') return {status: 'absent', compared: []};
    return {status: 'unknown', compared: [], error};
  }
  const storedSize = Number(response.headers.get('x-upyun-file-size') ?? Number.NaN);
  const storedMd5 = response.headers.get('content-md5')?.toLowerCase();
  const compared: ('size' | 'md5')[] = ['size'];
  if (storedSize !== size) return {status: 'different', compared};
  if (md5 !== undefined && storedMd5 !== undefined) {
    compared.push('md5');
    if (storedMd5 !== md5) return {status: 'different', compared};
  }
  return {status: 'stored', compared};
};
