/**
 * @module Renders simulated records in the formats BrightData serves: JSON, NDJSON/JSONL, CSV.
 */

/** The download formats BrightData documents. */
export type SimFormat = 'json' | 'ndjson' | 'jsonl' | 'csv';

/** Whether a `format` query value is one BrightData serves. */
export const isSimFormat = (value: string): value is SimFormat =>
  value === 'json' || value === 'ndjson' || value === 'jsonl' || value === 'csv';

/** The content type of each format. */
export const CONTENT_TYPES: Readonly<Record<SimFormat, string>> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const csvCell = (value: unknown): string => {
  const text =
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const csv = (records: readonly unknown[]): string => {
  const columns = [
    ...new Set(
      records.flatMap((record) => (typeof record === 'object' && record !== null ? Object.keys(record) : [])),
    ),
  ];
  const rows = records.map((record) =>
    columns.map((column) => csvCell((record as Record<string, unknown>)[column])).join(','),
  );
  return `${[columns.join(','), ...rows].join('\n')}\n`;
};

/**
 * The body of a download in `format`; NDJSON and JSONL end every record with a newline.
 *
 * @example
 * ```ts
 * renderRecords([{a: 1}, {a: 2}], 'ndjson'); // '{"a":1}\n{"a":2}\n'
 * ```
 */
export const renderRecords = (records: readonly unknown[], format: SimFormat): string => {
  switch (format) {
    case 'json':
      return JSON.stringify(records);
    case 'csv':
      return csv(records);
    default:
      return records.map((record) => `${JSON.stringify(record)}\n`).join('');
  }
};
