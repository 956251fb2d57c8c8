/**
 * @module `collect()`: trigger a BrightData collection, wait for its snapshot, download it, on one
 * deadline, without paying twice for a trigger whose outcome was lost.
 */
import type {KyInstance, KyResponse} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {NotReadyError} from '../../errors/NotReadyError.ts';
import {checkHandle} from '../../poll/job-handle.ts';
import type {PollOptions} from '../../poll/poll.ts';
import {cancelSnapshot} from './cancel-snapshot.ts';
import {downloadSnapshot} from './download-snapshot.ts';
import {type ReconcileTriggerOptions, reconcileTrigger} from './reconcile-trigger.ts';
import type {SnapshotHandle} from './snapshot-handle.ts';
import type {SnapshotSliceOptions} from './snapshot-query.ts';
import {checkInputs, type TriggerRequest, triggerCollection, triggerQuery} from './trigger-collection.ts';
import {type SnapshotProgress, waitForSnapshot} from './wait-for-snapshot.ts';

/**
 * Options of `collect()`: one `timeoutMs` for the whole job (trigger, reconciliation, wait and
 * download share it), the poll options, the download's format, and what to do when the trigger's
 * outcome is unknown. Every field is optional.
 *
 * @example
 * ```ts
 * await collect(api, request, {format: 'ndjson', timeoutMs: 60 * 60_000, retrigger: 'if-absent', onHandle: save});
 * ```
 */
export type CollectOptions = PollOptions &
  SnapshotSliceOptions & {
    /**
     * Called with the snapshot id as soon as it is known, before the wait.
     * @default undefined
     */
    readonly onSnapshotId?: (snapshotId: string) => void;
    /**
     * Called once the snapshot id is known, before the wait, with a plain-JSON handle (snapshot
     * id, dataset, download options and the job's deadline). Store it: a process that crashes or
     * is redeployed continues with `resumeCollect(api, handle)` instead of paying for a new job.
     * @default undefined
     */
    readonly onHandle?: (handle: SnapshotHandle) => void;
    /**
     * When the trigger's outcome is unknown (a 500, a reset, a timeout) and `reconcileTrigger()`
     * finds no job after the listing's visibility delay: `'never'` throws the trigger's error
     * (nothing is sent again; the default, as BrightData documents no visibility delay and a
     * wrong guess pays twice), `'if-absent'` sends the trigger once more. A job that is found is
     * always continued; an `ambiguous` result never re-triggers.
     * @default 'never'
     */
    readonly retrigger?: 'never' | 'if-absent';
    /**
     * How the job is looked for after an unknown outcome (`visibilityDelayMs`, `intervalMs`,
     * `clockSkewMs`, `matchInputs`); its time counts against `timeoutMs`.
     * @default the defaults of `reconcileTrigger()`
     */
    readonly reconcile?: Omit<ReconcileTriggerOptions, 'sentAt' | 'signal' | 'timeoutMs'>;
    /**
     * Cancel the BrightData job (`cancelSnapshot()`) when `signal` aborts after the job exists, so an
     * abandoned collection stops costing. A deadline (`timeoutMs`) does not cancel: the job can
     * still be resumed from its handle.
     * @default false
     */
    readonly cancelOnAbort?: boolean;
  };

/** What `collect()` resolves with. */
export type CollectResult = {
  readonly snapshotId: string;
  /** The last progress body (`status: 'ready'`). */
  readonly progress: SnapshotProgress;
  /** The download, body unread: stream it with `snapshotRecords()` or read it with `snapshotJson()`. */
  readonly response: KyResponse;
  /** Whether the snapshot was found by `reconcileTrigger()` after a trigger with an unknown outcome. */
  readonly reconciled: boolean;
  /** Triggers sent by this call (2 only after `retrigger: 'if-absent'` found nothing). */
  readonly triggers: number;
};

/**
 * Whether a trigger's failure leaves its outcome unknown: the job may exist. Typed errors that
 * prove nothing started (validation, auth, not found, quota, the running-jobs 429, or a vendor's
 * `processed: false`) and the caller's own abort are known outcomes.
 */
