/**
 * @module `uploadMany()`: a batch of uploads through a bounded worker pool, every file accounted for.
 */

import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {limiterOf} from '../../ky/limiter-of.ts';
import type {LimiterSnapshot} from '../../policy/limiter/create-limiter.ts';
import {withDeadline} from '../../poll/with-deadline.ts';
import {type UploadFile, type UploadResult, upload} from './upload.ts';
import {type StoredCheck, verifyStored} from './verify-stored.ts';

/** PUTs sent again after a HEAD proved the previous one did not land. */
const MAX_CHECKED_RESENDS = 4;

/**
 * A file that was stored.
 *
 * @example
 * ```ts
 * if (result.ok) console.log(result.path, result.requestId);
 * ```
 */
export type UploadSuccess = UploadResult & {
  readonly ok: true;
  /** The file's position in the input list. */
  readonly index: number;
  /**
   * Set when the upload's last answer was lost (a 5xx, a reset, a timeout) and a `HEAD` proved the
   * file is stored: what was compared (`['size', 'md5']`, or `['size']` for a `Blob` without a
   * `Content-MD5` header). `status` is then the `HEAD`'s (200) and `requestId` is undefined.
   * @default undefined (the PUT itself succeeded)
   */
  readonly verified?: readonly ('size' | 'md5')[];
};

/**
 * A file that was not stored, and why.
 *
 * @example
 * ```ts
 * if (!result.ok && isVendorError(result.error, upyun)) console.error(result.path, result.error.code);
 * ```
 */
export type UploadFailure = {
  readonly ok: false;
  readonly index: number;
  readonly bucket: string;
  readonly path: string;
  /**
   * The typed error of its last response (`RateLimitError`, `AuthError`, …), the abort reason, or
   * for a file never sent, the error that stopped the batch.
   */
  readonly error: unknown;
  /** Whether this file's upload was started (`false`: skipped after the batch stopped). */
  readonly attempted: boolean;
  /**
   * `failed`: the file is not stored (a final error, a `HEAD` that found no such file or another
   * body, or never sent). `maybe-stored`: the last answer was lost and the `HEAD` that should have
   * told could not either: check before sending it again.
   */
  readonly outcome: 'failed' | 'maybe-stored';
};

/**
 * The outcome of one file: check `ok`.
 *
 * @example
 * ```ts
 * const failed = results.filter((result): result is UploadFailure => !result.ok);
 * ```
 */
export type UploadFileResult = UploadSuccess | UploadFailure;

/**
 * Passed to `onProgress` once per file, in completion order; `done` goes 1, 2, … `total`.
 *
 * @example
 * ```ts
 * onProgress: ({done, total, failed}) => console.log(`${done}/${total}, ${failed} failed`)
 * ```
 */
export type UploadManyProgress = {
  /** Files finished so far, this one included (1 … total). */
  readonly done: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** The file that just finished. */
  readonly result: UploadFileResult;
  /**
   * The instance's limiter as last seen (`withVendor(upyun, {limiter})`): its rate, the requests
   * waiting for their turn (`queued`) and a stated pause (`pausedUntil`). `undefined` without a
   * limiter, and until the limiter first paced the bucket's key (it sends unpaced until a throttle).
   * Read after each file, so it may trail the newest file by one.
   */
  readonly limiter: LimiterSnapshot | undefined;
};

/**
 * `uploadMany()` options. Every field is optional.
 *
 * @example
 * ```ts
 * await uploadMany(api, files, {concurrency: 8, onProgress: ({done, total}) => bar.update(done / total)});
 * ```
 */
