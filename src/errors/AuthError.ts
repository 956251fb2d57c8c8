/**
 * @module `AuthError`: credentials or permissions.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The vendor rejected the credentials or the permission (categories `auth` and `permission`). Never retried: several vendors lock a key after repeated failures.
 *
 * @example
 * ```ts
 * if (error instanceof AuthError) {
 *   // refresh the credentials; do not loop
 * }
 * ```
 */
export class AuthError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'AuthError' as const;
}
