/**
 * @module `resolveLimiter()`: the `limiter` option (`true`, a limiter, or options) to a limiter.
 */

import type {Store} from '../store/store.ts';
import {createLimiter, type Limiter} from './create-limiter.ts';
import type {LimiterOptions} from './limiter-options.ts';

/** A limiter, or the options to create one. */
export type LimiterInput = boolean | Limiter | LimiterOptions;

/** Whether a value is a limiter (as opposed to options for one). */
export const isLimiter = (value: unknown): value is Limiter =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Partial<Limiter>).acquire === 'function' &&
  typeof (value as Partial<Limiter>).onThrottle === 'function';

/**
 * The limiter for an input: on by default (`undefined` or `true` create one over `store`), off
 * with `false`; options create one with them; a limiter is used as it is.
 */
export const resolveLimiter = (input: LimiterInput | undefined, store?: Store): Limiter | undefined => {
  if (input === false) {
    return undefined;
  }
  const withStore = store === undefined ? {} : {store};
  if (input === undefined || input === true) {
    return createLimiter(withStore);
  }
  return isLimiter(input) ? input : createLimiter({...withStore, ...input});
};
