/**
 * The limiter's learning against modelled vendors, in virtual time (deterministic, seeded): a
 * token-bucket limit, a limit that changes, and random 429s with no limit behind them. The pure
 * state functions run exactly as the limiter runs them; only the clock and the network are modelled.
 */
import {describe, expect, test} from 'vitest';
import {normalizeLimiterOptions} from '../../src/policy/limiter/limiter-options.ts';
import {
  admit,
  engage,
  initialState,
  type LimiterState,
  recordSuccess,
  recordThrottle,
} from '../../src/policy/limiter/limiter-state.ts';

type Phase = {readonly atMs: number; readonly ratePerSecond: number};
type Vendor = {readonly phases: readonly Phase[]; readonly burst: number; readonly noise: number};

/** A seeded generator (mulberry32), so every run sees the same noise. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/**
 * Sends `total` requests with up to `concurrency` in flight, each answered after `latencyMs`, and
 * throttled when the vendor's bucket is empty at the moment it arrives (or by noise). Open until
 * the first throttle, then paced, as the limiter does: while open, at most a window of requests in
 * flight (10, one more per answer); engaged at the lower of the rate sent and the rate accepted,
 * owing the requests still in flight.
 */
const run = (
  vendor: Vendor,
  total: number,
  {concurrency = 40, latencyMs = 20, seed = 1, capPerSecond = 1000} = {},
) => {
  const params = normalizeLimiterOptions();
  const next = random(seed);
  let now = 0;
  let state: LimiterState | undefined;
  let tokens = vendor.burst;
  let refilledAt = 0;
  const rateAt = (t: number) =>
    [...vendor.phases].reverse().find((phase) => phase.atMs <= t)?.ratePerSecond ?? 0;
  const answers: {at: number; sentAt: number; throttled: boolean}[] = [];
  let accepted = 0;
  let throttled = 0;
  let answered = 0;
  let window = 10;
  let firstSentAt: number | undefined;
  let sentInLastSecond: number[] = [];
  /** Whether requests waited for the limiter at the last chance to send. */
  let blocked = false;
  /** Sends the client's own CPU allows now: a real client sends about 1000 small PUTs a second. */
  let cpu = 0;
  for (let step = 0; accepted < total && step < 10_000_000; step++) {
    // Answers due now.
    for (let index = answers.length - 1; index >= 0; index--) {
      const answer = answers[index];
      if (answer === undefined || answer.at > now) continue;
      answers.splice(index, 1);
      answered++;
      if (state === undefined) window = window + 1 >= 256 ? Number.POSITIVE_INFINITY : window + 1;
      if (answer.throttled) {
        throttled++;
        if (state === undefined) {
          const recent = sentInLastSecond.filter((at) => at > now - 1000);
          const since = recent[0] ?? now;
          const spanS = Math.max(0.02, (now - since) / 1000);
          const acceptedRate =
            window === Number.POSITIVE_INFINITY
              ? Number.POSITIVE_INFINITY
              : (answered - 1) / Math.max(0.02, (now - (firstSentAt ?? now)) / 1000);
          state = engage(
            initialState(params, now),
            Math.max(params.initialRatePerSecond, Math.min(recent.length / spanS, acceptedRate)),
            answer.sentAt,
            answers.length,
          );
        }
        state = recordThrottle(state, now, {sentAt: answer.sentAt}, params);
      } else {
        accepted++;
        if (state !== undefined) state = recordSuccess(state, now, answer.sentAt, params, blocked);
      }
    }
    // Send what the limiter admits.
    blocked = false;
    cpu = Math.min(cpu + capPerSecond / 1000, 3);
    while (answers.length < concurrency && accepted + answers.length < total && cpu >= 1) {
      if (state !== undefined) {
        const admission = admit(state, now);
        state = admission.state;
        if (admission.waitMs > 0) {
          blocked = true;
          break;
        }
      } else {
        if (answers.length >= window) break;
        firstSentAt ??= now;
        sentInLastSecond.push(now);
        if (sentInLastSecond.length > 5000) sentInLastSecond = sentInLastSecond.slice(-2000);
      }
      cpu -= 1;
      const arrive = now + latencyMs / 2;
      tokens = Math.min(vendor.burst, tokens + ((arrive - refilledAt) * rateAt(arrive)) / 1000);
      refilledAt = arrive;
      const noisy = next() < vendor.noise;
      const limited = tokens < 1;
      if (!limited && !noisy) tokens -= 1;
      answers.push({
        at: now + latencyMs / 2 + Math.floor(next() * latencyMs),
        sentAt: now,
        throttled: limited || noisy,
      });
    }
    now += 1;
  }
  return {seconds: now / 1000, share: throttled / (accepted + throttled)};
};

