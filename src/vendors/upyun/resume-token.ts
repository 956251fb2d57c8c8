/**
 * @module `ResumeToken`: where an interrupted UPYUN multipart upload stands, as plain data.
 */

/** One MiB: UPYUN part sizes are whole multiples of it. */
export const MIB = 1024 * 1024;

/**
 * The state of a multipart upload, enough to continue it from another process. Plain JSON.
 *
 * @example
 * ```ts
 * const token: ResumeToken = JSON.parse(await readFile('upload.json', 'utf8'));
 * await uploadResumable(api, {bucket: token.bucket, path: token.path, body, resumeToken: token});
 * ```
 */
export type ResumeToken = {
  /** UPYUN's `x-upyun-multi-uuid` of the session (it expires 24 hours after initiation). */
  readonly uuid: string;
  /** The next part UPYUN expects (`-1`: every part is in, only `complete` is left). */
  readonly nextPartId: number;
  /** The part size the session was initiated with, in bytes. */
  readonly partSize: number;
  /** The file's total size, in bytes. */
  readonly length: number;
  /** The bucket, so a token cannot continue another file. */
  readonly bucket: string;
  /** The object path, so a token cannot continue another file. */
  readonly path: string;
};

/**
 * Whether `value` looks like a `ResumeToken` (for tokens read back from storage).
 *
 * @example
 * ```ts
 * if (!isResumeToken(saved)) throw new Error('corrupt resume file');
 * ```
 */
export const isResumeToken = (value: unknown): value is ResumeToken => {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Record<string, unknown>;
  return (
    typeof token.uuid === 'string' &&
    token.uuid !== '' &&
    Number.isInteger(token.nextPartId) &&
    (token.nextPartId as number) >= -1 &&
    Number.isInteger(token.partSize) &&
    (token.partSize as number) > 0 &&
    (token.partSize as number) % MIB === 0 &&
    Number.isInteger(token.length) &&
    (token.length as number) >= 0 &&
    typeof token.bucket === 'string' &&
    typeof token.path === 'string'
  );
};
