import {z} from 'zod';
import {
  auth,
  defineVendor,
  envelope,
  notReady,
  serverFault,
  throttled,
  transient,
  tryAgainInHint,
  validation,
} from '../../src/index.ts';

/** A small vendor for the engine's tests: JSON `{error: {code, message}}`, errors hidden in 200 `{ok: false}`. */
export const acme = defineVendor({
  name: 'acme',
  hosts: ['api.acme.test'],
  envelopes: [
    envelope(z.object({error: z.object({code: z.string(), message: z.string().optional()})}), (body) => ({
      code: body.error.code,
      message: body.error.message,
    })),
    envelope(z.object({ok: z.literal(false), code: z.string(), message: z.string().optional()}), (body) => ({
      code: body.code,
      message: body.message,
    })),
    envelope(z.object({ok: z.literal(true)}), () => undefined),
  ],
  text: (text) => ({message: text}),
  headers: (headers) => ({code: headers.get('x-acme-code') ?? undefined}),
  codes: {
    busy: {status: 429, message: 'slow down', ...throttled},
    flaky: {status: 503, message: 'try later', ...transient},
    bad_input: {status: 400, message: 'invalid input', ...validation},
    bad_key: {status: 401, message: 'bad key', ...auth},
    broken: {status: 500, message: 'broken for good', ...serverFault},
    warming: {status: 202, message: 'warming up', ...notReady},
    slow_text: {status: 503, message: 'plain text busy', match: 'Servers are busy', ...transient},
  },
  hints: [tryAgainInHint],
  inspect: ({headers}) => (headers.get('content-type') ?? '').includes('json'),
  backoff: {baseDelayMs: 1, maxDelayMs: 5},
  retryLimit: 3,
});

export const ACME = 'https://api.acme.test';
