import {describe, expect, test} from 'vitest';
import {
  admit,
  engage,
  initialState,
  type LimiterParams,
  type LimiterState,
  recordSuccess,
  recordThrottle,
} from '../../src/policy/limiter/limiter-state.ts';

const params: LimiterParams = {
  initialRatePerSecond: 10,
  minRatePerSecond: 0.1,
  maxRatePerSecond: Number.POSITIVE_INFINITY,
  decreaseFactor: 0.5,
  growthPerSecond: 0.2,
};

/** A state after its first cut at `cutAt`, sending at `ratePerSecond` with an empty bucket. */
const steady = (overrides: Partial<LimiterState> = {}): LimiterState => ({
  ...initialState(params, 0),
  ratePerSecond: 100,
  tokens: 0,
  refilledAt: 1000,
  slowStart: false,
  cutAt: 1000,
  // Throttles recur: the cut rules apply (a sporadic share below 0.15 holds the rate).
  throttleShare: 0.3,
  ...overrides,
});

describe('learning a real limit, not noise', () => {
  test('a sporadic throttle (recent share below 20 %) holds the rate', () => {
    const state = steady({accepted: 50, freshAccepted: 50, throttleShare: 0.05});
    expect(recordThrottle(state, 2000, {sentAt: 1500}, params).ratePerSecond).toBe(100);
  });

  test('recurring throttles push the share past 20 % and cut', () => {
    let state = steady({accepted: 50, freshAccepted: 50, throttleShare: 0});
    for (let index = 0; index < 5; index++) {
      state = recordThrottle(state, 2010 + index, {sentAt: 2000}, params);
    }
    expect(state.ratePerSecond).toBeLessThan(100);
    expect(state.peakPerSecond).toBe(100);
    // A measured cut: the accept rate between the cut and the sending of the throttle that cuts
    // (50 accepted in a second) is the vendor's limit.
    expect(state.limitPerSecond).toBeCloseTo(50, 0);
  });

  test('one throttle among a few answers after a cut does not cut (a noisy vendor shows that often)', () => {
    const state = steady({accepted: 4, freshAccepted: 4, throttleShare: 0});
    expect(recordThrottle(state, 1050, {sentAt: 1040}, params).ratePerSecond).toBe(100);
  });

  test('mostly throttled but nothing measured: cuts by the share accepted once enough answers came back', () => {
    const heavy = (freshAccepted: number, freshThrottled: number) =>
      steady({ratePerSecond: 1000, accepted: 3, freshAccepted, freshThrottled, throttleShare: 0.5});
    // Seven answers are the jitter of a rate near the limit.
    expect(recordThrottle(heavy(1, 5), 1100, {sentAt: 1050}, params).ratePerSecond).toBe(1000);
    // 3 accepted in 100 ms measure a burst, not a rate: no cut to 27/s, but to the share accepted
    // (3 of 8), between a half and a quarter of the rate.
    expect(recordThrottle(heavy(3, 4), 1100, {sentAt: 1050}, params).ratePerSecond).toBe(375);
    expect(recordThrottle(heavy(0, 9), 1100, {sentAt: 1050}, params).ratePerSecond).toBe(250);
    expect(recordThrottle(heavy(6, 4), 1100, {sentAt: 1050}, params).ratePerSecond).toBe(500);
  });

  test('above a measured limit, the first throttle after a quiet stretch cuts to just under it', () => {
    const probing = steady({
      ratePerSecond: 130,
      limitPerSecond: 100,
      accepted: 60,
      freshAccepted: 60,
      throttleShare: 0,
    });
    const next = recordThrottle(probing, 1510, {sentAt: 1500}, params);
    // 60 accepted in the 500 ms up to its sending: the limit measures 120/s now; the rate goes
    // just under it.
    expect(next.ratePerSecond).toBeCloseTo(108, 6);
    expect(next.limitPerSecond).toBeCloseTo(120, 6);
  });

  test('a vendor that throttles at random below its measured limit is noisy: no cut on one throttle', () => {
    const noisy = steady({
      ratePerSecond: 130,
      limitPerSecond: 100,
      accepted: 60,
      freshAccepted: 60,
      throttleShare: 0,
      backgroundShare: 0.05,
    });
    expect(recordThrottle(noisy, 1500, {sentAt: 1400}, params).ratePerSecond).toBe(130);
  });

  test('throttles below the measured limit feed the background share; above it they do not', () => {
    const below = steady({ratePerSecond: 80, limitPerSecond: 100, throttleShare: 0, freshAccepted: 30});
    expect(recordThrottle(below, 1500, {sentAt: 1400}, params).backgroundShare).toBeCloseTo(1 / 200, 9);
    const above = steady({ratePerSecond: 120, limitPerSecond: 100, throttleShare: 0, freshAccepted: 3});
    expect(recordThrottle(above, 1500, {sentAt: 1400}, params).backgroundShare).toBeUndefined();
  });

  test('returns to a measured limit fast, then holds near it before probing above it', () => {
    const after = steady({ratePerSecond: 50, limitPerSecond: 100, cutAt: 1000, throttleShare: 0});
    const grown = (state: LimiterState, now: number) =>
      recordSuccess(state, now, now - 1, params, true).ratePerSecond - state.ratePerSecond;
    const returning = grown(after, 1100);
    const holding = grown({...after, ratePerSecond: 100}, 1100);
    const probing = grown({...after, ratePerSecond: 100}, 3000);
    expect(returning).toBeGreaterThan(holding * 10);
    expect(probing).toBeGreaterThan(holding * 10);
  });

  test('engage starts at the given rate, from the given time, in slow start', () => {
    const state = engage(initialState(params, 0), 120, 400);
    expect(state).toMatchObject({
      ratePerSecond: 120,
      cutAt: 400,
      peakPerSecond: 120,
      slowStart: true,
      tokens: 0,
    });
  });

  test('engage owes the tokens of the requests still in flight', () => {
    // 12 open requests in flight at 120/s: the bucket is empty for 100 ms.
    const state = engage(initialState(params, 0), 120, 400, 12);
    expect(state.tokens).toBe(-12);
    expect(admit({...state, refilledAt: 400}, 450).waitMs).toBe(59);
    expect(admit({...state, refilledAt: 400}, 509).waitMs).toBe(0);
  });

  test('during the slow start after engaging, only a heavy share of throttles cuts', () => {
    let state = engage(initialState(params, 0), 1000, 0);
    // Two throttles among ten fresh answers: a 20 % share, noise while nothing was cut yet.
    for (let index = 0; index < 8; index++) state = recordSuccess(state, 10 + index, 5, params, true);
    state = recordThrottle(state, 20, {sentAt: 6}, params);
    state = recordThrottle(state, 21, {sentAt: 7}, params);
    expect(state.slowStart).toBe(true);
    expect(state.limitSeen).toBeUndefined();
    expect(state.ratePerSecond).toBeGreaterThan(1000);
    // Most of the next answers throttled: a limit, cut by the share accepted.
    for (let index = 0; index < 10; index++) state = recordThrottle(state, 30 + index, {sentAt: 8}, params);
    expect(state).toMatchObject({slowStart: false, limitSeen: true});
    expect(state.ratePerSecond).toBeLessThan(1000);
  });

  test('a cut keeps the wait a debt owes, at the new rate', () => {
    const owing = {
      ...steady({ratePerSecond: 200, freshAccepted: 2, accepted: 2}),
      tokens: -20,
      refilledAt: 1500,
    };
    let state: LimiterState = owing;
    for (let index = 0; index < 8; index++)
      state = recordThrottle(state, 1500, {sentAt: 1100 + index}, params);
    // 100 ms of debt at 200/s is 100 ms at the new rate too.
    expect(state.ratePerSecond).toBeLessThan(200);
    expect((-state.tokens * 1000) / state.ratePerSecond).toBeCloseTo(100, 6);
  });

  test('engaged from when the open requests began, their answers judge the engaged rate', () => {
    // Open since 60, first throttle at 100: a request sent at 70 is not stale, its answer counts.
    const engaged = engage(initialState(params, 0), 1000, 60);
    const accepted = recordSuccess(engaged, 101, 70, params, true);
    expect(accepted.freshAccepted).toBe(1);
    let state = accepted;
    for (let index = 0; index < 7; index++) {
      state = recordThrottle(state, 102 + index, {sentAt: 70 + index}, params);
    }
    // 1 of 8 accepted: cut to a quarter of the rate at once (grown a little by the slow start
    // first), and the vendor counts as limited.
    expect(state.ratePerSecond).toBeCloseTo(253.5, 0);
    expect(state).toMatchObject({limitSeen: true, cutAt: 108});
    // Engaged from the first throttle instead, the same answers are stale: nothing cuts.
    let stale = recordSuccess(engage(initialState(params, 0), 1000, 100), 101, 70, params, true);
    for (let index = 0; index < 7; index++) {
      stale = recordThrottle(stale, 102 + index, {sentAt: 70 + index}, params);
    }
    expect(stale.ratePerSecond).toBeCloseTo(1000, 0);
  });

  test('once most of a round was throttled, recurring throttles cut and measure before the 20 % share', () => {
    const limited = steady({ratePerSecond: 200, freshAccepted: 60, accepted: 60, throttleShare: 0.06});
    // A share of about 11 %: noise to a vendor not known to be limited, a limit to one that is.
    expect(recordThrottle(limited, 1510, {sentAt: 1500}, params).ratePerSecond).toBe(200);
    const cut = recordThrottle({...limited, limitSeen: true}, 1510, {sentAt: 1500}, params);
    expect(cut.limitPerSecond).toBeCloseTo(120, 6);
    expect(cut.ratePerSecond).toBeCloseTo(108, 6);
  });

  test('a measured cut times the accepted requests by their sending: late answers do not inflate it', () => {
    // 30 accepted requests sent in the 300 ms from the cut to the throttled one's sending: 100/s,
    // however late the throttle's answer came back.
    const state = steady({ratePerSecond: 150, freshAccepted: 30, accepted: 45, throttleShare: 0.5});
    expect(recordThrottle(state, 1500, {sentAt: 1300}, params).limitPerSecond).toBeCloseTo(100, 6);
    // Without a sending time, over the time since the cut.
    expect(recordThrottle(state, 1500, {}, params).limitPerSecond).toBeCloseTo(60, 6);
  });

  test('a limit that drops clears the background share its throttles built under the old one', () => {
    const state = steady({
      ratePerSecond: 80,
      limitPerSecond: 150,
      backgroundShare: 0.05,
      freshAccepted: 25,
      accepted: 25,
      throttleShare: 0.5,
    });
    const cut = recordThrottle(state, 1510, {sentAt: 1500}, params);
    expect(cut.limitPerSecond).toBeCloseTo(50, 6);
    expect(cut.backgroundShare).toBe(0);
    // A limit measured again at about the same value keeps the background it had.
    const same = recordThrottle({...state, freshAccepted: 75, accepted: 75}, 1510, {sentAt: 1500}, params);
    expect(same.limitPerSecond).toBeCloseTo(150, 6);
    expect(same.backgroundShare).toBeGreaterThan(0.04);
  });

  test('probes faster once past the last found limit without a cut', () => {
    const quiet = steady({ratePerSecond: 100, peakPerSecond: 90, cutAt: 0});
    const fresh = steady({ratePerSecond: 100, peakPerSecond: 90, cutAt: 1900});
    const grow = (state: LimiterState) => recordSuccess(state, 2000, 1990, params, true).ratePerSecond - 100;
    expect(grow(quiet)).toBeGreaterThan(grow(fresh) * 5);
  });
});

