/** @module Demo section 2, plain ky: the same batch with ky's default retry and UPYUN's signing. */
import ky, {isHTTPError} from 'ky';
import {upyunAuth} from '../../src/vendors/upyun/index.ts';
import {pool} from './pool.ts';
import type {Outcome} from './row.ts';

/** 429 and 503 ask for a wait and a resend: giving up on them loses the file. */
export const isWaitOrResend = (status: unknown): boolean => status === 429 || status === 503;

/** Uploads `batch` with plain ky (signed, default retry) and reports what was lost. */
export const plainUpyun = async (
  url: string,
  credentials: {operator: string; password: string},
  batch: readonly {readonly bucket: string; readonly path: string; readonly body: Uint8Array<ArrayBuffer>}[],
  concurrency: number,
): Promise<Omit<Outcome, 'requests'>> => {
  const plain = ky.create({prefix: url, hooks: upyunAuth(credentials)});
  let stored = 0;
  let wrongFailures = 0;
  const statuses = new Map<number, number>();
  await pool(batch, concurrency, async (file) => {
    try {
      await plain.put(`${file.bucket}/${file.path}`, {body: file.body});
      stored++;
    } catch (error) {
      const status = isHTTPError(error) ? error.response.status : 0;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (isWaitOrResend(status)) wrongFailures++;
    }
  });
  const failures = [...statuses].map(([status, count]) => `${count}× HTTPError ${status}`).join(', ');
  return {
    lost: batch.length - stored,
    wrongFailures,
    result: `${stored}/${batch.length} stored${failures === '' ? '' : `; ${failures}`}`,
  };
};
