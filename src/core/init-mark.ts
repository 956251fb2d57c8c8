/**
 * @module Reading a value `withVendor()` attached to its `init` hook under a symbol: the one way to
 * learn from a ky instance what policy it was built with.
 */
import type {KyInstance, Options} from 'ky';

/**
 * A reader of the value marked `mark` on an instance's `init` hooks, read once per instance from
 * its defaults (ky's `extend(fn)` hands them over) and remembered.
 *
 * @example
 * ```ts
 * const vendorOf = initMarkReader<Vendor>(VENDOR_HOOK);
 * ```
 */
export const initMarkReader = <T>(mark: symbol): ((api: KyInstance) => T | undefined) => {
  const found = new WeakMap<KyInstance, T | null>();
  return (api) => {
    let value = found.get(api);
    if (value === undefined) {
      value = null;
      if (typeof api?.extend === 'function') {
        api.extend((defaults: Options) => {
          value = markedValue<T>(defaults, mark) ?? null;
          return {};
        });
      }
      found.set(api, value);
    }
    return value ?? undefined;
  };
};

const markedValue = <T>(defaults: Options, mark: symbol): T | undefined => {
  for (const hook of defaults.hooks?.init ?? []) {
    const value = (hook as unknown as Record<symbol, T | undefined>)[mark];
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
};