describe('admit (token bucket)', () => {
  test('lets the first request go at once and spaces the next ones by 1/rate', () => {
    let state = initialState(params, 0);
    const first = admit(state, 0);
    expect(first.waitMs).toBe(0);
    state = first.state;
    expect(admit(state, 0).waitMs).toBe(100);
    expect(admit(state, 60).waitMs).toBe(40);
    expect(admit(state, 100).waitMs).toBe(0);
  });

  test('sends a queue at exactly the rate over a long run', () => {
    let state = initialState({...params, initialRatePerSecond: 150}, 0);
    let now = 0;
    let sent = 0;
    for (let step = 0; step < 10_000 && now < 2000; step++) {
      const admission = admit(state, now);
      state = admission.state;
      if (admission.waitMs === 0) {
        sent++;
      } else {
        // Timers fire late: pacing must not lose the time they overshoot.
        now += admission.waitMs + 1;
      }
    }
    expect(sent).toBeGreaterThanOrEqual(299);
    expect(sent).toBeLessThanOrEqual(304);
  });

  test('holds every request until a pause ends', () => {
    const paused = {...steady({tokens: 3}), pausedUntil: 5000};
    expect(admit(paused, 4000).waitMs).toBe(1000);
    expect(admit(paused, 5000).waitMs).toBe(0);
  });

  test('never lets an idle key save up more than a short burst', () => {
    const idle = steady({ratePerSecond: 1000, tokens: 0, refilledAt: 0});
    let state = idle;
    let sentAtOnce = 0;
    for (let step = 0; step < 100 && admit(state, 60_000).waitMs === 0; step++) {
      state = admit(state, 60_000).state;
      sentAtOnce++;
    }
    expect(sentAtOnce).toBe(20);
  });
});

