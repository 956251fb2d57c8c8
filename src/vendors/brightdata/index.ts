/**
 * @module ky-vendors/brightdata: the BrightData vendor and its operations (trigger, wait, download, deliver).
 */

export type {JobHandle} from '../../poll/job-handle.ts';
export type {PollEvent, PollOptions} from '../../poll/poll.ts';
export {brightdata} from './brightdata.ts';
export type {BrightdataCredentials} from './brightdata-auth.ts';
export {brightdataAuth} from './brightdata-auth.ts';
export type {CancelSnapshotOptions} from './cancel-snapshot.ts';
export {cancelSnapshot} from './cancel-snapshot.ts';
export type {BrightdataCodeTable} from './codes.ts';
export type {CollectOptions, CollectResult} from './collect.ts';
export {collect, isUnknownOutcome, resumeCollect} from './collect.ts';
export type {DeliverSnapshotOptions, DeliveryTarget} from './deliver-snapshot.ts';
export {deliverSnapshot} from './deliver-snapshot.ts';
export type {DownloadSnapshotOptions} from './download-snapshot.ts';
export {downloadSnapshot} from './download-snapshot.ts';
export type {ListSnapshotsOptions, SnapshotSummary} from './list-snapshots.ts';
export {listSnapshots} from './list-snapshots.ts';
export type {RecordStreamErrorInit, RecordStreamProblem} from './RecordStreamError.ts';
export {RecordStreamError} from './RecordStreamError.ts';
export type {ReconcileResult, ReconcileTriggerOptions} from './reconcile-trigger.ts';
export {RECONCILE_DEFAULTS, reconcileTrigger} from './reconcile-trigger.ts';
export type {SnapshotRecordsOptions} from './records.ts';
export {type RecordStream, snapshotJson, snapshotRecords} from './records.ts';
export type {ScrapeOptions, ScrapeRequest, ScrapeResult} from './scrape.ts';
export {scrape} from './scrape.ts';
export type {SnapshotHandle} from './snapshot-handle.ts';
export type {SnapshotPartsOptions} from './snapshot-parts.ts';
export {snapshotParts} from './snapshot-parts.ts';
export type {SnapshotFormat, SnapshotSliceOptions} from './snapshot-query.ts';
export type {TriggerOptions, TriggerRequest} from './trigger-collection.ts';
export {triggerCollection} from './trigger-collection.ts';
export type {DeliveryStatus, WaitForDeliveryOptions} from './wait-for-delivery.ts';
export {waitForDelivery} from './wait-for-delivery.ts';
export type {SnapshotProgress, WaitForSnapshotOptions} from './wait-for-snapshot.ts';
export {BRIGHTDATA_POLL_INTERVAL_MS, resumeWaitForSnapshot, waitForSnapshot} from './wait-for-snapshot.ts';
