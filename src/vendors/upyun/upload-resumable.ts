/**
 * @module `uploadResumable()`: UPYUN multipart upload (initiate → parts → complete) that survives
 * lost parts, expired sessions and interruptions.
 */

import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {withDeadline} from '../../poll/with-deadline.ts';
import {objectPath} from './object-path.ts';
import {ResumableUploadError} from './ResumableUploadError.ts';
import {isResumeToken, MIB, type ResumeToken} from './resume-token.ts';

/**
 * Progress of a multipart upload, reported whenever the next part changes.
 *
 * @example
 * ```ts
 * onProgress: ({uploadedBytes, totalBytes}) => bar.update(uploadedBytes / totalBytes)
 * ```
 */
export type ResumableProgress = {
  /** Bytes UPYUN holds (drops to 0 when the session is restarted). */
  readonly uploadedBytes: number;
  readonly totalBytes: number;
  /** The next part to send (`-1`: all parts in). */
  readonly nextPartId: number;
  readonly partCount: number;
  /**
   * Where the upload stands, as plain JSON: save it (synchronously, before returning) and a new
   * process continues with `resumeUpload(api, token, {body})` after a crash, sending no stored
   * part again. Reported once the session exists, and after every part.
   */
  readonly resumeToken: ResumeToken;
};

/**
 * `uploadResumable()` options.
 *
 * @example
 * ```ts
 * await uploadResumable(api, {bucket: 'videos', path: 'talk.mp4', body: blob, partSize: 4 * 1024 * 1024});
 * ```
 */
export type ResumableUploadOptions = {
  /** The UPYUN service (bucket) name. */
  readonly bucket: string;
  /** The object key inside the bucket, unencoded. */
  readonly path: string;
  /** The file content. A `Blob` (or `File`) is read one part at a time. */
  readonly body: Uint8Array<ArrayBuffer> | Blob;
  /**
   * Bytes per part, a whole multiple of 1 MiB (UPYUN's rule); the last part may be shorter.
   * @default 1_048_576
   */
  readonly partSize?: number;
  /**
   * The stored `Content-Type` (`x-upyun-multi-type`).
   * @default UPYUN's guess from the file extension
   */
  readonly contentType?: string;
  /**
   * The MD5 hex of the whole file (`x-upyun-multi-md5`); UPYUN then checks the assembled file and
   * answers 40011060 on a mismatch.
   * @default undefined (not checked)
   */
  readonly md5?: string;
  /**
   * Continue the upload a `ResumableUploadError` stopped, instead of starting a new session.
   * @default undefined
   */
  readonly resumeToken?: ResumeToken;
  /** Called whenever the next part changes. */
  readonly onProgress?: (progress: ResumableProgress) => void;
  /**
   * Stops the upload; the `ResumableUploadError` thrown carries the token to continue it.
   * @default undefined
   */
  readonly signal?: AbortSignal;
  /**
   * A deadline for the whole upload; when it passes the upload stops as on abort, and the
   * `ResumableUploadError` carries the resume token.
   * @default undefined (no deadline)
   */
  readonly timeoutMs?: number;
  /**
   * How many times a lost or corrupt session (40011058, 40011060, 40001035) may be started again
   * from the first part.
   * @default 2
   */
  readonly maxRestarts?: number;
};

/**
 * A completed multipart upload.
 *
 * @example
 * ```ts
 * const {status, uuid, resyncs} = await uploadResumable(api, {bucket, path, body});
 * ```
 */
export type ResumableUploadResult = {
  readonly bucket: string;
  readonly path: string;
  /**
   * The status of the last response: 201 (new file) or 204 (overwrote a file); with
   * `alreadyUploaded`, the 400 that said so.
   */
  readonly status: number;
  readonly requestId: string | undefined;
  /** The session's `x-upyun-multi-uuid`. */
  readonly uuid: string;
  readonly partCount: number;
  /** `true` when UPYUN reported the file complete already (40011059: an earlier `complete` landed). */
  readonly alreadyUploaded: boolean;
  /** Times the part number was corrected from `x-upyun-next-part-id`. */
  readonly resyncs: number;
  /** Times the session was started again. */
  readonly restarts: number;
};

/** Part number mismatch: continue from the server's `x-upyun-next-part-id`. */
const RESYNC_CODES = new Set<unknown>([40011061, 40001030, 40001037]);
/** The part is stored already: skip it. */
const SKIP_CODES = new Set<unknown>([40011062, 40001031]);
/** The file is complete already: done. */
const DONE_CODES = new Set<unknown>([40011059, 40001036]);
/** The session is gone (expired after 24 h) or its data is corrupt: start again. */
const RESTART_CODES = new Set<unknown>([40011058, 40011060, 40001035]);

