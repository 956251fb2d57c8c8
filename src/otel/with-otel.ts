/**
 * @module `withOtel()`: the `observers` option that turns tracing and metrics on.
 */
import type {CallObserver} from '../ky/call-observer.ts';
import {type OtelOptions, otelObserver} from './otel-observer.ts';

/**
 * `{observers: [otelObserver(options)]}`, to spread into `withVendor()`'s options. Spread it
 * before your own `observers`, or list `otelObserver()` among them yourself.
 *
 * @example
 * ```ts
 * import {withOtel} from 'ky-vendors/otel';
 * const api = ky.create({prefix, ...withVendor(upyun, {limiter, ...withOtel({limiter})})});
 * ```
 */
export const withOtel = (options: OtelOptions = {}): {readonly observers: readonly CallObserver[]} => ({
  observers: [otelObserver(options)],
});