describe('recordThrottle (decrease)', () => {
  test('halves the rate on the first throttle and ends the slow start', () => {
    const next = recordThrottle({...initialState(params, 0), ratePerSecond: 400}, 500, {}, params);
    expect(next).toMatchObject({ratePerSecond: 200, slowStart: false, cutAt: 500, tokens: 0});
  });

  test('cuts to 90 % of the accept rate measured since the last cut', () => {
    // 60 accepted in the 1 s since the last cut: the vendor allows 60/s.
    const next = recordThrottle(
      steady({ratePerSecond: 80, accepted: 60, freshAccepted: 60}),
      2000,
      {},
      params,
    );
    expect(next.ratePerSecond).toBeCloseTo(54, 6);
    expect(next).toMatchObject({cutAt: 2000, accepted: 0, freshAccepted: 0, freshThrottled: 0});
  });

  test.each([
    ['no deeper than decreaseFactor', 10, 50],
    ['at least to 0.9 of the rate', 200, 90],
  ])('bounds a measured cut %s', (_name, accepted, expected) => {
    // Twenty answers or more: the moving share (30 %) decides, and throttles recur.
    const next = recordThrottle(
      steady({accepted, freshAccepted: accepted, freshThrottled: 9}),
      2000,
      {},
      params,
    );
    expect(next.ratePerSecond).toBeCloseTo(expected, 6);
  });

  test('holds the rate while too few responses were accepted to measure', () => {
    const state = steady({accepted: 3, freshAccepted: 3});
    const next = recordThrottle(state, 1010, {sentAt: 1005}, params);
    expect(next.ratePerSecond).toBe(100);
    expect(next).toMatchObject({freshThrottled: 1, cutAt: 1000, tokens: 0});
  });

  test('cuts without a measurement when most of eight fresh answers were throttled', () => {
    const state = steady({accepted: 4, freshAccepted: 4, freshThrottled: 4});
    const next = recordThrottle(state, 1010, {sentAt: 1005}, params);
    expect(next).toMatchObject({ratePerSecond: (4 / 9) * 100, cutAt: 1010});
  });

  test('does not cut again for a request sent before the last cut', () => {
    const state = steady({freshThrottled: 5});
    const next = recordThrottle(state, 1010, {sentAt: 999}, params);
    expect(next.ratePerSecond).toBe(100);
    expect(next.freshThrottled).toBe(5);
  });

  test('pauses the key for the wait the server stated, from now', () => {
    const next = recordThrottle(steady(), 3000, {delayMs: 2000}, params);
    expect(next.pausedUntil).toBe(5000);
    expect(admit(next, 4999).waitMs).toBe(1);
  });

  test('drops to a rate the server stated and never grows past it', () => {
    let state = recordThrottle(steady({ratePerSecond: 400}), 3000, {ratePerSecond: 5, sentAt: 999}, params);
    expect(state).toMatchObject({ratePerSecond: 5, ceilingPerSecond: 5});
    for (let index = 0; index < 50; index++) {
      state = recordSuccess(
        admit(state, state.refilledAt + 1000).state,
        state.refilledAt + 1000,
        5000,
        params,
      );
    }
    expect(state.ratePerSecond).toBe(5);
  });

  test('never cuts below minRatePerSecond', () => {
    const state = steady({ratePerSecond: 0.15, freshThrottled: 7});
    expect(recordThrottle(state, 2000, {sentAt: 1500}, params).ratePerSecond).toBe(0.1);
  });
});

