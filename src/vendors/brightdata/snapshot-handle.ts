/**
 * @module `SnapshotHandle`: a BrightData job in flight, as plain JSON, to resume in a new process.
 */
import type {JobHandle} from '../../poll/job-handle.ts';
import type {SnapshotSliceOptions} from './snapshot-query.ts';

/**
 * A BrightData collection whose snapshot id is known: `id` is the snapshot id, `deadline` the end
 * of the whole job. `collect()` and `waitForSnapshot()` hand it to `onHandle` before they wait;
 * `resumeCollect()` / `resumeWaitForSnapshot()` continue from it.
 *
 * @example
 * ```ts
 * await collect(api, request, {onHandle: (handle) => writeFileSync('job.json', JSON.stringify(handle))});
 * ```
 */
export type SnapshotHandle = JobHandle<'brightdata.snapshot'> & {
  /** The dataset of the job, when known. */
  readonly datasetId?: string;
  /** The download's format and slice, so a resumed `collect()` downloads the same thing. */
  readonly download?: SnapshotSliceOptions;
};
