/** @module Demo section 1, plain ky: trigger, a polling loop and the download, with ky's default retry. */
import ky, {isHTTPError} from 'ky';
import type {Outcome} from './row.ts';

/** Statuses BrightData answers for "wait and ask again": failing on them is a wrong failure. */
const WAIT_STATUSES = new Set([202, 429, 500, 503]);

const isRecord = (line: string): boolean => {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && 'url' in value;
  } catch {
    return false;
  }
};

/**
 * Collects `inputs` the way a plain ky client would: trigger, poll progress every `pollMs` until
 * `ready` (bounded), download NDJSON. Records are counted only if they are records: a 202 body
 * taken as the data counts as a wrong failure.
 */
export const plainCollect = async (
  url: string,
  apiKey: string,
  datasetId: string,
  inputs: readonly {url: string}[],
  pollMs: number,
): Promise<Omit<Outcome, 'requests'>> => {
  const plain = ky.create({prefix: url, headers: {authorization: `Bearer ${apiKey}`}});
  try {
    const {snapshot_id: snapshotId} = await plain
      .post('datasets/v3/trigger', {searchParams: {dataset_id: datasetId}, json: inputs})
      .json<{snapshot_id: string}>();
    let status = 'starting';
    for (let poll = 0; poll < 100 && status !== 'ready' && status !== 'failed'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      ({status} = await plain.get(`datasets/v3/progress/${snapshotId}`).json<{status: string}>());
    }
    if (status !== 'ready') return {lost: inputs.length, wrongFailures: 0, result: `job ${status}`};
    const response = await plain.get(`datasets/v3/snapshot/${snapshotId}`, {
      searchParams: {format: 'ndjson'},
    });
    const lines = (await response.text()).split('\n').filter((line) => line.trim() !== '');
    const records = lines.filter(isRecord).length;
    const notData = response.status === 202 ? 1 : 0;
    return {
      lost: inputs.length - records,
      wrongFailures: notData,
      result: notData === 1 ? `HTTP 202 "not ready" body taken as the data` : `${records} records`,
    };
  } catch (error) {
    const status = isHTTPError(error) ? error.response.status : undefined;
    const where = isHTTPError(error) ? new URL(error.request.url).pathname.split('/')[3] : 'request';
    return {
      lost: inputs.length,
      wrongFailures: status !== undefined && WAIT_STATUSES.has(status) ? 1 : 0,
      result: status === undefined ? String(error) : `HTTPError ${status} at the ${where}`,
    };
  }
};
