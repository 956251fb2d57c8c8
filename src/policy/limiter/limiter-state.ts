/**
 * @module One key's limiter state and the pure rules that move it: token-bucket pacing, growth on
 * success, and the cut on a throttle.
 */

/**
 * What the limiter remembers per key. Plain data (numbers and booleans only) so a store can keep
 * it anywhere, JSON included; times are `Date.now()` milliseconds so processes can share it.
 */
export type LimiterState = {
  /** The allowed send rate, in requests per second. */
  readonly ratePerSecond: number;
  /** Tokens in the bucket at `refilledAt`; a request takes one. */
  readonly tokens: number;
  /** Until when `tokens` is up to date; the bucket fills from then on. */
  readonly refilledAt: number;
  /** No request is sent before this time: the server asked for a wait. */
  readonly pausedUntil: number;
  /** `true` until the first throttle: the rate doubles quickly to find the vendor's limit. */
  readonly slowStart: boolean;
  /** When the rate was last cut; absent before the first throttle. */
  readonly cutAt?: number;
  /** Responses that were not throttled since the last cut. */
  readonly accepted: number;
  /** Requests sent after the last cut that were accepted. */
  readonly freshAccepted: number;
  /** Requests sent after the last cut that were throttled. */
  readonly freshThrottled: number;
  /** The limit the vendor stated (a gateway's "limit:N,time:T"); the rate never grows past it. */
  readonly ceilingPerSecond?: number;
  /** When the key was last throttled. */
  readonly lastThrottleAt?: number;
  /** The rate at the last cut: the limit as last found. Past it without throttles, probing speeds up. */
  readonly peakPerSecond?: number;
  /** Recent share of throttled answers (moving average over about 20 answers). */
  readonly throttleShare?: number;
};

/** The limiter's tuning with every default applied. */
export type LimiterParams = {
  readonly initialRatePerSecond: number;
  readonly minRatePerSecond: number;
  readonly maxRatePerSecond: number;
  readonly decreaseFactor: number;
  readonly growthPerSecond: number;
};

/** How far ahead the bucket may fill: absorbs timer lateness without allowing real bursts. */
const BURST_MS = 20;
/** How fast the slow start doubles the rate. */
const SLOW_START_DOUBLING_MS = 100;
/** Accepted responses needed before the accept rate counts as a measurement. */
const MIN_SAMPLES = 10;
/** Fresh verdicts needed before "most requests were throttled" counts. */
const MIN_VERDICTS = 4;
/** The share of the measured accept rate to settle at: leaves the vendor's bucket room to refill. */
const TARGET_SHARE = 0.9;
/** A throttle always cuts at least this much. */
const MILDEST_CUT = 0.9;
/** The weight of one answer in the moving throttle share: about the last 20 answers count. */
const SHARE_WEIGHT = 1 / 20;
/**
 * Below this recent share of throttles, a throttle is sporadic (a noisy vendor) and does not cut:
 * a real limit, once passed, makes throttles recur and the share climbs past it within a few
 * answers.
 */
const SPORADIC_SHARE = 0.15;
/** A share of throttles that says the rate is far above the limit: cut to the accept rate at once. */
const HEAVY_SHARE = 0.4;
/** The deepest cut to the measured accept rate, as a factor of the rate. */
const DEEPEST_CUT = 0.05;
/** Quiet time past the last found limit after which probing speeds up (the limit was raised). */
const QUIET_PROBE_MS = 500;

/** The most tokens the bucket holds at a rate. */
const capacity = (ratePerSecond: number): number => Math.max(1, (ratePerSecond * BURST_MS) / 1000);

/** A fresh state: the initial rate and one request's worth of tokens. */
export const initialState = (params: LimiterParams, now: number): LimiterState => ({
  ratePerSecond: params.initialRatePerSecond,
  tokens: capacity(params.initialRatePerSecond),
  refilledAt: now,
  pausedUntil: 0,
  slowStart: true,
  accepted: 0,
  freshAccepted: 0,
  freshThrottled: 0,
});

/** The state with the bucket filled up to `now`. */
export const refill = (state: LimiterState, now: number): LimiterState => {
  if (now <= state.refilledAt) {
    return state;
  }
  const tokens = state.tokens + ((now - state.refilledAt) * state.ratePerSecond) / 1000;
  return {...state, tokens: Math.min(capacity(state.ratePerSecond), tokens), refilledAt: now};
};

/** The outcome of asking to send one request now. */
export type Admission = {
  /** The state after the request took its token (or unchanged when it must wait). */
  readonly state: LimiterState;
  /** `0` when the request may go now, else how long to wait before asking again. */
  readonly waitMs: number;
};

