/**
 * @module `resolveLimiter()`: the `limiter` option (`true`, a limiter, or options) to a limiter.
 */
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

/** The limiter for an input: `true` creates one with defaults, `false`/`undefined` is none. */
export const resolveLimiter = (input: LimiterInput | undefined): Limiter | undefined => {
  if (input === undefined || input === false) {
    return undefined;
  }
  if (input === true) {
    return createLimiter();
  }
  return isLimiter(input) ? input : createLimiter(input);
};
