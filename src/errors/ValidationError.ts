/**
 * @module `ValidationError`: the request itself is wrong.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The vendor rejected the request's input (category `validation`). Sending it again gives the same answer.
 *
 * @example
 * ```ts
 * if (error instanceof ValidationError) {
 *   console.error(error.code, error.message);
 * }
 * ```
 */
export class ValidationError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'ValidationError' as const;
}
