/**
 * @module The OpenTelemetry entry against the SDK's in-memory exporter: spans per call and per
 * attempt, their attributes, the metrics, and no credential anywhere.
 */
import {AggregationTemporality, MeterProvider, MetricReader} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {afterEach, describe, expect, test} from 'vitest';
import {type RetryEvent, registerSecret, upyun, withVendor} from '../../src/index.ts';
import {otelObserver, withOtel} from '../../src/otel/index.ts';
import {createLimiter} from '../../src/policy/limiter/create-limiter.ts';
import {server} from '../helpers/server.ts';

class TestReader extends MetricReader {
  constructor() {
    super({aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE});
  }
  protected override onForceFlush = async (): Promise<void> => {};
  protected override onShutdown = async (): Promise<void> => {};
}

const setup = () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({spanProcessors: [new SimpleSpanProcessor(exporter)]});
  const reader = new TestReader();
  const meterProvider = new MeterProvider({readers: [reader]});
  return {
    exporter,
    tracer: provider.getTracer('test'),
    meter: meterProvider.getMeter('test'),
    /** Every data point of a metric, as `[attributes, value]`. */
    points: async (name: string) => {
      const {resourceMetrics} = await reader.collect();
      return resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) => metric.dataPoints.map((point) => [point.attributes, point.value] as const));
    },
  };
};

const UPYUN = 'https://v0.api.upyun.com';
const throttledAnswer = () =>
  HttpResponse.json(
    {msg: 'too many requests', code: 42900001, id: 'r1'},
    {status: 429, headers: {'retry-after': '0'}},
  );

afterEach(() => {
  server.resetHandlers();
});

const byStart = (spans: readonly ReadableSpan[]) =>
  [...spans].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);