export type UploadManyOptions = {
  /**
   * Uploads in flight at once.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Called after each file (success or failure). Throwing from it stops the batch: no new file is
   * started and `uploadMany()` rejects with that error once the uploads in flight settle.
   * @default undefined
   */
  readonly onProgress?: (progress: UploadManyProgress) => void;
  /**
   * Cancels the batch: uploads in flight are aborted and files not yet started are reported as
   * failed with the abort reason. `uploadMany()` still resolves with every file's result.
   * @default undefined
   */
  readonly signal?: AbortSignal;
  /**
   * A deadline for the whole batch: when it passes, uploads in flight are aborted and files not
   * yet started are reported as failed with a `TimeoutError`, as with `signal`.
   * @default undefined (no deadline)
   */
  readonly timeoutMs?: number;
  /**
   * Whether a failure stops the batch: files not yet started then fail with that error
   * (`attempted: false`) instead of being sent.
   * @default stops on 42900004 (banned), 42900006 (too many auth checks) and auth or permission
   *   errors, which every further request would meet too
   * @example
   * ```ts
   * uploadMany(api, files, {stopOn: () => false}); // never stop early
   * ```
   */
  readonly stopOn?: (error: unknown) => boolean;
};

/**
 * The outcome of a batch: one result per input file, in input order; `succeeded + failed` is the
 * number of files.
 *
 * @example
 * ```ts
 * const {succeeded, failed, stoppedBy} = await uploadMany(api, files);
 * ```
 */
export type UploadManyResult = {
  readonly results: readonly UploadFileResult[];
  readonly succeeded: number;
  readonly failed: number;
  /** The error or abort reason that stopped the batch early, if one did. */
  readonly stoppedBy?: unknown;
};

const STOP_CODES = new Set<unknown>([42900004, 42900006]);

/**
 * Whether a PUT's failure leaves its outcome unknown (the file may be stored): a 5xx or an
 * unclassified answer, a reset, a timeout. A 4xx or a throttle proves nothing was written.
 */
export const isUnknownPut = (error: unknown): boolean => {
  if (isVendorError(error)) {
    if (error.processed === false) return false;
    return error.category === 'server' || error.category === 'transient' || error.category === 'unknown';
  }
  return error instanceof Error && /^(NetworkError|TimeoutError)$/.test(error.name);
};

/** The default `stopOn`: failures every later request would meet as well. */
export const stopsBatch = (error: unknown): boolean =>
  isVendorError(error) &&
  (STOP_CODES.has(error.code) || error.category === 'auth' || error.category === 'permission');

/**
 * Uploads many files with at most `concurrency` in flight. Never loses a file: every input ends
 * as `{ok: true, …}` or `{ok: false, error, outcome}` with its typed error, and `succeeded + failed`
 * equals the number of files. Throttling and retries are the instance's policy (see `upload()`).
 *
 * When a file's last answer is lost (a 5xx, a reset, a timeout: UPYUN may have stored it), it is
 * not reported failed at once: a `HEAD` compares the stored size (and MD5, when known) with the
 * body, and the file ends `{ok: true, verified}` when it matches, `{ok: false, outcome: 'failed'}`
 * when the object is absent or another body, `{ok: false, outcome: 'maybe-stored'}` when the
 * `HEAD` fails too. Nothing is written again to find out.
 *
 * @throws {TypeError} when `concurrency` is not a positive integer; the error thrown by
 *   `onProgress`, if it throws.
 * @example
 * ```ts
 * const {failed, results} = await uploadMany(api, files, {concurrency: 8});
 * for (const result of results) if (!result.ok) console.error(result.path, result.error);
 * ```
 */
export const uploadMany = async (
  api: KyInstance,
  files: readonly UploadFile[],
  options: UploadManyOptions = {},
): Promise<UploadManyResult> => {
  requireVendor(api, 'upyun', 'uploadMany');
  return withDeadline(options, (bounded) => uploadAll(api, files, bounded));
};

