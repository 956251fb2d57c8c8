/**
 * @module Fields an error carries but no printer can reach: `request`, `response`, `options`.
 */

/** The hidden values, per error: not properties of the error, so nothing walks into them. */
const store = new WeakMap<object, Map<string, unknown>>();

/** Stores `value` as the unprintable field `key` of `error` (read it back with `unprintableField`). */
export const setUnprintable = (error: object, key: string, value: unknown): void => {
  let fields = store.get(error);
  if (fields === undefined) {
    fields = new Map();
    store.set(error, fields);
  }
  fields.set(key, value);
};

/** The unprintable field `key` of `error`, or `undefined`. */
export const unprintableField = (error: object, key: string): unknown => store.get(error)?.get(key);

/**
 * Property descriptors of getters that read unprintable fields. Put on a prototype, they make
 * `error.request` work while `util.inspect` (even with `showHidden` and `getters`), `JSON`,
 * `Object.keys` and `{...error}` see no such property: none of them walks the prototype.
 */
export const unprintableGetters = (keys: readonly string[]): PropertyDescriptorMap =>
  Object.fromEntries(
    keys.map((key) => [
      key,
      {
        get(this: object): unknown {
          return unprintableField(this, key);
        },
        enumerable: false,
        configurable: true,
      },
    ]),
  );