describe('otelObserver', () => {
  test('a call throttled twice then stored: one call span, three attempt spans below it, resend counts 1 and 2', async () => {
    const otel = setup();
    let hits = 0;
    server.use(
      http.put(`${UPYUN}/bucket/a.txt`, () =>
        ++hits <= 2 ? throttledAnswer() : new HttpResponse(null, {status: 200}),
      ),
    );
    const retries: RetryEvent[] = [];
    const api = ky.create({
      prefix: UPYUN,
      ...withVendor(upyun, {
        ...withOtel({tracer: otel.tracer, meter: otel.meter}),
        onRetry: (event) => retries.push(event),
      }),
    });
    const response = await api.put('bucket/a.txt', {body: 'x'});
    expect(response.status).toBe(200);
    expect(retries).toHaveLength(2);

    const spans = byStart(otel.exporter.getFinishedSpans());
    expect(spans).toHaveLength(4);
    // The call span and the first attempt span can start within the same clock tick: tell them
    // apart by kind (INTERNAL 0 for the call, CLIENT 2 for attempts), not by order.
    const call = spans.find((span) => span.kind === 0) as ReadableSpan;
    const attempts = spans.filter((span) => span !== call);
    expect(call.name).toBe('upyun PUT');
    expect(call.attributes).toMatchObject({
      'vendor.name': 'upyun',
      'http.request.method': 'PUT',
      'http.request.resend_count': 2,
      'vendor.attempts': 3,
      'vendor.outcome': 'return',
      'http.response.status_code': 200,
      'url.full': `${UPYUN}/bucket/a.txt`,
      'server.address': 'v0.api.upyun.com',
      'server.port': 443,
    });
    for (const attempt of attempts) {
      expect(attempt.name).toBe('PUT');
      expect(attempt.kind).toBe(2); // SpanKind.CLIENT
      expect(attempt.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
      expect(attempt.spanContext().traceId).toBe(call.spanContext().traceId);
    }
    const [first, second, third] = attempts as [ReadableSpan, ReadableSpan, ReadableSpan];
    expect(first.attributes['http.request.resend_count']).toBeUndefined();
    expect(second.attributes['http.request.resend_count']).toBe(1);
    expect(third.attributes['http.request.resend_count']).toBe(2);
    for (const [index, throttledSpan] of [first, second].entries()) {
      expect(throttledSpan.attributes).toMatchObject({
        'http.response.status_code': 429,
        'error.type': '429',
        'vendor.code': '42900001',
        'vendor.category': 'rate_limited',
        'vendor.action': 'throttle',
        'vendor.outcome': 'retry',
        'vendor.delay_ms': retries[index]?.delayMs,
        // The first attempt goes out unpaced; whether a later one waited for its turn depends on
        // when its token comes, so only its type is fixed here.
        'vendor.queued': index === 0 ? false : expect.any(Boolean),
      });
      expect(throttledSpan.status.code).toBe(2); // ERROR
    }
    expect(third.attributes).toMatchObject({'http.response.status_code': 200, 'vendor.outcome': 'return'});
    expect(third.attributes['error.type']).toBeUndefined();

    const attemptsByOutcome = await otel.points('vendor.client.attempts');
    expect(attemptsByOutcome).toEqual(
      expect.arrayContaining([
        [expect.objectContaining({'vendor.outcome': 'retry'}), 2],
        [expect.objectContaining({'vendor.outcome': 'return'}), 1],
      ]),
    );
    expect(await otel.points('vendor.client.retries')).toEqual([
      [{'vendor.name': 'upyun', 'http.request.method': 'PUT', 'vendor.category': 'rate_limited'}, 2],
    ]);
    expect(await otel.points('vendor.client.throttles')).toEqual([
      [{'vendor.name': 'upyun', 'vendor.limiter.key': 'upyun:v0.api.upyun.com/bucket'}, 2],
    ]);
  });

  test('a limiter wait is an event on the attempt span, a histogram point, and the learned rate a gauge', async () => {
    const otel = setup();
    const limiter = createLimiter({initialRatePerSecond: 5});
    let hits = 0;
    server.use(
      http.put(`${UPYUN}/bucket/:name`, () =>
        ++hits === 1 ? throttledAnswer() : new HttpResponse(null, {status: 200}),
      ),
    );
    const api = ky.create({
      prefix: UPYUN,
      ...withVendor(upyun, {
        limiter,
        observers: [otelObserver({tracer: otel.tracer, meter: otel.meter, limiter})],
      }),
    });
    await Promise.all(['a', 'b', 'c'].map((name) => api.put(`bucket/${name}.txt`, {body: 'x'})));
    const attempts = otel.exporter.getFinishedSpans().filter((span) => span.name === 'PUT');
    const waited = attempts.filter((span) =>
      span.events.some((event) => event.name === 'vendor.limiter.wait'),
    );
    expect(waited.length).toBeGreaterThan(0);
    for (const span of waited) {
      expect(span.attributes['vendor.queued']).toBe(true);
      expect(span.attributes['vendor.queued_ms']).toBeGreaterThan(0);
    }
    const waits = await otel.points('vendor.limiter.wait.duration');
    expect(waits.length).toBe(1);
    const rate = await otel.points('vendor.limiter.rate');
    expect(rate).toHaveLength(1);
    const [attributes, value] = rate[0] ?? [];
    expect(attributes).toEqual({'vendor.limiter.key': 'upyun:v0.api.upyun.com/bucket'});
    const snapshot = await limiter.inspect('upyun:v0.api.upyun.com/bucket');
    expect(value).toBe(snapshot.ratePerSecond);
  });

  test('no secret of the URL query or the headers reaches any attribute or event', async () => {
    const otel = setup();
    const password = 'pw-Secret-9f8e7d6c5b';
    const token = 'tok-Secret-1a2b3c4d5e';
    registerSecret(password);
    server.use(
      http.get(`${UPYUN}/bucket/`, () =>
        HttpResponse.json({msg: `bad token ${token}`, code: 40100005, id: 'r2'}, {status: 401}),
      ),
    );
    const api = ky.create({
      prefix: UPYUN,
      headers: {authorization: `Bearer ${token}`, 'x-api-key': password},
      ...withVendor(upyun, withOtel({tracer: otel.tracer, meter: otel.meter})),
    });
    await expect(
      api.get(`bucket/?token=${token}&signature=${password}&user=me:${password}`),
    ).rejects.toThrow();
    const spans = otel.exporter.getFinishedSpans();
    expect(spans.length).toBe(2);
    const seen = JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
      })),
    );
    expect(seen).toContain('[REDACTED]');
    expect(seen).toContain('user=');
    expect(seen).not.toContain(token);
    expect(seen).not.toContain(password);
    expect(seen).not.toContain('Secret');
    const metricsSeen = JSON.stringify(
      await Promise.all(['vendor.client.attempts', 'http.client.request.duration'].map(otel.points)),
    );
    expect(metricsSeen).not.toContain('Secret');
  });
});
