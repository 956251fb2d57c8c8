/**
 * @module `ServerError`: the vendor failed.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The vendor failed (categories `server`, `transient` and `unknown`) and no further attempt could be made.
 *
 * @example
 * ```ts
 * if (error instanceof ServerError) {
 *   reportOutage(error.vendor);
 * }
 * ```
 */
export class ServerError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'ServerError' as const;
}
