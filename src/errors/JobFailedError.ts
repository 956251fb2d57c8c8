/**
 * @module `JobFailedError`: an asynchronous job ended in failure.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * An asynchronous job ended in failure (category `job_failed`); `message` carries the vendor's reason.
 *
 * @example
 * ```ts
 * if (error instanceof JobFailedError) {
 *   console.error('job failed:', error.message);
 * }
 * ```
 */
export class JobFailedError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'JobFailedError' as const;
}