describe('recordSuccess (increase)', () => {
  test('doubles the rate per 50 ms of saturated sending during the slow start', () => {
    let state: LimiterState = {...initialState(params, 0), ratePerSecond: 100, tokens: 0};
    // One success per token: the successes come faster as the rate grows.
    let now = 0;
    for (let step = 0; step < 1000 && now < 250; step++) {
      now += 1000 / state.ratePerSecond;
      state = recordSuccess({...state, tokens: 0, refilledAt: now}, now, now, params);
    }
    // Five doublings in 250 ms would be 3,200/s; each success adds its step after the fact.
    expect(state.ratePerSecond).toBeGreaterThan(1600);
    expect(state.ratePerSecond).toBeLessThan(4000);
  });

  test('grows by growthPerSecond per success after the first throttle', () => {
    const next = recordSuccess(steady(), 1000, 1000, params);
    expect(next.ratePerSecond).toBeCloseTo(100.2, 6);
    expect(next).toMatchObject({accepted: 1, freshAccepted: 1});
  });

  test('does not grow while the client sends less than the rate allows', () => {
    const idle = steady({tokens: 2});
    expect(recordSuccess(idle, 1000, 1000, params).ratePerSecond).toBe(100);
  });

  test('counts but does not grow on a request sent before the last cut', () => {
    const next = recordSuccess(steady(), 1000, 900, params);
    expect(next).toMatchObject({ratePerSecond: 100, accepted: 1, freshAccepted: 0});
  });

  test('never grows past maxRatePerSecond', () => {
    const capped = {...params, maxRatePerSecond: 100.1};
    expect(recordSuccess(steady(), 1000, 1000, capped).ratePerSecond).toBe(100.1);
  });
});
