/**
 * @module `ConflictError`: the resource's state conflicts with the request.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The resource is in a state that conflicts with the request (category `conflict`): a concurrent change, a duplicate, a busy job.
 *
 * @example
 * ```ts
 * if (error instanceof ConflictError) {
 *   // re-read the resource, then decide
 * }
 * ```
 */
export class ConflictError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'ConflictError' as const;
}
