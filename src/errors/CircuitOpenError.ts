/**
 * @module `CircuitOpenError`: no request was sent because the vendor is failing or near a ban.
 */
import type {VendorCodeValue} from '../core/types.ts';
import {VendorError} from './VendorError.ts';

/**
 * No request was sent: the circuit for this vendor key is open after consecutive transient
 * failures, or the throttle guard stopped sending before the vendor's ban threshold. `retryAt`
 * says when requests go out again. `status` is 0 (no response).
 *
 * @example
 * ```ts
 * if (error instanceof CircuitOpenError) {
 *   queue.pauseUntil(error.retryAt);
 * }
 * ```
 */
export class CircuitOpenError<Code extends VendorCodeValue = VendorCodeValue> extends VendorError<Code> {
  override name = 'CircuitOpenError' as const;
}
