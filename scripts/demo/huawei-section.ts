/** @module Demo section 3: a burst past Huawei's gateway limit, then a token the gateway refuses. */
import ky, {isHTTPError} from 'ky';
import {createLimiter, huaweiCloud, isVendorError, withVendor} from '../../src/index.ts';
import {createHuaweiSimulator, startHuaweiServer} from '../../src/testing/index.ts';
import {huaweiAuth} from '../../src/vendors/huawei/index.ts';
import {plural} from './format.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Outcome, Row} from './row.ts';
import {section} from './section.ts';

const CALLS = 15;

/** The gateway both clients call: the same limit each time. */
const simulator = () => createHuaweiSimulator({rateLimit: {limit: 5, windowMs: 1_000}, seed: 3});

/** What a call ended in: `'ok'`, or the status (or error name) it failed with. */
const settle = async (call: Promise<unknown>): Promise<'ok' | number | string> =>
  call.then(
    () => 'ok' as const,
    (error: unknown) =>
      isHTTPError(error) ? error.response.status : error instanceof Error ? error.name : 'error',
  );

/** A wrong token: the answer must be a 401 thrown at once, never resent (the key would lock). */
const badToken = async (call: Promise<unknown>): Promise<string> => {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (isVendorError(error, huaweiCloud)) return `${error.name} ${error.code}`;
  return isHTTPError(error) ? `HTTPError ${error.response.status}` : String(error);
};

/** The burst with plain ky (`X-Auth-Token` set by hand, default retry), then a wrong token. */
const withPlainKy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startHuaweiServer(sim);
  try {
    const prefix = `${server.url}/v1.0/demo-project/`;
    const plain = ky.create({prefix, headers: {'X-Auth-Token': sim.issueToken()}});
    const ends = await Promise.all(
      Array.from({length: CALLS}, async () => await settle(plain.get('data/packages').json())),
    );
    const ok = ends.filter((end) => end === 'ok').length;
    const throttled = ends.filter((end) => end === 429).length;
    const refused = await badToken(
      ky
        .create({prefix, headers: {'X-Auth-Token': 'not-a-token'}})
        .get('data/packages')
        .json(),
    );
    out.say(
      `      plain ky: ${ok}/${CALLS} answered, ${throttled} failed with APIGW.0308 (HTTP 429); bad token: ${refused}`,
    );
    return {
      requests: sim.counters.requests,
      lost: CALLS - ok,
      // APIGW.0308 states the window to wait for: failing on it is a wrong failure.
      wrongFailures: throttled,
      result: `${ok}/${CALLS} ok; ${refused}`,
    };
  } finally {
    await server.close();
  }
};

/** The burst through `withVendor(huaweiCloud, {limiter})`, then a wrong token. */
const withPolicy = async (): Promise<Outcome> => {
  const sim = simulator();
  const server = await startHuaweiServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs}) =>
      `      ${verdict.code} "${/limit:.*$/.exec(verdict.message ?? '')?.[0]}": resent in ${delayMs} ms`,
  );
  try {
    const prefix = `${server.url}/v1.0/demo-project/`;
    const token = sim.issueToken();
    const limiter = createLimiter({key: () => 'huawei:demo'});
    const octopus = ky.create({
      prefix,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({token}), limiter, onRetry: counter.onRetry}),
    });
    let done = 0;
    const ends = await Promise.all(
      Array.from({length: CALLS}, async () => {
        const end = await settle(octopus.get('data/packages').json());
        done++;
        const pace = (await limiter.state('huawei:demo'))?.ratePerSecond ?? 0;
        const line = `      ${done}/${CALLS} answered, ${sim.counters.throttled} throttled | pace ${pace.toFixed(1)}/s`;
        out.update(line, done % 5 === 0);
        return end;
      }),
    );
    const ok = ends.filter((end) => end === 'ok').length;
    const stranger = ky.create({
      prefix,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({token: 'not-a-token'})}),
    });
    const refused = await badToken(stranger.get('data/packages').json());
    out.say(
      `      ky-vendors: ${ok}/${CALLS} answered, ${plural(sim.counters.throttled, 'APIGW.0308 throttle')} waited out (${counter.summary()}); bad token: ${refused}, not resent`,
    );
    return {
      requests: sim.counters.requests,
      lost: CALLS - ok,
      wrongFailures: ends.filter((end) => end === 'RateLimitError').length,
      result: `${ok}/${CALLS} ok; ${refused}`,
    };
  } finally {
    await server.close();
  }
};

/** Huawei: a burst past the gateway's stated limit, then a token the gateway refuses. */
export const huaweiSection = async (): Promise<Row> => {
  section(
    3,
    'Huawei Cloud: gateway throttling and a typed error',
    `${CALLS} calls at once against a gateway limit of 5/s. The first APIGW.0308 states the limit`,
    '("limit:5,time:1 second"): the limiter adopts it and paces the rest instead of bouncing them.',
    'Then a wrong token: APIGW.0301 is never retried (the gateway locks a key after five failures).',
  );
  const started = Date.now();
  const plain = await withPlainKy();
  const policy = await withPolicy();
  return {
    vendor: 'Huawei Cloud',
    scenario: `${CALLS} calls at limit 5/s, then a bad token`,
    unit: 'calls',
    total: CALLS,
    plain,
    policy,
    elapsedMs: Date.now() - started,
  };
};
