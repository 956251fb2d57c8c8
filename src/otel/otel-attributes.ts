/**
 * @module The OpenTelemetry attributes of an attempt: HTTP client semantic conventions plus `vendor.*`.
 */
import type {Attributes} from '@opentelemetry/api';
import type {AttemptEndEvent, CallEventBase} from '../ky/call-observer.ts';

/** `server.address` and `server.port` of a URL (the port only when the URL states or implies one). */
export const serverOf = (url: string): Attributes => {
  try {
    const parsed = new URL(url);
    const port =
      parsed.port === ''
        ? parsed.protocol === 'https:'
          ? 443
          : parsed.protocol === 'http:'
            ? 80
            : undefined
        : Number(parsed.port);
    return {'server.address': parsed.hostname, ...(port === undefined ? {} : {'server.port': port})};
  } catch {
    return {};
  }
};

/** What every attempt span starts with: method, redacted URL, server, resend count, vendor, key. */
export const startAttributes = (
  event: CallEventBase,
  server: Attributes = serverOf(event.url),
): Attributes => ({
  'http.request.method': event.method,
  'url.full': event.url,
  ...server,
  // The conventions set it on resends only: the first attempt is not a resend.
  ...(event.attempt > 1 ? {'http.request.resend_count': event.attempt - 1} : {}),
  'vendor.name': event.vendor,
  'vendor.limiter.key': event.key,
});

/**
 * `error.type` per the conventions: the status code for an HTTP error, the vendor's category for a
 * failure inside a 2xx envelope, the error's name when no answer came.
 */
export const errorTypeOf = (event: AttemptEndEvent): string | undefined => {
  if (event.outcome === 'error') {
    return event.error instanceof Error ? event.error.name : '_OTHER';
  }
  if (event.status >= 400) {
    return String(event.status);
  }
  return event.verdict?.category;
};

/** What an attempt span ends with: status, the verdict, the decision and its delay, the limiter wait. */
export const endAttributes = (event: AttemptEndEvent): Attributes => {
  const errorType = errorTypeOf(event);
  const {verdict} = event;
  return {
    ...(event.status > 0 ? {'http.response.status_code': event.status} : {}),
    ...(errorType === undefined ? {} : {'error.type': errorType}),
    ...(verdict === undefined
      ? {}
      : {
          'vendor.category': verdict.category,
          'vendor.action': verdict.action,
          ...(verdict.code === undefined ? {} : {'vendor.code': String(verdict.code)}),
        }),
    'vendor.outcome': event.outcome,
    ...(event.delayMs === undefined ? {} : {'vendor.delay_ms': event.delayMs}),
    ...(event.reason === undefined ? {} : {'vendor.give_up_reason': event.reason}),
    'vendor.queued': event.queued,
  };
};
