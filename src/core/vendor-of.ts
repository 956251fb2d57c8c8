/**
 * @module Which vendor policy a ky instance carries, for operations that need one.
 */
import type {KyInstance} from 'ky';
import type {Vendor} from './define-vendor.ts';
import {initMarkReader} from './init-mark.ts';

/** Marks the `init` hook `withVendor()` installs (a symbol: invisible to ky and to users). */
export const VENDOR_HOOK: unique symbol = Symbol.for('ky-vendors.vendor-hook');

/**
 * The vendor whose policy a ky instance was built with (`withVendor()`), or `undefined` for a
 * plain instance. Read once per instance from its defaults (ky's `extend(fn)` hands them over).
 *
 * @example
 * ```ts
 * vendorOf(ky.create({...withVendor(upyun)}))?.name; // 'upyun'
 * ```
 */
export const vendorOf: (api: KyInstance) => Vendor | undefined =
  /* @__PURE__ */ initMarkReader<Vendor>(VENDOR_HOOK);

/**
 * The vendor of an instance an operation was given, checked against the vendor the operation is
 * for.
 *
 * @throws {TypeError} for an instance built without `withVendor()`, or with another vendor's policy:
 *   the operation would run without the vendor's classification, retries and typed errors.
 * @example
 * ```ts
 * const vendor = requireVendor(api, 'brightdata', 'waitForSnapshot');
 * ```
 */
export const requireVendor = (api: KyInstance, name: string, operation: string): Vendor => {
  const vendor = vendorOf(api);
  if (vendor === undefined) {
    throw new TypeError(
      `\`${operation}()\` needs a ky instance built with \`withVendor(${name})\`, e.g. \`ky.create({prefix, ...withVendor(${name})})\`; got one without the vendor policy`,
    );
  }
  if (vendor.name !== name) {
    throw new TypeError(
      `\`${operation}()\` needs a ky instance built with \`withVendor(${name})\`; got one built with \`withVendor(${vendor.name})\``,
    );
  }
  return vendor;
};
