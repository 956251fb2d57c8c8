/**
 * @module `ResumableUploadError`: a multipart upload stopped part-way, with the token to continue it.
 */
import type {ResumeToken} from './resume-token.ts';

/**
 * Thrown by `uploadResumable()` when an upload that has started (its multipart session exists)
 * stops: a part failed after the instance's retries, the caller aborted, or the session could
 * not be recovered. `resumeToken` continues it (`uploadResumable({…, resumeToken})`) within
 * UPYUN's 24 hours; `cause` is the typed error or the abort reason.
 *
 * @example
 * ```ts
 * try {
 *   await uploadResumable(api, {bucket, path, body});
 * } catch (error) {
 *   if (error instanceof ResumableUploadError) await save(JSON.stringify(error.resumeToken));
 * }
 * ```
 */
export class ResumableUploadError extends Error {
  override name = 'ResumableUploadError' as const;
  /** Where to continue: pass it back to `uploadResumable()`. Plain data, safe to serialise. */
  readonly resumeToken: ResumeToken;
  /** Bytes UPYUN holds for this upload. */
  readonly uploadedBytes: number;

  constructor(resumeToken: ResumeToken, uploadedBytes: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `upyun resumable upload of /${resumeToken.bucket}/${resumeToken.path} stopped at part ${resumeToken.nextPartId} (${uploadedBytes} of ${resumeToken.length} bytes): ${reason}`,
      {cause},
    );
    this.resumeToken = resumeToken;
    this.uploadedBytes = uploadedBytes;
  }
}
