/**
 * @module `RateLimitError`: the vendor throttled us and no further attempt could be made.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * The vendor throttled the request (category `rate_limited`) and the retries ran out, the wait could not fit the deadline, or the request could not be resent. `retryAt` says when to try again.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitError) {
 *   scheduleLater(error.retryAt);
 * }
 * ```
 */
export class RateLimitError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'RateLimitError' as const;
}
