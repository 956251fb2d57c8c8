/**
 * @module A thousand concurrent calls through one instance: every call settles once, as planned.
 */
import type {ServerResponse} from 'node:http';
import ky from 'ky';
import {expect, test} from 'vitest';
import {
  type GiveUpEvent,
  type GiveUpReason,
  RateLimitError,
  type RetryEvent,
  ServerError,
  upyun,
  ValidationError,
  VendorError,
  withVendor,
} from '../../src/index.ts';
import {failOnUnhandledRejections} from '../helpers/fail-on-unhandled-rejections.ts';
import {useLoopback} from '../helpers/loopback.ts';

const loopback = useLoopback();

failOnUnhandledRejections();

const CALLS = 1_000;
const RETRY_LIMIT = 3;

/** What the server does for one request id, and what the caller must see. */
type Plan = {
  readonly method: 'get' | 'post';
  /** The status of each attempt; the last one repeats. */
  readonly statuses: readonly number[];
  /** Attempts the server must see. */
  readonly attempts: number;
  /** What the call ends in. */
  readonly outcome: 'ok' | typeof ValidationError | typeof ServerError | typeof RateLimitError;
  readonly giveUp?: GiveUpReason;
};

const PLANS = {
  ok: {method: 'get', statuses: [200], attempts: 1, outcome: 'ok'},
  throttledOnce: {method: 'get', statuses: [429, 200], attempts: 2, outcome: 'ok'},
  invalid: {method: 'get', statuses: [400], attempts: 1, outcome: ValidationError, giveUp: 'fail'},
  transientTwice: {method: 'get', statuses: [503, 503, 200], attempts: 3, outcome: 'ok'},
  postFault: {method: 'post', statuses: [500], attempts: 1, outcome: ServerError, giveUp: 'not-idempotent'},
  throttledPost: {method: 'post', statuses: [429, 200], attempts: 2, outcome: 'ok'},
  alwaysThrottled: {
    method: 'get',
    statuses: [429],
    attempts: RETRY_LIMIT + 1,
    outcome: RateLimitError,
    giveUp: 'exhausted',
  },
} as const satisfies Record<string, Plan>;

type Kind = keyof typeof PLANS;
const KINDS = Object.keys(PLANS) as Kind[];

/** A deterministic, uneven mix: the kind of call number `index`. */
const kindOf = (index: number): Kind => KINDS[(index * 7 + (index >> 3)) % KINDS.length] as Kind;

/** UPYUN's answer for a status: a real code from its table. */
const answer = (response: ServerResponse, status: number, id: string): void => {
  const bodies: Record<number, object> = {
    200: {ok: true, id},
    400: {msg: 'need save-key', code: 40000001, id},
    429: {msg: 'too many requests', code: 42900001, id},
    500: {msg: 'system error', code: 50000000, id},
    503: {msg: 'unknown error', code: 50300000, id},
  };
  response.writeHead(status, {'content-type': 'application/json'});
  response.end(JSON.stringify(bodies[status]));
};

