/**
 * @module ky-vendors/otel: OpenTelemetry traces and metrics of every call and attempt.
 */
export type {OtelOptions} from './otel-observer.ts';
export {INSTRUMENTATION_NAME, otelObserver} from './otel-observer.ts';
export {withOtel} from './with-otel.ts';