/**
 * Uploads a large file in parts with UPYUN's multipart API: `initiate` (204 with
 * `x-upyun-multi-uuid`), one `upload` per part in order, then `complete` (201/204). Each request
 * is retried by the instance's vendor policy (429 family, 503s). Beyond that it recovers the way
 * UPYUN's own SDKs do: a part-number mismatch (40011061) continues from the server's
 * `x-upyun-next-part-id`, a stored part (40011062) is skipped, "file already upload" (40011059)
 * ends the upload, and an expired or corrupt session (40011058, 40011060) starts over.
 *
 * Parts are sent in order (no `x-upyun-multi-disorder`), so UPYUN's part-number check stays on
 * and a lost response can always be resynchronised.
 *
 * @throws {ResumableUploadError} once the session exists, with `resumeToken` and `cause` (the typed
 *   error or abort reason); errors of `initiate` itself are thrown as they are (nothing to resume).
 * @throws {TypeError} for a part size that is not a multiple of 1 MiB, or a token for another file.
 * @example
 * ```ts
 * const options = {bucket: 'videos', path: 'talk.mp4', body: file};
 * try {
 *   await uploadResumable(api, options);
 * } catch (error) {
 *   if (!(error instanceof ResumableUploadError)) throw error;
 *   await uploadResumable(api, {...options, resumeToken: error.resumeToken});
 * }
 * ```
 */
export const uploadResumable = async (
  api: KyInstance,
  options: ResumableUploadOptions,
): Promise<ResumableUploadResult> => {
  requireVendor(api, 'upyun', 'uploadResumable');
  return withDeadline(options, (bounded) => uploadInParts(api, bounded));
};

const uploadInParts = async (
  api: KyInstance,
  options: ResumableUploadOptions,
): Promise<ResumableUploadResult> => {
  const {bucket, path, body, signal, resumeToken} = options;
  const input = objectPath(bucket, path);
  const length = body instanceof Blob ? body.size : body.byteLength;
  const partSize = checkPartSize(resumeToken?.partSize ?? options.partSize ?? MIB);
  if (resumeToken !== undefined) {
    checkToken(resumeToken, {bucket, path, length, partSize: options.partSize});
  }
  const maxRestarts = options.maxRestarts ?? 2;
  const partCount = Math.ceil(length / partSize);
  const maxResyncs = partCount + 4;
  const withSignal = signal === undefined ? {} : {signal};

  const send = (headers: Record<string, string>, part?: Blob | Uint8Array<ArrayBuffer>) =>
    api.put(input, {headers, body: part ?? new Uint8Array(), ...withSignal});

  const initiate = async (): Promise<{uuid: string; next: number}> => {
    const response = await send({
      'x-upyun-multi-stage': 'initiate',
      'x-upyun-multi-length': String(length),
      'x-upyun-multi-part-size': String(partSize),
      ...(options.contentType === undefined ? {} : {'x-upyun-multi-type': options.contentType}),
    });
    await response.body?.cancel();
    const uuid = response.headers.get('x-upyun-multi-uuid');
    if (uuid === null || uuid === '') {
      throw new Error(
        `upyun initiate of /${bucket}/${path} answered ${response.status} without x-upyun-multi-uuid`,
      );
    }
    return {uuid, next: toNext(readNext(response.headers) ?? 0, partCount)};
  };

  let {uuid, next} =
    resumeToken === undefined
      ? await initiate()
      : {uuid: resumeToken.uuid, next: toNext(resumeToken.nextPartId, partCount)};
  let resyncs = 0;
  let restarts = 0;

  const uploadedBytes = (): number => (next === -1 ? length : Math.min(next * partSize, length));
  const token = (): ResumeToken => ({uuid, nextPartId: next, partSize, length, bucket, path});
  const interrupted = (cause: unknown) => new ResumableUploadError(token(), uploadedBytes(), cause);
  const report = (): void =>
    options.onProgress?.({
      uploadedBytes: uploadedBytes(),
      totalBytes: length,
      nextPartId: next,
      partCount,
      resumeToken: token(),
    });
  const moveTo = (target: number): void => {
    next = toNext(target, partCount);
    report();
  };
  const resync = (target: number | undefined, cause: unknown): void => {
    resyncs++;
    if (target === undefined || resyncs > maxResyncs) throw interrupted(cause);
    moveTo(target);
  };
  const done = (status: number, requestId: string | undefined, alreadyUploaded: boolean) => ({
    bucket,
    path,
    status,
    requestId,
    uuid,
    partCount,
    alreadyUploaded,
    resyncs,
    restarts,
  });

  // The token exists from here on: hand it out before the first part, so a crash during part 0
  // does not lose the session.
  if (resumeToken === undefined) report();

  // Bounded: each pass sends a part that moves `next` forward, or spends the resync or restart budget, or returns.
  for (;;) {
    if (signal?.aborted) throw interrupted(signal.reason);
    const partId = next;
    try {
      if (partId !== -1) {
        const start = partId * partSize;
        const response = await send(
          {'x-upyun-multi-stage': 'upload', 'x-upyun-multi-uuid': uuid, 'x-upyun-part-id': String(partId)},
          body.slice(start, Math.min(start + partSize, length)),
        );
        await response.body?.cancel();
        const target = readNext(response.headers) ?? partId + 1;
        if (target !== -1 && target <= partId) resync(target, new Error(`part ${partId} did not advance`));
        else moveTo(target);
        continue;
      }
      const response = await send({
        'x-upyun-multi-stage': 'complete',
        'x-upyun-multi-uuid': uuid,
        ...(options.md5 === undefined ? {} : {'x-upyun-multi-md5': options.md5}),
      });
      await response.body?.cancel();
      return done(response.status, response.headers.get('x-request-id') ?? undefined, false);
    } catch (error) {
      if (error instanceof ResumableUploadError) throw error;
      if (signal?.aborted) throw interrupted(signal.reason);
      if (!isVendorError(error)) throw interrupted(error);
      if (DONE_CODES.has(error.code)) return done(error.status, error.requestId, true);
      if (RESYNC_CODES.has(error.code)) {
        resync(error.response === undefined ? undefined : readNext(error.response.headers), error);
      } else if (SKIP_CODES.has(error.code)) {
        const header = error.response === undefined ? undefined : readNext(error.response.headers);
        resync(header ?? (partId === -1 ? undefined : partId + 1), error);
      } else if (RESTART_CODES.has(error.code) && restarts < maxRestarts) {
        restarts++;
        try {
          ({uuid, next} = await initiate());
        } catch (initiateError) {
          throw interrupted(initiateError);
        }
        moveTo(next);
      } else {
        throw interrupted(error);
      }
    }
  }
};

