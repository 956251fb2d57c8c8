/**
 * @module `sealKyError()`: makes an error that leaves this library (ky's `NetworkError`,
 * `TimeoutError`, any cause) safe to print.
 */
import {dataProperty, defineData} from '../core/data-property.ts';
import {redact} from '../core/redact.ts';
import {setUnprintable, unprintableGetters} from './unprintable.ts';

/** Fields ky's errors keep that hold request or response headers. */
const HEADER_FIELDS = ['request', 'response', 'options', 'customRequest'] as const;

/** How deep a cause chain is sealed. */
const MAX_CAUSES = 8;

const sealed = new WeakSet<object>();
/** Per prototype, the same prototype with getters for the fields moved out of the instance. */
const sealedPrototypes = new WeakMap<object, object>();

type Inspect = (value: unknown, options?: object) => string;

/**
 * What `util.inspect` prints for a sealed error: a plain `Error` with the same stack, name and
 * fields, minus the moved ones. Without it, `inspect(error, {showHidden: true, getters: true})`
 * would list the prototype's getters and call them.
 */
function inspectSealed(this: Error, _depth: number, options: object, inspect: Inspect): string {
  const shown = new Error(this.message, this.cause === undefined ? undefined : {cause: this.cause});
  for (const [key, value] of Object.entries(this)) {
    defineData(shown, key, value, true);
  }
  defineData(shown, 'name', this.name);
  defineData(shown, 'stack', this.stack);
  return inspect(shown, options);
}

const sealedPrototype = (prototype: object): object => {
  let result = sealedPrototypes.get(prototype);
  if (result === undefined) {
    result = Object.create(prototype, {
      ...unprintableGetters(HEADER_FIELDS),
      // util.inspect lists the properties of prototypes without their own constructor.
      constructor: dataProperty((prototype as {constructor?: unknown}).constructor),
      [Symbol.for('nodejs.util.inspect.custom')]: dataProperty(inspectSealed),
    }) as object;
    sealedPrototypes.set(prototype, result);
  }
  return result;
};

const rewrite = (error: Error, key: 'message' | 'stack'): void => {
  const text = error[key];
  if (typeof text !== 'string') return;
  const safe = redact(text);
  if (safe !== text) {
    defineData(error, key, safe);
  }
};

/**
 * Makes `error` safe to print, in place, and returns it: its `message` and `stack` are redacted
 * (ky's `NetworkError` and `TimeoutError` carry the raw URL), the `request`, `response`,
 * `options` and `customRequest` fields move behind getters that no printer reaches (ky keeps
 * them as enumerable properties, so `util.inspect` would print the `Authorization` header), and
 * its `cause` chain is sealed the same way. The error keeps its class, name and fields:
 * `isNetworkError(error)`, `error.request` and `error.cause` work as before. Idempotent; values
 * that are not objects are returned as they are.
 *
 * @example
 * ```ts
 * beforeError: [({error}) => sealKyError(error)],
 * ```
 */
export const sealKyError = <T>(error: T): T => {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && typeof current === 'object' && current !== null; depth++) {
    if (sealed.has(current)) break;
    sealed.add(current);
    if (current instanceof Error) {
      rewrite(current, 'message');
      rewrite(current, 'stack');
    }
    const moved = HEADER_FIELDS.filter((key) => Object.hasOwn(current as object, key));
    if (moved.length > 0) {
      const target = current as Record<string, unknown>;
      for (const key of moved) {
        setUnprintable(target, key, target[key]);
        delete target[key];
      }
      Object.setPrototypeOf(target, sealedPrototype(Object.getPrototypeOf(target) as object));
    }
    current = (current as {cause?: unknown}).cause;
  }
  return error;
};

/**
 * The `cause` a `VendorError` keeps: sealed when it is an object (see `sealKyError`), redacted
 * when it is text.
 */
export const sealCause = (cause: unknown): unknown =>
  typeof cause === 'string' ? redact(cause) : sealKyError(cause);
