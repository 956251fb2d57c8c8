/**
 * @module Which limiter a ky instance paces its requests with, for operations that report on it.
 */
import type {KyInstance} from 'ky';
import {initMarkReader} from '../core/init-mark.ts';
import type {Limiter} from '../policy/limiter/create-limiter.ts';

/** Marks the `init` hook `withVendor()` installs with the instance's limiter. */
export const VENDOR_LIMITER: unique symbol = Symbol.for('ky-vendors.vendor-limiter');

/**
 * The limiter of an instance built with `withVendor(vendor, {limiter})`, or `undefined`.
 *
 * @example
 * ```ts
 * const limiter = limiterOf(api);
 * limiter?.onChange(({key, ratePerSecond}) => console.log(key, ratePerSecond));
 * ```
 */
export const limiterOf: (api: KyInstance) => Limiter | undefined =
  /* @__PURE__ */ initMarkReader<Limiter>(VENDOR_LIMITER);
