/**
 * @module The diagnostics channels: what each publishes, frozen and redacted, and nothing without a subscriber.
 */
import {subscribe, unsubscribe} from 'node:diagnostics_channel';
import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, test} from 'vitest';
import {
  type AttemptPayload,
  CHANNELS,
  createLimiter,
  diagnosticsChannels,
  type LimiterRatePayload,
  type LimiterWaitPayload,
  registerSecret,
  upyun,
  withVendor,
} from '../../src/index.ts';
import {server} from '../helpers/server.ts';

const UPYUN = 'https://v0.api.upyun.com';
const throttledAnswer = () =>
  HttpResponse.json(
    {msg: 'too many requests', code: 42900001, id: 'r1'},
    {status: 429, headers: {'retry-after': '0'}},
  );

/** Collects what each channel publishes while `run` runs. */
const listen = async (run: () => Promise<unknown>) => {
  const seen: Record<string, unknown[]> = {};
  const listeners = Object.values(CHANNELS).map((name) => {
    const listener = (message: unknown) => {
      seen[name] ??= [];
      seen[name].push(message);
    };
    subscribe(name, listener);
    return [name, listener] as const;
  });
  try {
    await run();
  } finally {
    for (const [name, listener] of listeners) unsubscribe(name, listener);
  }
  return (name: string) => (seen[name] ?? []) as unknown[];
};

describe('diagnosticsChannels', () => {
  test('a call throttled twice then stored publishes three attempts, two retries and two throttles', async () => {
    let hits = 0;
    server.use(
      http.put(`${UPYUN}/bucket/a.txt`, () =>
        ++hits <= 2 ? throttledAnswer() : new HttpResponse(null, {status: 200}),
      ),
    );
    const api = ky.create({prefix: UPYUN, ...withVendor(upyun, {observers: [diagnosticsChannels()]})});
    const seen = await listen(() => api.put('bucket/a.txt', {body: 'x'}));
    const attempts = seen(CHANNELS.attempt) as AttemptPayload[];
    expect(attempts.map((payload) => [payload.attempt, payload.status, payload.outcome])).toEqual([
      [1, 429, 'retry'],
      [2, 429, 'retry'],
      [3, 200, 'return'],
    ]);
    expect(seen(CHANNELS.retry)).toEqual(attempts.slice(0, 2));
    expect(seen(CHANNELS.throttle)).toEqual(attempts.slice(0, 2));
    expect(seen(CHANNELS.giveUp)).toEqual([]);
    expect(attempts[0]?.verdict).toMatchObject({
      code: 42900001,
      category: 'rate_limited',
      action: 'throttle',
    });
    for (const payload of attempts) {
      expect(Object.isFrozen(payload)).toBe(true);
      if (payload.verdict !== undefined) expect(Object.isFrozen(payload.verdict)).toBe(true);
    }
  });

  test('a give-up is published, with no secret of the URL, the headers or the message', async () => {
    const password = 'pw-Secret-aa11bb22cc';
    const token = 'tok-Secret-dd33ee44ff';
    registerSecret(password);
    server.use(
      http.get(`${UPYUN}/bucket/`, () =>
        HttpResponse.json({msg: `token ${token} refused`, code: 40100005, id: 'r2'}, {status: 401}),
      ),
    );
    const api = ky.create({
      prefix: UPYUN,
      headers: {authorization: `Bearer ${token}`, 'x-api-key': password},
      ...withVendor(upyun, {observers: [diagnosticsChannels()]}),
    });
    registerSecret(token);
    const seen = await listen(() =>
      api.get(`bucket/?token=${token}&signature=${password}`).catch((error: unknown) => error),
    );
    const giveUps = seen(CHANNELS.giveUp) as AttemptPayload[];
    expect(giveUps).toHaveLength(1);
    expect(giveUps[0]).toMatchObject({outcome: 'give-up', reason: 'fail', status: 401});
    const text = JSON.stringify([seen(CHANNELS.attempt), giveUps]);
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('Secret');
  });

  test('limiter waits and rate changes go to ky-vendors:limiter', async () => {
    const limiter = createLimiter({initialRatePerSecond: 5, openUntilThrottled: false});
    let hits = 0;
    server.use(
      http.put(`${UPYUN}/bucket/:name`, () =>
        ++hits === 1 ? throttledAnswer() : new HttpResponse(null, {status: 200}),
      ),
    );
    const api = ky.create({
      prefix: UPYUN,
      ...withVendor(upyun, {limiter, observers: [diagnosticsChannels({limiter})]}),
    });
    const seen = await listen(() =>
      Promise.all(['a', 'b', 'c'].map((name) => api.put(`bucket/${name}.txt`, {body: 'x'}))),
    );
    const messages = seen(CHANNELS.limiter) as (LimiterWaitPayload | LimiterRatePayload)[];
    const rates = messages.filter((message) => message.type === 'rate');
    const waits = messages.filter((message) => message.type === 'wait');
    expect(rates[0]).toMatchObject({key: 'upyun:v0.api.upyun.com/bucket', reason: 'throttle'});
    expect(waits.length).toBeGreaterThan(0);
    for (const wait of waits) expect(wait.queuedMs).toBeGreaterThan(0);
  });

  test('without a subscriber no payload is built: only the outcome and the verdict are read', () => {
    const observer = diagnosticsChannels();
    const read: string[] = [];
    const event = new Proxy(
      {outcome: 'retry', verdict: {action: 'throttle'}},
      {
        get: (target, property) => {
          read.push(String(property));
          return Reflect.get(target, property);
        },
      },
    );
    observer.onAttemptEnd?.(event as never);
    expect(read.sort()).toEqual(['outcome', 'outcome', 'verdict']);
  });
});
