/**
 * @module `NotFoundError`: the resource does not exist.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The resource does not exist or no longer exists (category `not_found`), for example an expired snapshot.
 *
 * @example
 * ```ts
 * if (error instanceof NotFoundError) {
 *   return undefined;
 * }
 * ```
 */
export class NotFoundError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'NotFoundError' as const;
}
