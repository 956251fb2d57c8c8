/**
 * @module `isVendorError()`: the type guard that narrows `code` to a vendor's literal union.
 */
import type {CodeOf, Vendor} from '../core/define-vendor.ts';
import {VendorError} from './VendorError.ts';

/**
 * Whether `error` is a `VendorError`, optionally from one vendor. With a vendor, `error.code`
 * narrows to that vendor's literal codes.
 *
 * @example
 * ```ts
 * if (isVendorError(error, upyun) && error.code === 42900004) {
 *   // typed as UPYUN's code union
 * }
 * ```
 */
export function isVendorError<V extends Vendor>(error: unknown, vendor: V): error is VendorError<CodeOf<V>>;
export function isVendorError(error: unknown): error is VendorError;
export function isVendorError(error: unknown, vendor?: Vendor): boolean {
  const branded =
    error instanceof VendorError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as {isVendorError?: unknown}).isVendorError === true &&
      typeof (error as {vendor?: unknown}).vendor === 'string');
  return branded && (vendor === undefined || (error as VendorError).vendor === vendor.name);
}
