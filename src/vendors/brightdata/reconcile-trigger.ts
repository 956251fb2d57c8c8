/**
 * @module `reconcileTrigger()`: finds the job a trigger with an unknown outcome may have started.
 */
import type {KyInstance} from 'ky';
import {requireVendor} from '../../core/vendor-of.ts';
import {isVendorError} from '../../errors/is-vendor-error.ts';
import {poll} from '../../poll/poll.ts';
import {listSnapshots} from './list-snapshots.ts';
import {segment} from './segment.ts';
import type {TriggerRequest} from './trigger-collection.ts';

/**
 * What `reconcileTrigger()` found:
 * - `found`: exactly one job of the dataset, created in the trigger's time window, whose inputs are
 *   the request's (continue with it: `waitForSnapshot(api, snapshotId)`);
 * - `absent`: no such job once the listing's visibility delay has passed (a new trigger is then
 *   unlikely to pay twice);
 * - `ambiguous`: more than one candidate (or ones whose inputs could not be read): only you can
 *   decide; sending a new trigger may pay twice.
 *
 * @example
 * ```ts
 * const outcome = await reconcileTrigger(api, request, {sentAt});
 * if (outcome.status === 'found') await waitForSnapshot(api, outcome.snapshotId);
 * ```
 */
export type ReconcileResult =
  | {readonly status: 'found'; readonly snapshotId: string}
  | {readonly status: 'absent'}
  | {readonly status: 'ambiguous'; readonly snapshotIds: readonly string[]};

/**
 * Options of `reconcileTrigger()`. `sentAt` is required; the rest are optional.
 *
 * @example
 * ```ts
 * await reconcileTrigger(api, request, {sentAt, visibilityDelayMs: 120_000, excludeIds: knownIds});
 * ```
 */
