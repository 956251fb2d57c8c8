/**
 * @module The cost of the observers per attempt with nothing listening (no OpenTelemetry SDK
 * registered, no channel subscriber), called directly so the network and ky do not drown it.
 */
import {diagnosticsChannels} from '../src/diagnostics/index.ts';
import type {AttemptEndEvent, AttemptStartEvent, CallObserver} from '../src/ky/call-observer.ts';
import {otelObserver} from '../src/otel/index.ts';
import {fixed, median, printTable} from './measure.ts';

const ATTEMPTS = 50_000;
const ROUNDS = 5;

const start: AttemptStartEvent = Object.freeze({
  vendor: 'upyun',
  callId: 0,
  attempt: 1,
  method: 'GET',
  url: 'https://v0.api.upyun.com/bucket/file.txt',
  key: 'upyun:v0.api.upyun.com',
});

/** Nanoseconds per successful attempt (start and end) through `observer`. */
const perAttempt = (observer: CallObserver): number => {
  const started = performance.now();
  for (let i = 0; i < ATTEMPTS; i++) {
    const base = {...start, callId: i};
    observer.onAttemptStart?.(base);
    const end: AttemptEndEvent = {
      ...base,
      status: 200,
      verdict: undefined,
      outcome: 'return',
      delayMs: undefined,
      reason: undefined,
      queued: false,
      error: undefined,
    };
    observer.onAttemptEnd?.(end);
  }
  return ((performance.now() - started) * 1e6) / ATTEMPTS;
};

export const runObserverCost = () => {
  const observers = {none: {}, diagnostics: diagnosticsChannels(), otel: otelObserver()};
  const rows = Object.entries(observers).map(([name, observer]) => {
    perAttempt(observer);
    const samples = Array.from({length: ROUNDS}, () => perAttempt(observer));
    return {observer: name, 'ns per attempt': fixed(median(samples), 0)};
  });
  printTable('Observer cost per successful attempt, nothing listening (median of 5 rounds)', rows);
  return rows;
};

if (import.meta.main) {
  runObserverCost();
}