/** The ideal time for `total` requests at the vendor's (changing) limit. */
const ideal = (phases: readonly Phase[], total: number): number => {
  let left = total;
  for (let index = 0; index < phases.length; index++) {
    const phase = phases[index] as Phase;
    const end = phases[index + 1]?.atMs;
    const capacity =
      end === undefined ? Number.POSITIVE_INFINITY : ((end - phase.atMs) / 1000) * phase.ratePerSecond;
    if (left <= capacity) return phase.atMs / 1000 + left / phase.ratePerSecond;
    left -= capacity;
  }
  return Number.NaN;
};

/** The median of a few seeds' runs: one seed's noise can land anywhere. */
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const SEEDS = [1, 2, 3, 4, 5, 6];

describe('the limiter against modelled vendors', () => {
  // The bars are the issue's: time, and throttles at most 5 % of answers (measured 4.0 % here; 6.0 %
  // with no window on the open key, engaged at the rate it sent at and owing nothing; 6.8 % before
  // the open round's answers judged the engaged rate and a limit seen but not yet measured cut on
  // recurring throttles).
  test('a 150/s limit: within 10 % of ideal, throttles at most 5 %', () => {
    const phases = [{atMs: 0, ratePerSecond: 150}];
    const runs = SEEDS.map((seed) => run({phases, burst: 15, noise: 0}, 600, {seed}));
    expect(median(runs.map(({seconds}) => seconds / ideal(phases, 600)))).toBeLessThanOrEqual(1.1);
    expect(median(runs.map(({share}) => share))).toBeLessThanOrEqual(0.05);
  });

  // Measured 3.0 % throttled (3.5 % before the open key's window; 7.5 % while the throttles of the 50/s phase counted as the noise of
  // the 150/s limit measured before it).
  test('a limit that moves 150 → 50 → 300/s: within 20 % of ideal, throttles at most 5 %', () => {
    const phases = [
      {atMs: 0, ratePerSecond: 150},
      {atMs: 4000, ratePerSecond: 50},
      {atMs: 8000, ratePerSecond: 300},
    ];
    const total = 1400;
    const runs = SEEDS.map((seed) => run({phases, burst: 15, noise: 0}, total, {seed}));
    expect(median(runs.map(({seconds}) => seconds / ideal(phases, total)))).toBeLessThanOrEqual(1.2);
    expect(median(runs.map(({share}) => share))).toBeLessThanOrEqual(0.05);
  });

  // Measured: a median of 1.12x the quiet run (the issue aims at 1.15x), with the key kept
  // engaged: the model leaves out the limiter opening a key again once its throttles look like
  // noise (see limiter-open.test.ts); 45x before sporadic throttles stopped cutting the rate.
  test('5 % random 429s with no limit do not collapse the rate', () => {
    const phases = [{atMs: 0, ratePerSecond: 1_000_000}];
    const ratios = SEEDS.map((seed) => {
      const quiet = run({phases, burst: 1_000_000, noise: 0}, 2000, {seed});
      const noisy = run({phases, burst: 1_000_000, noise: 0.05}, 2000, {seed});
      return noisy.seconds / quiet.seconds;
    });
    expect(median(ratios)).toBeLessThanOrEqual(1.3);
  });
});