export type ReconcileTriggerOptions = {
  /** When the trigger POST was sent, in epoch milliseconds (take `Date.now()` just before it). */
  readonly sentAt: number;
  /**
   * How long after `sentAt` a job it created is sure to show in `GET datasets/v3/snapshots`.
   * BrightData documents no delay: the default is an assumption; raise it if your account lists
   * late. The listing is read until this much time has passed since `sentAt`.
   * @default 60_000
   */
  readonly visibilityDelayMs?: number;
  /**
   * The wait between two reads of the listing.
   * @default 10_000
   */
  readonly intervalMs?: number;
  /**
   * Slack added on both sides of the window `[sentAt, now]`, for the difference between this
   * machine's clock and BrightData's.
   * @default 60_000
   */
  readonly clockSkewMs?: number;
  /** Snapshot ids known not to be this trigger's (jobs this process started itself). */
  readonly excludeIds?: readonly string[];
  /**
   * Compare each candidate's inputs (`GET datasets/v3/snapshot/:id/input`) with the request's. The
   * listing does not show inputs, and the input file's format is assumed to be the JSON array the
   * trigger sent; `false` trusts the dataset and time window alone.
   * @default true
   */
  readonly matchInputs?: boolean;
  /**
   * The longest the reconciliation may take (the caller's remaining deadline).
   * @default visibilityDelayMs plus one interval
   */
  readonly timeoutMs?: number;
  /** Stops the reconciliation; it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
};

/** The defaults, in one place. */
export const RECONCILE_DEFAULTS = {
  visibilityDelayMs: 60_000,
  intervalMs: 10_000,
  clockSkewMs: 60_000,
  matchInputs: true,
} as const;

/** The most candidates whose inputs are read in one pass (each costs a request). */
const MAX_INPUT_CHECKS = 10;

/** A stable text for JSON values: object keys sorted, so key order never makes two inputs differ. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'object' && field !== null && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );

type InputMatch = 'same' | 'different' | 'unknown';

const inputsOf = async (
  api: KyInstance,
  snapshotId: string,
  expected: string,
  signal: AbortSignal | undefined,
): Promise<InputMatch> => {
  try {
    const response = await api.get(`datasets/v3/snapshot/${segment('snapshotId', snapshotId)}/input`, {
      ...(signal === undefined ? {} : {signal}),
    });
    const body: unknown = await response.json();
    const inputs = Array.isArray(body) ? body : (body as {input?: unknown} | null)?.input;
    return canonicalJson(inputs) === expected ? 'same' : 'different';
  } catch (error) {
    if (signal?.aborted) throw error;
    // A missing or unreadable input file proves nothing either way.
    if (isVendorError(error) || (error instanceof Error && error.name === 'SyntaxError')) return 'unknown';
    throw error;
  }
};

/**
 * After a trigger whose outcome is unknown (a 500, a reset, a timeout), looks for the job it may
 * have started before anything is sent again: it reads `GET datasets/v3/snapshots` filtered by the
 * dataset and the window `[sentAt − clockSkewMs, now + clockSkewMs]`, compares each candidate's
 * inputs with the request's, and keeps reading (every `intervalMs`) until `visibilityDelayMs` has
 * passed since `sentAt`. It never sends a trigger itself.
 *
 * How "our" job is recognised: the dataset and the time window (documented filters of the
 * listing) and the inputs (`GET …/snapshot/:id/input`, a documented endpoint whose body is assumed
 * to be the JSON array the trigger sent). Two triggers of the same inputs on the same dataset in
 * the same window cannot be told apart: that is `ambiguous`.
 *
 * @throws {TypeError} for a bad request or `sentAt`.
 * @throws {NotReadyError} when `timeoutMs` passes before the visibility delay did.
 * @throws the listing's typed error when it fails for good (`AuthError`, …).
 * @example
 * ```ts
 * const sentAt = Date.now();
 * try {
 *   snapshotId = await triggerCollection(api, request);
 * } catch (error) {
 *   const outcome = await reconcileTrigger(api, request, {sentAt});
 *   if (outcome.status !== 'found') throw error;
 *   snapshotId = outcome.snapshotId;
 * }
 * ```
 */
export const reconcileTrigger = async (
  api: KyInstance,
  request: TriggerRequest,
  options: ReconcileTriggerOptions,
): Promise<ReconcileResult> => {
  requireVendor(api, 'brightdata', 'reconcileTrigger');
  const {sentAt, signal} = options;
  if (typeof sentAt !== 'number' || !Number.isFinite(sentAt)) {
    throw new TypeError('`sentAt` must be the epoch milliseconds at which the trigger was sent');
  }
  if (typeof request?.datasetId !== 'string' || request.datasetId.trim() === '') {
    throw new TypeError('`datasetId` must be a non-empty string');
  }
  const visibilityDelayMs = options.visibilityDelayMs ?? RECONCILE_DEFAULTS.visibilityDelayMs;
  const intervalMs = options.intervalMs ?? RECONCILE_DEFAULTS.intervalMs;
  const clockSkewMs = options.clockSkewMs ?? RECONCILE_DEFAULTS.clockSkewMs;
  const matchInputs = options.matchInputs ?? RECONCILE_DEFAULTS.matchInputs;
  const excluded = new Set(options.excludeIds ?? []);
  const expected = canonicalJson(request.inputs);
  const visibleAt = sentAt + visibilityDelayMs;
  const timeoutMs = options.timeoutMs ?? Math.max(0, visibleAt - Date.now()) + intervalMs;
  // Candidates whose inputs differ are another trigger's job: never read them twice.
  const different = new Set<string>();

  return poll<ReconcileResult>(
    async () => {
      const now = Date.now();
      const listed = await listSnapshots(api, {
        datasetId: request.datasetId,
        fromDate: new Date(sentAt - clockSkewMs),
        toDate: new Date(now + clockSkewMs),
        ...(signal === undefined ? {} : {signal}),
      });
      const candidates = listed
        .map((entry) => entry.id)
        .filter((id) => !excluded.has(id) && !different.has(id));
      const same: string[] = [];
      const unknown: string[] = [];
      for (const id of candidates.slice(0, MAX_INPUT_CHECKS)) {
        const match = matchInputs ? await inputsOf(api, id, expected, signal) : 'same';
        if (match === 'same') same.push(id);
        else if (match === 'unknown') unknown.push(id);
        else different.add(id);
      }
      if (candidates.length > MAX_INPUT_CHECKS) unknown.push(...candidates.slice(MAX_INPUT_CHECKS));
      if (same.length === 1 && unknown.length === 0) {
        return {done: true, value: {status: 'found', snapshotId: same[0] as string}};
      }
      if (same.length + unknown.length > 1 || (unknown.length === 1 && now >= visibleAt)) {
        return {done: true, value: {status: 'ambiguous', snapshotIds: [...same, ...unknown]}};
      }
      if (now >= visibleAt) {
        return {done: true, value: {status: 'absent'}};
      }
      // Not listed yet: read again no later than the moment the job must be visible.
      return {done: false, status: 'not_listed', delayMs: Math.min(intervalMs, visibleAt - now)};
    },
    {
      intervalMs,
      maxIntervalMs: intervalMs,
      timeoutMs,
      ...(signal === undefined ? {} : {signal}),
    },
    {vendor: 'brightdata'},
  );
};