export const isUnknownOutcome = (error: unknown): boolean => {
  if (isVendorError(error)) {
    if (error.processed === false) return false;
    return error.category === 'server' || error.category === 'transient' || error.category === 'unknown';
  }
  return error instanceof Error && /^(NetworkError|TimeoutError)$/.test(error.name);
};

const ONE_SECOND = 1_000;

/** The deadline's `NotReadyError`, named for BrightData, with what was happening. */
const deadlinePassed = (doing: string, timeoutMs: number, cause?: unknown): NotReadyError =>
  new NotReadyError({
    vendor: 'brightdata',
    action: 'poll',
    category: 'not_ready',
    status: 0,
    message: `still ${doing} after ${timeoutMs} ms`,
    envelope: {status: doing},
    cause,
  });

/**
 * Triggers a collection (`triggerCollection()`), waits until its snapshot is ready
 * (`waitForSnapshot()`), then downloads it (`downloadSnapshot()`, which waits out a 202 right
 * after `ready`), all within one `timeoutMs` that the trigger request itself is bound by too.
 *
 * The trigger POST is resent by the policy only on the 429 that proves no job started. When its
 * outcome is unknown (a 500, a reset, a timeout of the request), `collect()` does not guess: it
 * calls `reconcileTrigger()`, continues with the job it finds, and sends the trigger again only
 * with `retrigger: 'if-absent'` once the listing shows no such job.
 *
 * `api` must be made with `withVendor(brightdata)` and the prefix `https://api.brightdata.com`.
 *
 * @throws {JobFailedError} (or the error of its message) when the job fails.
 * @throws {NotReadyError} (vendor `brightdata`) when `timeoutMs` passes, with the last status.
 * @throws the trigger's typed error when its outcome is unknown and no job was found (`'never'`),
 *   or the search was `ambiguous`; `error.reconciliation` is then the result of `reconcileTrigger()`.
 * @throws the signal's reason when `signal` aborts (after cancelling the job with `cancelOnAbort`).
 * @example
 * ```ts
 * const {response} = await collect(api, {datasetId: 'gd_l1viktl72bvl7bjuj0', inputs: [{url}]}, {format: 'ndjson'});
 * for await (const profile of snapshotRecords(response)) console.log(profile);
 * ```
 */
export const collect = async (
  api: KyInstance,
  request: TriggerRequest,
  options: CollectOptions = {},
): Promise<CollectResult> => {
  requireVendor(api, 'brightdata', 'collect');
  const timeoutMs = options.timeoutMs ?? 600_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`\`timeoutMs\` must be a finite, non-negative number, got ${timeoutMs}`);
  }
  const retrigger = options.retrigger ?? 'never';
  if (retrigger !== 'never' && retrigger !== 'if-absent') {
    throw new TypeError(`\`retrigger\` must be 'never' or 'if-absent', got ${String(retrigger)}`);
  }
  // Bad input is refused here, so that no failure of the trigger below is a local mistake.
  triggerQuery(request);
  checkInputs(request.inputs);
  const deadline = Date.now() + timeoutMs;
  const {snapshotId, reconciled, triggers} = await startJob(api, request, options, deadline, timeoutMs);
  const handle: SnapshotHandle = {
    kind: 'brightdata.snapshot',
    id: snapshotId,
    deadline,
    datasetId: request.datasetId,
    download: sliceOf(options),
  };
  options.onSnapshotId?.(snapshotId);
  options.onHandle?.(handle);
  const {progress, response} = await finish(api, handle, options);
  return {snapshotId, progress, response, reconciled, triggers};
};

/**
 * Continues a `collect()` from its handle, in this process or another: waits for the same
 * snapshot and downloads it with the handle's download options, within the handle's deadline
 * (or `options.timeoutMs` from now, when given). Never triggers.
 *
 * @throws {TypeError} for a value that is not a `brightdata.snapshot` handle.
 * @throws {NotReadyError} (vendor `brightdata`) when the deadline passes.
 * @example
 * ```ts
 * const handle = JSON.parse(await readFile('job.json', 'utf8'));
 * const {response} = await resumeCollect(api, handle);
 * ```
 */
