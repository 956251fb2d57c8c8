/**
 * @module `NotReadyError`: the resource is still being prepared.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The resource is not ready yet (category `not_ready`): a snapshot still building, a task still running. `delayMs`/`retryAt` carry the vendor's hint; the polling operations wait for you.
 *
 * @example
 * ```ts
 * if (error instanceof NotReadyError) {
 *   await sleep(error.delayMs ?? 10_000);
 * }
 * ```
 */
export class NotReadyError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'NotReadyError' as const;
}