/** `x-upyun-next-part-id` as a number, or `undefined` when absent or malformed. */
const readNext = (headers: Headers): number | undefined => {
  const value = headers.get('x-upyun-next-part-id');
  if (value === null || !/^-?\d+$/.test(value.trim())) return undefined;
  const parsed = Number(value);
  return parsed >= -1 ? parsed : undefined;
};

/** A part id past the last part means "all parts in". */
const toNext = (target: number, partCount: number): number => (target >= partCount ? -1 : target);

const checkPartSize = (partSize: number): number => {
  if (!Number.isInteger(partSize) || partSize <= 0 || partSize % MIB !== 0) {
    throw new TypeError(`\`partSize\` must be a positive multiple of 1 MiB (${MIB}), got ${partSize}`);
  }
  return partSize;
};

const checkToken = (
  token: ResumeToken,
  file: {bucket: string; path: string; length: number; partSize: number | undefined},
): void => {
  if (!isResumeToken(token)) {
    throw new TypeError('`resumeToken` is not a valid resume token');
  }
  if (token.bucket !== file.bucket || token.path !== file.path || token.length !== file.length) {
    throw new TypeError(
      `\`resumeToken\` belongs to /${token.bucket}/${token.path} (${token.length} bytes), not /${file.bucket}/${file.path} (${file.length} bytes)`,
    );
  }
  if (file.partSize !== undefined && file.partSize !== token.partSize) {
    throw new TypeError(`\`partSize\` ${file.partSize} differs from the token's ${token.partSize}`);
  }
};

/**
 * `resumeUpload()` options: the file's content again (a token never carries it) and the options
 * of `uploadResumable()` other than where the file goes.
 *
 * @example
 * ```ts
 * await resumeUpload(api, token, {body: await openAsBlob('talk.mp4'), onProgress: save});
 * ```
 */
export type ResumeUploadOptions = Omit<
  ResumableUploadOptions,
  'bucket' | 'path' | 'resumeToken' | 'partSize'
>;

/**
 * Continues a multipart upload from a token saved by `onProgress` (or taken from a
 * `ResumableUploadError`), in this process or a new one: the parts UPYUN holds are not sent again;
 * a part that was in flight when the process died is resynchronised from UPYUN's
 * `x-upyun-next-part-id`.
 *
 * @throws {TypeError} for a value that is not a `ResumeToken`, or a body of another length.
 * @throws {ResumableUploadError} as `uploadResumable()` does.
 * @example
 * ```ts
 * const token = JSON.parse(readFileSync('upload.json', 'utf8'));
 * await resumeUpload(api, token, {body: new Blob([readFileSync('talk.mp4')])});
 * ```
 */
export const resumeUpload = async (
  api: KyInstance,
  token: ResumeToken,
  options: ResumeUploadOptions,
): Promise<ResumableUploadResult> => {
  if (!isResumeToken(token)) {
    throw new TypeError('`token` is not a valid resume token');
  }
  return uploadResumable(api, {...options, bucket: token.bucket, path: token.path, resumeToken: token});
};
