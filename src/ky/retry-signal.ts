/**
 * @module `RetrySignal`: how the per-attempt decision asks ky to send a request again.
 */
import type {VendorError} from '../errors/VendorError.ts';

/**
 * Thrown from the deciding `fetch` when a verdict calls for another attempt. ky passes it to
 * `retry.shouldRetry` (which accepts it) and waits the planned delay; if ky gives up first, the
 * `beforeError` hook returns the vendor's error instead, so callers never see this class.
 */
export class RetrySignal extends Error {
  /** The typed error the caller gets if no further attempt is made. */
  readonly error: VendorError;

  constructor(error: VendorError) {
    super(error.message);
    this.name = 'RetrySignal';
    this.error = error;
  }
}
