/**
 * @module `dataProperty()`: the descriptor of a plain value as an assignment makes it (writable,
 * configurable), for the fields the library defines rather than assigns.
 */

/**
 * A descriptor of a plain, writable, configurable value: what an assignment makes, except that it
 * is hidden from `Object.keys`, `JSON.stringify` and printers unless `enumerable`.
 *
 * @example
 * ```ts
 * Object.create(prototype, {constructor: dataProperty(prototype.constructor)});
 * ```
 */
export const dataProperty = (value: unknown, enumerable = false): PropertyDescriptor => ({
  value,
  enumerable,
  writable: true,
  configurable: true,
});

/**
 * Defines `key` on `target` as `dataProperty(value, enumerable)`: a field that an assignment
 * could not make (hidden, or named `__proto__`).
 *
 * @example
 * ```ts
 * defineData(error, 'message', redact(error.message)); // hidden, as Error's own message is
 * ```
 */
export const defineData = (target: object, key: PropertyKey, value: unknown, enumerable = false): void => {
  Object.defineProperty(target, key, dataProperty(value, enumerable));
};
