/**
 * @module Which limiter a ky instance paces its requests with, for operations that report on it.
 */
import type {Hooks, KyInstance, Options} from 'ky';
import type {Limiter} from '../policy/limiter/create-limiter.ts';

/** Marks the `init` hook `withVendor()` installs with the instance's limiter. */
export const VENDOR_LIMITER: unique symbol = Symbol.for('ky-vendors.vendor-limiter');

type MarkedHook = {readonly [VENDOR_LIMITER]?: Limiter};

const found = new WeakMap<KyInstance, Limiter | null>();

/**
 * The limiter of an instance built with `withVendor(vendor, {limiter})`, or `undefined`.
 *
 * @example
 * ```ts
 * const limiter = limiterOf(api);
 * limiter?.onChange(({key, ratePerSecond}) => console.log(key, ratePerSecond));
 * ```
 */
export const limiterOf = (api: KyInstance): Limiter | undefined => {
  let limiter = found.get(api);
  if (limiter === undefined) {
    limiter = null;
    if (typeof api?.extend === 'function') {
      api.extend((defaults: Options) => {
        limiter = markedLimiter(defaults.hooks) ?? null;
        return {};
      });
    }
    found.set(api, limiter);
  }
  return limiter ?? undefined;
};

const markedLimiter = (hooks: Hooks | undefined): Limiter | undefined => {
  for (const hook of hooks?.init ?? []) {
    const limiter = (hook as MarkedHook)[VENDOR_LIMITER];
    if (limiter !== undefined) {
      return limiter;
    }
  }
  return undefined;
};