/**
 * Takes a token when one is there, else says how long until the next one (or until a pause
 * ends).
 *
 * @example
 * ```ts
 * const {state: next, waitMs} = admit(state, Date.now());
 * ```
 */
export const admit = (state: LimiterState, now: number): Admission => {
  if (now < state.pausedUntil) {
    return {state, waitMs: state.pausedUntil - now};
  }
  const filled = refill(state, now);
  if (filled.tokens >= 1) {
    return {state: {...filled, tokens: filled.tokens - 1}, waitMs: 0};
  }
  const waitMs = Math.max(1, Math.ceil(((1 - filled.tokens) * 1000) / filled.ratePerSecond));
  return {state: filled, waitMs};
};

/** Whether a request was sent before the last cut, so its outcome says nothing about the new rate. */
const isStale = (state: LimiterState, sentAt: number | undefined): boolean =>
  state.cutAt !== undefined && sentAt !== undefined && sentAt < state.cutAt;

/**
 * Counts an accepted response and grows the rate, but only while requests queue for tokens (an
 * idle client learns nothing about the vendor's limit). During the slow start each success adds
 * a fixed step, which doubles the rate every 100 ms of saturated sending; afterwards each success
 * adds `growthPerSecond` requests per second, which grows the rate by that fraction per second.
 *
 * @example
 * ```ts
 * const next = recordSuccess(state, Date.now(), sentAt, params);
 * ```
 */
export const recordSuccess = (
  state: LimiterState,
  now: number,
  sentAt: number | undefined,
  params: LimiterParams,
  waiting?: boolean,
): LimiterState => {
  const refilled = refill(state, now);
  const filled = {...refilled, throttleShare: (refilled.throttleShare ?? 0) * (1 - SHARE_WEIGHT)};
  if (isStale(state, sentAt)) {
    return {...filled, accepted: filled.accepted + 1};
  }
  // Growing teaches something only while requests wait for tokens (an idle client learns nothing).
  const saturated = (waiting ?? filled.tokens < 1) && now >= filled.pausedUntil;
  const step = filled.slowStart
    ? (Math.LN2 * 1000) / SLOW_START_DOUBLING_MS
    : params.growthPerSecond * probeBoost(filled, now);
  const ceiling = Math.min(params.maxRatePerSecond, filled.ceilingPerSecond ?? Number.POSITIVE_INFINITY);
  const ratePerSecond = saturated
    ? Math.max(filled.ratePerSecond, Math.min(filled.ratePerSecond + step, ceiling))
    : filled.ratePerSecond;
  return {
    ...filled,
    ratePerSecond,
    accepted: filled.accepted + 1,
    freshAccepted: filled.freshAccepted + 1,
  };
};

/**
 * How much faster than `growthPerSecond` to probe: fast while far below the last found limit
 * (a cut that went too deep, or a sporadic throttle), gently near it, and faster and faster once
 * past it without throttles (the limit was raised: reach it within about two seconds).
 */
const probeBoost = (state: LimiterState, now: number): number => {
  const peak = state.peakPerSecond;
  if (peak === undefined) {
    return 1;
  }
  if (state.ratePerSecond < peak) {
    return 1 + 3 * Math.max(0, 1 - state.ratePerSecond / peak);
  }
  // Quiet since the last cut: sporadic throttles that did not cut do not hold the probe back.
  const quietMs = now - (state.cutAt ?? now);
  return 1 + Math.max(0, (quietMs - QUIET_PROBE_MS) / 1000) * 8;
};

/**
 * The state of a key at its first throttle: paced at the rate it was sending at (no blind cut:
 * one throttle may be noise), with the open phase counted as evidence (`cutAt` at its start), so
 * the throttles of requests sent while open can cut at once when they recur.
 *
 * @example
 * ```ts
 * const state = engage(initialState(params, now), 120, openSince);
 * ```
 */
export const engage = (state: LimiterState, ratePerSecond: number, since: number): LimiterState => ({
  ...state,
  ratePerSecond,
  tokens: 0,
  slowStart: false,
  cutAt: since,
  peakPerSecond: ratePerSecond,
  accepted: 0,
  freshAccepted: 0,
  freshThrottled: 0,
});

/** What a throttled response tells the limiter. */
export type ThrottleFeedback = {
  /**
   * The wait the server stated (`Retry-After`, "try again in 10s", a gateway window): no request
   * of the key is sent before it ends.
   */
  readonly delayMs?: number | undefined;
  /**
   * The rate the server stated (a gateway's "limit:5,time:1 second" is 5): the rate drops to it at
   * once and never grows past it.
   */
  readonly ratePerSecond?: number | undefined;
  /**
   * When the throttled request was sent (`Date.now()`). A throttle of a request sent before the
   * last cut was caused by the old rate and does not cut again.
   */
  readonly sentAt?: number | undefined;
};