export const resumeCollect = async (
  api: KyInstance,
  handle: SnapshotHandle,
  options: Omit<CollectOptions, 'retrigger' | 'reconcile' | 'onSnapshotId' | keyof SnapshotSliceOptions> = {},
): Promise<CollectResult> => {
  requireVendor(api, 'brightdata', 'resumeCollect');
  const checked = checkHandle(handle, 'brightdata.snapshot') as SnapshotHandle;
  const resumed: SnapshotHandle =
    options.timeoutMs === undefined ? checked : {...checked, deadline: Date.now() + options.timeoutMs};
  options.onHandle?.(resumed);
  const {progress, response} = await finish(api, resumed, {...options, ...checked.download});
  return {snapshotId: checked.id, progress, response, reconciled: false, triggers: 0};
};

const sliceOf = (options: SnapshotSliceOptions): SnapshotSliceOptions => ({
  ...(options.format === undefined ? {} : {format: options.format}),
  ...(options.compress === undefined ? {} : {compress: options.compress}),
  ...(options.batchSize === undefined ? {} : {batchSize: options.batchSize}),
});

type Started = {readonly snapshotId: string; readonly reconciled: boolean; readonly triggers: number};

/** Sends the trigger within the deadline; after an unknown outcome, reconciles before anything else. */
const startJob = async (
  api: KyInstance,
  request: TriggerRequest,
  options: CollectOptions,
  deadline: number,
  timeoutMs: number,
): Promise<Started> => {
  const {signal} = options;
  // Bounded: at most two triggers (the second only after `absent` with 'if-absent').
  for (let triggers = 1; triggers <= 2; triggers++) {
    const sentAt = Date.now();
    try {
      const snapshotId = await withTimeout(deadline - sentAt, signal, (bounded) =>
        triggerCollection(api, request, {signal: bounded}),
      );
      return {snapshotId, reconciled: false, triggers};
    } catch (error) {
      if (signal?.aborted || !isUnknownOutcome(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw deadlinePassed('triggering (outcome unknown)', timeoutMs, error);
      const outcome = await reconcileTrigger(api, request, {
        ...options.reconcile,
        sentAt,
        timeoutMs: left,
        ...(signal === undefined ? {} : {signal}),
      });
      if (outcome.status === 'found') return {snapshotId: outcome.snapshotId, reconciled: true, triggers};
      if (outcome.status === 'ambiguous' || options.retrigger !== 'if-absent' || triggers === 2) {
        throw Object.assign(error as object, {reconciliation: outcome});
      }
    }
  }
  throw new Error('unreachable: the trigger loop returns or throws');
};

/** Waits for the snapshot and downloads it within the handle's deadline. */
const finish = async (
  api: KyInstance,
  handle: SnapshotHandle,
  options: CollectOptions,
): Promise<{progress: SnapshotProgress; response: KyResponse}> => {
  const {signal} = options;
  // Only the poll options go on: `onHandle` was called once, with the job's own handle.
  const step = (): PollOptions => ({
    ...(options.intervalMs === undefined ? {} : {intervalMs: options.intervalMs}),
    ...(options.growth === undefined ? {} : {growth: options.growth}),
    ...(options.maxIntervalMs === undefined ? {} : {maxIntervalMs: options.maxIntervalMs}),
    ...(options.onPoll === undefined ? {} : {onPoll: options.onPoll}),
    ...(signal === undefined ? {} : {signal}),
    timeoutMs: Math.max(0, handle.deadline - Date.now()),
  });
  try {
    const progress = await waitForSnapshot(api, handle.id, step());
    const response = await downloadSnapshot(api, handle.id, {...step(), ...handle.download});
    return {progress, response};
  } catch (error) {
    if (options.cancelOnAbort === true && signal?.aborted) {
      // Best effort, bounded: the caller's abort must not wait long, and must still win.
      await cancelSnapshot(api, handle.id, {signal: AbortSignal.timeout(10 * ONE_SECOND)}).catch(() => false);
    }
    throw error;
  }
};

/** Runs `run` with a signal that also aborts when `ms` pass; the timer never outlives the call. */
const withTimeout = async <T>(
  ms: number,
  signal: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`The trigger timed out after ${ms} ms`, 'TimeoutError')),
    Math.max(0, ms),
  );
  try {
    return await run(signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]));
  } finally {
    clearTimeout(timer);
  }
};
