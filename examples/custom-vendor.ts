/**
 * @module A vendor of your own with `defineVendor()`: its error envelope and code table as data.
 */
import ky from 'ky';
import {z} from 'zod';
import {defineVendor, envelope, isVendorError, throttled, validation, withVendor} from '../src/index.ts';
import {startLoopbackServer} from '../src/testing/index.ts';

const acme = defineVendor({
  name: 'acme',
  envelopes: [envelope(z.object({error: z.object({code: z.string(), message: z.string()})}), (b) => b.error)],
  codes: {
    rate_limited: {status: 429, message: 'Slow down', ...throttled, delayMs: 200},
    invalid_request: {status: 400, message: 'Bad input', ...validation},
  },
});

// A stand-in for the vendor's API: the first request is throttled, unknown reports are invalid.
let hits = 0;
const server = await startLoopbackServer(({url}) => {
  const id = url.split('/').at(-1);
  if (!hits++) return Response.json({error: {code: 'rate_limited', message: 'Slow down'}}, {status: 429});
  if (id === 'r1') return Response.json({id, total: 42});
  return Response.json({error: {code: 'invalid_request', message: `No report ${id}`}}, {status: 400});
});
const api = ky.create({
  prefix: server.url,
  ...withVendor(acme, {onRetry: (event) => console.log(`  ${event.verdict.code}: retrying`)}),
});

try {
  console.log('report', await api.get('reports/r1').json());
  await api.get('reports/r9');
} catch (error) {
  // Narrowed: `error.code` is 'rate_limited' | 'invalid_request'.
  if (!isVendorError(error, acme) || error.code !== 'invalid_request') throw error;
  console.log(`${error.name}: ${error.message}`);
} finally {
  await server.close();
}
