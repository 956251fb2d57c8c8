/** @module Demo section 3: a burst past Huawei's gateway limit, then a token the gateway refuses. */
import ky from 'ky';
import {createLimiter, huaweiCloud, isVendorError, withVendor} from '../../src/index.ts';
import {createHuaweiSimulator, startHuaweiServer} from '../../src/testing/index.ts';
import {huaweiAuth} from '../../src/vendors/huawei/index.ts';
import {plural} from './format.ts';
import {out} from './narrator.ts';
import {retryCounter} from './retry-counter.ts';
import type {Row} from './row.ts';
import {section} from './section.ts';

/** Huawei: a burst past the gateway's stated limit, then a token the gateway refuses. */
export const huaweiSection = async (): Promise<Row> => {
  const calls = 15;
  section(
    3,
    'Huawei Cloud: gateway throttling and a typed error',
    `${calls} calls at once against a gateway limit of 5/s. The first APIGW.0308 states the limit`,
    '("limit:5,time:1 second"): the limiter adopts it and paces the rest instead of bouncing them.',
    'Then a wrong token: APIGW.0301 is never retried (the gateway locks a key after five failures).',
  );
  const started = Date.now();
  const sim = createHuaweiSimulator({rateLimit: {limit: 5, windowMs: 1_000}});
  const server = await startHuaweiServer(sim);
  const counter = retryCounter(
    ({verdict, delayMs}) =>
      `      ${verdict.code} "${/limit:.*$/.exec(verdict.message ?? '')?.[0]}": resent in ${delayMs} ms`,
  );
  let outcome = '';
  try {
    const prefix = `${server.url}/v1.0/demo-project/`;
    const token = sim.issueToken();
    const limiter = createLimiter({key: () => 'huawei:demo'});
    const octopus = ky.create({
      prefix,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({token}), limiter, onRetry: counter.onRetry}),
    });
    let done = 0;
    await Promise.all(
      Array.from({length: calls}, async () => {
        await octopus.get('data/packages').json();
        done++;
        const pace = (await limiter.state('huawei:demo'))?.ratePerSecond ?? 0;
        const line = `      ${done}/${calls} answered, ${sim.counters.throttled} throttled | pace ${pace.toFixed(1)}/s`;
        out.update(line, done % 5 === 0);
      }),
    );
    out.say(
      `      ${calls}/${calls} answered, ${plural(sim.counters.throttled, 'APIGW.0308 throttle')} waited out`,
    );

    const stranger = ky.create({
      prefix,
      ...withVendor(huaweiCloud, {auth: huaweiAuth({token: 'not-a-token'})}),
    });
    const error = await stranger.get('data/packages').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isVendorError(error, huaweiCloud) || error.code !== 'APIGW.0301') throw error;
    const message = error.message.replace(/ \(GET [^)]*\)$/, '');
    out.say(`      ${error.name} after ${plural(error.attempts, 'attempt')}: ${message}`);
    outcome = `${calls}/${calls} ok; ${error.name} ${error.code}`;
    return {
      vendor: 'Huawei Cloud',
      scenario: `${calls} calls at limit 5/s, then a bad token`,
      requests: sim.counters.requests,
      retries: counter.summary(),
      outcome,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await server.close();
  }
};