const uploadAll = async (
  api: KyInstance,
  files: readonly UploadFile[],
  options: UploadManyOptions,
): Promise<UploadManyResult> => {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`\`concurrency\` must be a positive integer, got ${concurrency}`);
  }
  const stopOn = options.stopOn ?? stopsBatch;
  const {signal} = options;
  const results: UploadFileResult[] = new Array(files.length);
  const watch = watchLimiter(api);
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  let stoppedBy: {error: unknown} | undefined;
  let callbackError: {error: unknown} | undefined;

  const settle = (result: UploadFileResult): void => {
    results[result.index] = result;
    watch.refresh();
    if (result.ok) succeeded++;
    else failed++;
    if (callbackError !== undefined || options.onProgress === undefined) return;
    try {
      options.onProgress({
        done: succeeded + failed,
        total: files.length,
        succeeded,
        failed,
        result,
        limiter: watch.snapshot,
      });
    } catch (error) {
      callbackError = {error};
    }
  };

  const failure = (
    index: number,
    file: UploadFile,
    error: unknown,
    attempted: boolean,
    outcome: UploadFailure['outcome'] = 'failed',
  ): UploadFailure => ({ok: false, index, bucket: file.bucket, path: file.path, error, attempted, outcome});

  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      const file = files[index];
      if (file === undefined || callbackError !== undefined) return;
      next++;
      if (signal?.aborted) stoppedBy ??= {error: signal.reason};
      if (stoppedBy !== undefined) {
        settle(failure(index, file, stoppedBy.error, false));
        continue;
      }
      settle(await uploadChecked(index, file));
    }
  };

  /**
   * One file: a PUT the policy resends only on answers that prove nothing was written; after a
   * lost answer, a HEAD decides between "stored", "send again" and "maybe stored".
   */
  const uploadChecked = async (index: number, file: UploadFile): Promise<UploadFileResult> => {
    // Bounded: at most 1 + MAX_CHECKED_RESENDS PUTs, each followed by at most one HEAD.
    for (let resends = 0; ; resends++) {
      try {
        const result = await upload(api, {
          ...file,
          // A lost answer is checked with a HEAD below, never answered by writing the file again.
          resendUnknown: false,
          ...(signal === undefined ? {} : {signal}),
        });
        return {ok: true, index, ...result};
      } catch (error) {
        if (signal?.aborted) {
          stoppedBy ??= {error: signal.reason};
          return failure(index, file, error, true, isUnknownPut(error) ? 'maybe-stored' : 'failed');
        }
        if (!isUnknownPut(error)) {
          if (stopOn(error)) stoppedBy ??= {error};
          return failure(index, file, error, true);
        }
        let check: StoredCheck;
        try {
          check = await verifyStored(api, file, signal);
        } catch (verifyError) {
          // Only an abort ends a HEAD this way: the PUT's outcome stays unknown.
          stoppedBy ??= {error: verifyError};
          return failure(index, file, error, true, 'maybe-stored');
        }
        if (check.status === 'stored') {
          return {
            ok: true,
            index,
            bucket: file.bucket,
            path: file.path,
            status: 200,
            requestId: undefined,
            verified: check.compared,
          };
        }
        if (check.status === 'unknown') return failure(index, file, error, true, 'maybe-stored');
        // Absent, or another body: this PUT did not land, so sending it again cannot write twice.
        if (resends >= MAX_CHECKED_RESENDS || stoppedBy !== undefined) {
          if (stopOn(error)) stoppedBy ??= {error};
          return failure(index, file, error, true);
        }
      }
    }
  };

  try {
    await Promise.all(Array.from({length: Math.min(concurrency, files.length)}, worker));
  } finally {
    watch.stop();
  }
  if (callbackError !== undefined) throw callbackError.error;
  return {results, succeeded, failed, ...(stoppedBy === undefined ? {} : {stoppedBy: stoppedBy.error})};
};

/**
 * The latest snapshot of the instance's limiter, for the progress events: the key comes from the
 * limiter's first rate change (a batch goes to one bucket host), a snapshot is read after each one
 * and after each file.
 */
const watchLimiter = (api: KyInstance) => {
  const limiter = limiterOf(api);
  let key: string | undefined;
  const watch = {
    snapshot: undefined as LimiterSnapshot | undefined,
    refresh: (): void => {
      if (limiter === undefined || key === undefined) return;
      limiter.inspect(key).then(
        (snapshot) => {
          watch.snapshot = snapshot;
        },
        () => {},
      );
    },
    stop: (): void => {},
  };
  if (limiter !== undefined) {
    watch.stop = limiter.onChange((change) => {
      key = change.key;
      watch.refresh();
    });
  }
  return watch;
};