/**
 * Applies a throttle. The first throttle halves the rate (the slow start overshot by an unknown
 * amount). Later ones cut to 90 % of the accept rate measured since the last cut: both ends of
 * that span are throttles, when the vendor's bucket was empty, so the requests it accepted in
 * between are exactly what it allows. The cut lies between `decreaseFactor` and 0.9 of the rate.
 * Without enough accepted responses to measure, the rate is halved only when most requests since
 * the last cut were throttled (the rate is then over twice the limit, so halving cannot undershoot);
 * otherwise it holds until the measurement is ready.
 *
 * @example
 * ```ts
 * const next = recordThrottle(state, Date.now(), {delayMs: 1000, sentAt}, params);
 * ```
 */
export const recordThrottle = (
  state: LimiterState,
  now: number,
  feedback: ThrottleFeedback,
  params: LimiterParams,
): LimiterState => {
  let next = refill(state, now);
  const delayMs = feedback.delayMs ?? 0;
  if (Number.isFinite(delayMs) && delayMs > 0) {
    next = {...next, pausedUntil: Math.max(next.pausedUntil, now + delayMs)};
  }
  const stated = feedback.ratePerSecond;
  const seeded = stated !== undefined && Number.isFinite(stated) && stated > 0 ? stated : undefined;
  if (seeded !== undefined) {
    next = {...next, ceilingPerSecond: seeded};
  }
  const stale = isStale(state, feedback.sentAt);
  if (!stale) {
    next = {
      ...next,
      throttleShare: (next.throttleShare ?? 0) * (1 - SHARE_WEIGHT) + SHARE_WEIGHT,
      lastThrottleAt: now,
    };
  }
  const cut = stale ? undefined : cutRate(next, now, params);
  if (!stale) {
    next = {...next, freshThrottled: next.freshThrottled + 1, tokens: Math.min(next.tokens, 0)};
  }
  const target =
    seeded !== undefined && seeded < (cut ?? next.ratePerSecond)
      ? seeded
      : cut === undefined
        ? undefined
        : Math.max(params.minRatePerSecond, cut);
  if (target === undefined) {
    return next;
  }
  return {
    ...next,
    ratePerSecond: target,
    tokens: 0,
    refilledAt: Math.max(now, next.pausedUntil),
    slowStart: false,
    cutAt: now,
    peakPerSecond: next.ratePerSecond,
    // The share starts again: another cut needs throttles that recur at the new rate.
    throttleShare: 0,
    accepted: 0,
    freshAccepted: 0,
    freshThrottled: 0,
  };
};

/**
 * The recent share of throttles, this one included: the plain share since the last cut while
 * fewer than 20 answers came back (a moving average of a few answers says little), the moving
 * average after that.
 */
const recentShare = (state: LimiterState): number => {
  const throttled = state.freshThrottled + 1;
  const seen = throttled + state.freshAccepted;
  return seen >= MIN_VERDICTS && seen < 1 / SHARE_WEIGHT ? throttled / seen : (state.throttleShare ?? 0);
};

/** The new rate for a fresh throttle, or `undefined` to hold while the evidence is thin. */
const cutRate = (state: LimiterState, now: number, params: LimiterParams): number | undefined => {
  const rate = state.ratePerSecond;
  if (state.cutAt === undefined) {
    return rate * params.decreaseFactor;
  }
  // Sporadic throttles (a noisy vendor, another client's burst) do not drag the rate down.
  const share = recentShare(state);
  if (share < SPORADIC_SHARE) {
    return undefined;
  }
  const spanMs = now - state.cutAt;
  const heavy = share >= HEAVY_SHARE;
  if ((state.accepted >= MIN_SAMPLES || (heavy && state.accepted >= 2)) && spanMs > 0) {
    // Most answers throttled: the rate is far above the limit, and the accept rate says where it is.
    const measured = (state.accepted * 1000) / spanMs;
    const floor = heavy ? rate * DEEPEST_CUT : rate * params.decreaseFactor;
    return Math.min(rate * MILDEST_CUT, Math.max(floor, measured * TARGET_SHARE));
  }
  const throttled = state.freshThrottled + 1;
  const mostlyThrottled = throttled + state.freshAccepted >= MIN_VERDICTS && throttled > state.freshAccepted;
  return mostlyThrottled ? rate * params.decreaseFactor : undefined;
};
