/**
 * @module The query of BrightData's snapshot download and parts endpoints.
 */

/** The formats a snapshot downloads in. NDJSON and JSONL are one record per line and stream well. */
export type SnapshotFormat = 'json' | 'ndjson' | 'jsonl' | 'csv';

/**
 * How a snapshot is cut and encoded. BrightData requires the same `format`, `compress` and
 * `batchSize` on every call for one snapshot (parts count and each part's download).
 */
export type SnapshotSliceOptions = {
  /**
   * The format of the records. Always sent: BrightData documents no default for v3 downloads.
   * @default 'json'
   */
  readonly format?: SnapshotFormat;
  /**
   * Ask for a gzip body (`snapshotRecords()` and `snapshotJson()` unpack it).
   * @default false
   */
  readonly compress?: boolean;
  /**
   * Records per part (BrightData's minimum is 1000); with `part`, downloads one part of a big snapshot.
   * @default undefined (one part)
   */
  readonly batchSize?: number;
};

const positiveInteger = (name: string, value: number | undefined): void => {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new TypeError(`\`${name}\` must be a positive integer, got ${value}`);
  }
};

/**
 * The search params for a download or a parts count.
 *
 * @throws {TypeError} when `batchSize` or `part` is not a positive integer, or `part` comes without `batchSize`.
 */
export const snapshotQuery = (
  options: SnapshotSliceOptions & {readonly part?: number},
): Record<string, string | number | boolean> => {
  positiveInteger('batchSize', options.batchSize);
  positiveInteger('part', options.part);
  if (options.part !== undefined && options.batchSize === undefined) {
    throw new TypeError('`part` needs `batchSize`: parts are counted in batches');
  }
  return {
    format: options.format ?? 'json',
    ...(options.compress === undefined ? {} : {compress: options.compress}),
    ...(options.batchSize === undefined ? {} : {batch_size: options.batchSize}),
    ...(options.part === undefined ? {} : {part: options.part}),
  };
};
