/**
 * @module `QuotaError`: an account or storage limit.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * An account, storage or billing limit was reached (category `quota`); waiting does not help.
 *
 * @example
 * ```ts
 * if (error instanceof QuotaError) {
 *   alertOperator(error);
 * }
 * ```
 */
export class QuotaError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'QuotaError' as const;
}
