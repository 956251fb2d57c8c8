/**
 * @module `JobHandle`: a long job's identity and deadline as plain JSON, to continue it elsewhere.
 */

/**
 * What a new process needs to continue a job another one started: its kind, the vendor's id and
 * the deadline of the whole job (epoch milliseconds), plus fields of the kind. Plain JSON: store
 * it (a file, a database row, a queue message) and give it to the matching `resume…()`.
 *
 * @example
 * ```ts
 * const handle: JobHandle<'brightdata.snapshot'> = {kind: 'brightdata.snapshot', id: 's_m4x7enmven8djfqak', deadline: Date.now() + 3_600_000};
 * ```
 */
export type JobHandle<Kind extends string = string> = {
  /** Which operation the handle continues (`brightdata.snapshot`, `supametas.task`, …). */
  readonly kind: Kind;
  /** The vendor's id of the job (snapshot id, task id, multipart uuid). */
  readonly id: string;
  /** When the whole job must be over, in epoch milliseconds; a resumed wait keeps it. */
  readonly deadline: number;
};

/**
 * Checks a handle read back from storage.
 *
 * @throws {TypeError} when `value` is not a handle of `kind` (wrong kind, empty id, bad deadline).
 * @example
 * ```ts
 * const handle = checkHandle(JSON.parse(saved), 'brightdata.snapshot');
 * ```
 */
export const checkHandle = <Kind extends string>(value: unknown, kind: Kind): JobHandle<Kind> => {
  const handle = value as Partial<JobHandle> | null;
  if (typeof handle !== 'object' || handle === null || handle.kind !== kind) {
    throw new TypeError(`expected a job handle of kind \`${kind}\`, got ${describe(handle)}`);
  }
  if (typeof handle.id !== 'string' || handle.id.trim() === '') {
    throw new TypeError('the job handle has no `id`');
  }
  if (typeof handle.deadline !== 'number' || !Number.isFinite(handle.deadline)) {
    throw new TypeError('the job handle has no finite `deadline` (epoch milliseconds)');
  }
  return value as JobHandle<Kind>;
};

const describe = (value: unknown): string =>
  typeof value === 'object' && value !== null && typeof (value as {kind?: unknown}).kind === 'string'
    ? `kind \`${(value as {kind: string}).kind}\``
    : typeof value;

/** Milliseconds left until a handle's deadline, never negative. */
export const remainingMs = (handle: JobHandle, nowMs: number = Date.now()): number =>
  Math.max(0, handle.deadline - nowMs);