// A fixed amount of work (about 1,700 requests over loopback): 7–9 s on an idle 2-core machine,
// several times that on a busy one. The timeout leaves it that time; nothing asserted depends on it.
test('a thousand concurrent calls with mixed verdicts each settle once, after exactly the planned attempts', {
  timeout: 120_000,
}, async () => {
  loopback.handle((request, response, hit) => {
    const id = String(request.headers['x-request-id']);
    const plan = PLANS[kindOf(Number(id))];
    const status = plan.statuses[Math.min(hit, plan.statuses.length) - 1] ?? 500;
    // Requests are answered on a later turn, so they overlap on the server as well.
    setImmediate(() => answer(response, status, id));
  });
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const api = ky.create({
    prefix: loopback.url,
    // ky's 10 s per-attempt timeout would turn a slow machine into extra attempts (a GET that
    // times out is retried), and the attempts per call are what this test counts.
    timeout: false,
    ...withVendor(upyun, {
      limiter: false,
      retryLimit: RETRY_LIMIT,
      // Exact attempts per call are the point here; the budget's effect is tested on its own.
      retryBudget: false,
      maxWaitMs: 5,
      baseDelayMs: 1,
      maxDelayMs: 5,
      random: () => 0.5,
      onRetry: (event) => retries.push(event),
      onGiveUp: (event) => giveUps.push(event),
    }),
  });

  const settled = new Map<string, {ok: true} | {ok: false; error: unknown}>();
  let settlements = 0;
  const calls = Array.from({length: CALLS}, async (_, index) => {
    const id = String(index);
    const {method} = PLANS[kindOf(index)];
    const options = {headers: {'x-request-id': id}, ...(method === 'post' ? {json: {id}} : {})};
    try {
      const body = await api[method](`bucket/${id}`, options).json<{id: string}>();
      expect(body.id).toBe(id);
      settled.set(id, {ok: true});
    } catch (error) {
      settled.set(id, {ok: false, error});
    } finally {
      settlements++;
    }
  });
  await Promise.all(calls);

  expect(settlements).toBe(CALLS);
  expect(settled.size).toBe(CALLS);

  const counts = new Map<string, number>();
  const tally = (label: string): void => {
    counts.set(label, (counts.get(label) ?? 0) + 1);
  };
  const expectedCounts = new Map<string, number>();
  let expectedRetries = 0;
  let expectedGiveUps = 0;
  for (let index = 0; index < CALLS; index++) {
    const id = String(index);
    const plan: Plan = PLANS[kindOf(index)];
    const result = settled.get(id);
    const outcome = plan.outcome === 'ok' ? 'ok' : plan.outcome.name;
    expectedCounts.set(outcome, (expectedCounts.get(outcome) ?? 0) + 1);
    expectedRetries += plan.attempts - 1;
    expectedGiveUps += plan.giveUp === undefined ? 0 : 1;
    // Exactly the planned attempts reached the server: none lost, none doubled, no extra retry.
    expect({id, hits: loopback.hits.get(id)}).toEqual({id, hits: plan.attempts});
    if (result?.ok === true) {
      tally('ok');
      expect({id, outcome: 'ok'}).toEqual({id, outcome});
      continue;
    }
    const error = result?.error;
    expect(error).toBeInstanceOf(VendorError);
    tally((error as VendorError).name);
    expect({id, outcome: (error as VendorError).name, attempts: (error as VendorError).attempts}).toEqual({
      id,
      outcome,
      attempts: plan.attempts,
    });
  }
  expect(counts).toEqual(expectedCounts);
  expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(CALLS);
  expect(loopback.requests).toHaveLength([...loopback.hits.values()].reduce((sum, hits) => sum + hits, 0));

  expect(retries).toHaveLength(expectedRetries);
  expect(giveUps).toHaveLength(expectedGiveUps);
  const retriesPerId = new Map<string, number>();
  for (const event of retries) {
    const id = new URL(event.url).pathname.split('/').at(-1) ?? '';
    retriesPerId.set(id, (retriesPerId.get(id) ?? 0) + 1);
  }
  for (let index = 0; index < CALLS; index++) {
    const plan: Plan = PLANS[kindOf(index)];
    expect({index, retries: retriesPerId.get(String(index)) ?? 0}).toEqual({
      index,
      retries: plan.attempts - 1,
    });
  }
  const reasons = new Map<string, number>();
  for (const event of giveUps) {
    reasons.set(event.reason, (reasons.get(event.reason) ?? 0) + 1);
  }
  const expectedReasons = new Map<string, number>();
  for (let index = 0; index < CALLS; index++) {
    const {giveUp} = PLANS[kindOf(index)] as Plan;
    if (giveUp !== undefined) {
      expectedReasons.set(giveUp, (expectedReasons.get(giveUp) ?? 0) + 1);
    }
  }
  expect(reasons).toEqual(expectedReasons);
});
