import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {FailureVerdict} from '../../src/core/types.ts';
import {type AttemptContext, decideAttempt, waitFor} from '../../src/policy/decide-attempt.ts';

const verdict = (overrides: Partial<FailureVerdict> = {}): FailureVerdict => ({
  vendor: 'acme',
  action: 'retry',
  category: 'transient',
  status: 503,
  ...overrides,
});

const throttle = (overrides: Partial<FailureVerdict> = {}): FailureVerdict =>
  verdict({action: 'throttle', category: 'rate_limited', status: 429, processed: false, ...overrides});

const context = (overrides: Partial<AttemptContext> = {}): AttemptContext => ({
  method: 'GET',
  idempotentOptIn: false,
  attempt: 1,
  retryLimit: 4,
  remainingMs: undefined,
  maxWaitMs: 120_000,
  backoffMs: 300,
  paced: false,
  canRefresh: false,
  budgetAllows: () => true,
  ...overrides,
});

const retry = (delayMs: number, refresh = false) => ({kind: 'retry', delayMs, refresh});
const giveUp = (reason: string, delayMs: number | undefined) => ({kind: 'giveUp', reason, delayMs});

describe('decideAttempt', () => {
  test.each([
    ['a transient GET retries after its backoff', verdict(), context(), retry(300)],
    [
      'a stated wait wins over the documented one, shorter',
      throttle({statedDelayMs: 1000, defaultDelayMs: 10_000}),
      context(),
      retry(1000),
    ],
    [
      'a stated wait wins over the documented one, longer',
      throttle({statedDelayMs: 30_000, defaultDelayMs: 1000}),
      context(),
      retry(30_000),
    ],
    ['the documented wait when nothing is stated', throttle({defaultDelayMs: 2000}), context(), retry(2000)],
    [
      'a backoff past the documented wait',
      throttle({defaultDelayMs: 2000}),
      context({backoffMs: 3000}),
      retry(3000),
    ],
    [
      'a hard rule is a floor under a stated wait',
      verdict({statedDelayMs: 200, minDelayMs: 1000}),
      context(),
      retry(1000),
    ],
    [
      'a hard rule is a floor under the backoff',
      verdict({minDelayMs: 1000}),
      context({backoffMs: 10}),
      retry(1000),
    ],
    [
      'a paced throttle has no backoff of its own',
      throttle({defaultDelayMs: 1000}),
      context({paced: true}),
      retry(0),
    ],
    [
      'a paced throttle still waits what the server stated',
      throttle({statedDelayMs: 700}),
      context({paced: true}),
      retry(700),
    ],
    [
      'fail verdicts give up with the told wait',
      verdict({action: 'fail', category: 'validation', statedDelayMs: 5}),
      context(),
      giveUp('fail', 5),
    ],
    [
      'poll verdicts give up as not-ready',
      verdict({action: 'poll', category: 'not_ready', defaultDelayMs: 10_000}),
      context(),
      giveUp('not-ready', 10_000),
    ],
    [
      'a POST with unknown outcome is not resent',
      verdict(),
      context({method: 'POST'}),
      giveUp('not-idempotent', undefined),
    ],
    ['a POST the vendor proves unprocessed is resent', throttle(), context({method: 'post'}), retry(300)],
    [
      'a POST the caller opted in is resent',
      verdict(),
      context({method: 'POST', idempotentOptIn: true}),
      retry(300),
    ],
    ['the retry limit is exhausted', verdict(), context({attempt: 5}), giveUp('exhausted', 300)],
    [
      'a stated wait over maxWaitMs fails at once',
      throttle({statedDelayMs: 315_360_000_000}),
      context({maxWaitMs: 300}),
      giveUp('wait-too-long', 315_360_000_000),
    ],
    [
      'a documented wait over maxWaitMs is cut to it',
      throttle({defaultDelayMs: 10_000}),
      context({maxWaitMs: 300}),
      retry(300),
    ],
    [
      'a wait that cannot end before the deadline fails at once',
      throttle({statedDelayMs: 2000}),
      context({remainingMs: 1500}),
      giveUp('deadline', 2000),
    ],
    [
      'the budget is asked for outage retries',
      verdict(),
      context({budgetAllows: () => false}),
      giveUp('budget', 300),
    ],
    ['throttles never spend the budget', throttle(), context({budgetAllows: () => false}), retry(300)],
    [
      'an expired credential is refreshed and resent at once',
      verdict({action: 'fail', category: 'auth', status: 401}),
      context({canRefresh: true}),
      retry(0, true),
    ],
    [
      'without a refresh an auth failure is final',
      verdict({action: 'fail', category: 'auth', status: 401}),
      context(),
      giveUp('fail', undefined),
    ],
    [
      'no refresh past the retry limit',
      verdict({action: 'fail', category: 'auth', status: 401}),
      context({canRefresh: true, attempt: 5}),
      giveUp('fail', undefined),
    ],
  ] as const)('%s', (_, given, ctx, expected) => {
    expect(decideAttempt(given, ctx)).toEqual(expected);
  });

  test('asks the budget last: a refused retry never spends it', () => {
    let asked = 0;
    const budgetAllows = () => {
      asked++;
      return true;
    };
    decideAttempt(verdict(), context({budgetAllows, attempt: 5}));
    decideAttempt(verdict(), context({budgetAllows, method: 'POST'}));
    decideAttempt(verdict({statedDelayMs: 5000}), context({budgetAllows, remainingMs: 10}));
    expect(asked).toBe(0);
  });

  test('a retry never waits less than stated or a hard rule, nor more than maxWaitMs', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat(10_000_000), {nil: undefined}),
        fc.option(fc.nat(100_000), {nil: undefined}),
        fc.option(fc.nat(5000), {nil: undefined}),
        fc.nat(60_000),
        fc.nat(200_000),
        (statedDelayMs, defaultDelayMs, minDelayMs, backoffMs, maxWaitMs) => {
          const given = throttle({
            ...(statedDelayMs === undefined ? {} : {statedDelayMs}),
            ...(defaultDelayMs === undefined ? {} : {defaultDelayMs}),
            ...(minDelayMs === undefined ? {} : {minDelayMs}),
          });
          const decision = decideAttempt(given, context({backoffMs, maxWaitMs}));
          if (decision.kind === 'giveUp') {
            return (
              decision.reason === 'wait-too-long' && Math.max(statedDelayMs ?? 0, minDelayMs ?? 0) > maxWaitMs
            );
          }
          return (
            decision.delayMs <= maxWaitMs &&
            decision.delayMs >= (statedDelayMs ?? 0) &&
            decision.delayMs >= (minDelayMs ?? 0) &&
            decision.delayMs === Math.min(waitFor(given, backoffMs), maxWaitMs)
          );
        },
      ),
      {numRuns: process.env.STRESS ? 10_000 : 500},
    );
  });
});
