/**
 * @module `otelObserver()`: a span per call, a client span per attempt, and the metrics of retries,
 * throttles and limiter waits, for any instance built with `withVendor()`.
 */
import {
  type Attributes,
  type Context,
  context,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type {AttemptEndEvent, AttemptStartEvent, CallObserver} from '../ky/call-observer.ts';
import type {Limiter} from '../policy/limiter/create-limiter.ts';
import {endAttributes, errorTypeOf, serverOf, startAttributes} from './otel-attributes.ts';

/** The instrumentation scope name of spans and metrics. */
export const INSTRUMENTATION_NAME = 'ky-vendors';

/**
 * `otelObserver()` options. Every field is optional.
 *
 * @example
 * ```ts
 * otelObserver({tracer: provider.getTracer('my-app'), limiter});
 * ```
 */
export type OtelOptions = {
  /**
   * The tracer of the spans.
   * @default trace.getTracer('ky-vendors') (the globally registered provider; a no-op without one)
   */
  readonly tracer?: Tracer;
  /**
   * The meter of the metrics.
   * @default metrics.getMeter('ky-vendors')
   */
  readonly meter?: Meter;
  /**
   * A limiter whose learned rate per key is reported as the `vendor.limiter.rate` gauge (pass the
   * one given to `withVendor()`).
   * @default undefined (no rate gauge)
   */
  readonly limiter?: Limiter;
};

/** What the observer keeps of a call in progress. */
type OpenCall = {
  readonly span: Span;
  /** `server.address` and `server.port`, parsed once per call. */
  readonly server: Attributes;
  /** Whether a sampler kept the call: if not, no attribute is built for its spans. */
  readonly recording: boolean;
  readonly context: Context;
  attempt: Span | undefined;
  attemptStartedAt: number;
  queuedMs: number;
};

/** Calls whose span ended with an error, kept so a resend after a network error joins its trace. */
const MAX_ENDED = 1024;

/**
 * A `CallObserver` that traces and measures every call: one `INTERNAL` span per call (named
 * `<vendor> <METHOD>`), one `CLIENT` span per attempt below it, named by the method, with the HTTP
 * client semantic conventions (`http.request.method`, `url.full` redacted, `server.address`,
 * `http.response.status_code`, `http.request.resend_count`, `error.type`) and `vendor.name`,
 * `vendor.code`, `vendor.category`, `vendor.action`, `vendor.outcome`, `vendor.delay_ms`,
 * `vendor.give_up_reason`, `vendor.queued`, `vendor.limiter.key`. A wait for the limiter is an
 * event `vendor.limiter.wait` on the attempt span.
 *
 * Metrics: `http.client.request.duration` (s), `vendor.client.attempts`, `vendor.client.retries`
 * (by `vendor.category`), `vendor.client.throttles`, `vendor.limiter.wait.duration` (s) and, with
 * `limiter`, the gauge `vendor.limiter.rate` (requests per second per key).
 *
 * @example
 * ```ts
 * import {otelObserver} from 'ky-vendors/otel';
 * const api = ky.create({prefix, ...withVendor(upyun, {limiter, observers: [otelObserver({limiter})]})});
 * ```
 */
export const otelObserver = (options: OtelOptions = {}): CallObserver => {
  const tracer = options.tracer ?? trace.getTracer(INSTRUMENTATION_NAME);
  const meter = options.meter ?? metrics.getMeter(INSTRUMENTATION_NAME);
  const duration = meter.createHistogram('http.client.request.duration', {
    unit: 's',
    description: 'Duration of each HTTP attempt, limiter wait excluded',
  });
  const attempts = meter.createCounter('vendor.client.attempts', {
    unit: '{attempt}',
    description: 'Attempts by outcome',
  });
  const retries = meter.createCounter('vendor.client.retries', {
    unit: '{retry}',
    description: 'Retries by category',
  });
  const throttles = meter.createCounter('vendor.client.throttles', {
    unit: '{response}',
    description: 'Throttled answers',
  });
  const waits = meter.createHistogram('vendor.limiter.wait.duration', {
    unit: 's',
    description: 'Time an attempt waited for its turn in the limiter',
  });
  const {limiter} = options;
  if (limiter !== undefined) {
    // The keys come from the rate changes; the values are read when the metrics are collected.
    const keys = new Set<string>();
    limiter.onChange((change) => keys.add(change.key));
    meter
      .createObservableGauge('vendor.limiter.rate', {
        unit: '{request}/s',
        description: 'The learned rate per key',
      })
      .addCallback(async (result) => {
        for (const key of keys) {
          const {ratePerSecond} = await limiter.inspect(key);
          if (ratePerSecond !== undefined) result.observe(ratePerSecond, {'vendor.limiter.key': key});
        }
      });
  }

  const calls = new Map<number, OpenCall>();
  const ended = new Map<number, Context>();

  const open = (event: AttemptStartEvent): OpenCall => {
    let call = calls.get(event.callId);
    if (call === undefined) {
      const parent = ended.get(event.callId) ?? context.active();
      const span = tracer.startSpan(`${event.vendor} ${event.method}`, {kind: SpanKind.INTERNAL}, parent);
      const server = serverOf(event.url);
      const recording = span.isRecording();
      if (recording) {
        span.setAttributes({
          'vendor.name': event.vendor,
          'http.request.method': event.method,
          'url.full': event.url,
          ...server,
        });
      }
      call = {
        span,
        server,
        recording,
        context: trace.setSpan(parent, span),
        attempt: undefined,
        attemptStartedAt: 0,
        queuedMs: 0,
      };
      calls.set(event.callId, call);
    }
    return call;
  };

  const close = (event: AttemptEndEvent, call: OpenCall): void => {
    calls.delete(event.callId);
    const {span} = call;
    if (call.recording) {
      span.setAttributes({
        ...(event.attempt > 1 ? {'http.request.resend_count': event.attempt - 1} : {}),
        'vendor.attempts': event.attempt,
        'vendor.outcome': event.outcome,
        ...(event.status > 0 ? {'http.response.status_code': event.status} : {}),
        ...(event.verdict?.code === undefined ? {} : {'vendor.code': String(event.verdict.code)}),
        ...(event.verdict === undefined ? {} : {'vendor.category': event.verdict.category}),
        ...(event.reason === undefined ? {} : {'vendor.give_up_reason': event.reason}),
      });
      if (event.outcome !== 'return') {
        span.setStatus({code: SpanStatusCode.ERROR});
        const errorType = errorTypeOf(event);
        if (errorType !== undefined) span.setAttribute('error.type', errorType);
      }
    }
    span.end();
    if (event.outcome === 'error') {
      if (ended.size >= MAX_ENDED) ended.delete(ended.keys().next().value as number);
      ended.set(event.callId, call.context);
    }
  };

  return {
    onAttemptStart: (event) => {
      const call = open(event);
      call.attempt = tracer.startSpan(
        event.method,
        call.recording
          ? {kind: SpanKind.CLIENT, attributes: startAttributes(event, call.server)}
          : {kind: SpanKind.CLIENT},
        call.context,
      );
      call.attemptStartedAt = performance.now();
      call.queuedMs = 0;
    },
    onAttemptQueued: (event) => {
      const call = calls.get(event.callId);
      if (call === undefined) return;
      call.queuedMs = event.queuedMs;
      if (call.recording) call.attempt?.addEvent('vendor.limiter.wait', {'vendor.queued_ms': event.queuedMs});
      waits.record(event.queuedMs / 1000, {'vendor.name': event.vendor, 'vendor.limiter.key': event.key});
    },
    onAttemptEnd: (event) => {
      const call = calls.get(event.callId);
      const metricBase = {'vendor.name': event.vendor, 'http.request.method': event.method};
      attempts.add(1, {...metricBase, 'vendor.outcome': event.outcome});
      if (event.outcome === 'retry')
        retries.add(1, {...metricBase, 'vendor.category': event.verdict?.category ?? 'network'});
      if (event.verdict?.action === 'throttle')
        throttles.add(1, {'vendor.name': event.vendor, 'vendor.limiter.key': event.key});
      if (call === undefined) return;
      const errorType = errorTypeOf(event);
      const seconds = Math.max(0, performance.now() - call.attemptStartedAt - call.queuedMs) / 1000;
      duration.record(seconds, {
        'http.request.method': event.method,
        ...call.server,
        ...(event.status > 0 ? {'http.response.status_code': event.status} : {}),
        ...(errorType === undefined ? {} : {'error.type': errorType}),
      });
      const span = call.attempt;
      call.attempt = undefined;
      if (span !== undefined) {
        if (call.recording) {
          span.setAttributes({
            ...endAttributes(event),
            ...(call.queuedMs > 0 ? {'vendor.queued_ms': call.queuedMs} : {}),
          });
          if (event.outcome !== 'return') span.setStatus({code: SpanStatusCode.ERROR});
        }
        span.end();
      }
      if (event.outcome !== 'retry') close(event, call);
    },
  };
};
