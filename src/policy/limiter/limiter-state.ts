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
  /** `true` until the first cut: the rate doubles quickly to find the vendor's limit. */
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
  /**
   * The vendor's limit as last measured: the accept rate between two throttles. Above it, a
   * throttle is expected rather than noise and cuts at once.
   */
  readonly limitPerSecond?: number;
  /**
   * The share of throttles among answers that came while the rate was below the measured limit
   * (moving average over about 200 such answers): a limit does not throttle there, so this is the
   * vendor's noise, and a cut needs a recent share well above it.
   */
  readonly backgroundShare?: number;
  /**
   * Most of a round of answers was throttled: the vendor has a limit, not yet measured. Until it
   * is, throttles that recur cut (and measure it) as they do above a measured limit.
   */
  readonly limitSeen?: boolean;
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
/**
 * How fast the slow start doubles the rate: from a key's engaged rate, a round trip or two (the
 * rate it engaged at may be far below what the vendor allows, when its first throttle was noise).
 */
const SLOW_START_DOUBLING_MS = 50;
/** Accepted responses needed before the accept rate counts as a measurement. */
const MIN_SAMPLES = 10;
/** Fresh verdicts needed before the plain share of throttles since a cut counts. */
const MIN_VERDICTS = 4;
/** Fresh verdicts needed before a heavy share of throttles cuts the rate without a measurement. */
const THIN_VERDICTS = 8;
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
const SPORADIC_SHARE = 0.2;
/** A share of throttles that says the rate is far above the limit: cut to the accept rate at once. */
const HEAVY_SHARE = 0.4;
/** The deepest cut to the measured accept rate, as a factor of the rate. */
const DEEPEST_CUT = 0.05;
/** Quiet time past the last found limit after which probing speeds up (the limit was raised). */
const QUIET_PROBE_MS = 500;
/**
 * Accepted answers in a row since the last cut before a throttle above the measured limit cuts at
 * once: a vendor that throttles 5 % of requests at random lets this many through in a row only
 * about 8 % of the time.
 */
const PROBE_QUIET_ANSWERS = 50;
/** The weight of one answer in the background share: about the last 200 count. */
const BACKGROUND_WEIGHT = 1 / 200;
/** How far the recent share must stand above the background share to cut. */
const BACKGROUND_MULTIPLE = 4;
/** A background share from which the vendor counts as noisy: no plateau, no cut on one throttle. */
const NOISY_SHARE = 0.02;
/** Below this share of the measured limit, a throttle is not the limit's. */
const BELOW_LIMIT = 0.95;

/** Whether the rate is below the measured limit, where the limit itself does not throttle. */
const belowLimit = (state: LimiterState): boolean =>
  state.limitPerSecond !== undefined && state.ratePerSecond <= state.limitPerSecond * BELOW_LIMIT;

/** The recent share of throttles that cuts above the measured limit of a vendor without noise. */
const ABOVE_LIMIT_SHARE = 0.08;
/** How far above the measured limit a throttle counts as the answer to a probe. */
const PROBE_MARGIN = 1.02;
/** How fast the rate returns to the measured limit after a cut, as a multiple of the growth. */
const RETURN_BOOST = 10;
/** How long the rate holds near the measured limit after a cut before probing above it. */
const PLATEAU_MS = 800;
/** The growth near the measured limit while it holds, as a multiple of `growthPerSecond`. */
const PLATEAU_GROWTH = 0.25;

/** The counts a cut (or a key's first state) starts from: nothing answered since. */
const COUNTS_RESET = {accepted: 0, freshAccepted: 0, freshThrottled: 0} as const;

/** The most tokens the bucket holds at a rate (a shared store's GCRA burst too). */
export const capacity = (ratePerSecond: number): number => Math.max(1, (ratePerSecond * BURST_MS) / 1000);

/** A fresh state: the initial rate and one request's worth of tokens. */
export const initialState = (params: LimiterParams, now: number): LimiterState => ({
  ratePerSecond: params.initialRatePerSecond,
  tokens: capacity(params.initialRatePerSecond),
  refilledAt: now,
  pausedUntil: 0,
  slowStart: true,
  ...COUNTS_RESET,
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
 * a fixed step, which doubles the rate every 50 ms of saturated sending; afterwards each success
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
  const ceiling = Math.min(params.maxRatePerSecond, filled.ceilingPerSecond ?? Infinity);
  const ratePerSecond = saturated
    ? Math.max(filled.ratePerSecond, Math.min(filled.ratePerSecond + step, ceiling))
    : filled.ratePerSecond;
  return {
    ...filled,
    ...(belowLimit(filled) ? {backgroundShare: (filled.backgroundShare ?? 0) * (1 - BACKGROUND_WEIGHT)} : {}),
    ratePerSecond,
    accepted: filled.accepted + 1,
    freshAccepted: filled.freshAccepted + 1,
  };
};

/**
 * How much faster than `growthPerSecond` to grow. With a measured limit (and a vendor without
 * noise): back to it within a few hundred milliseconds, nearly still near it for `PLATEAU_MS`
 * after the cut, then faster and faster (the limit may have been raised: reach it within about two
 * seconds). Otherwise by the rate at the last cut: fast while far below it, faster and faster once
 * past it without a cut.
 */
const probeBoost = (state: LimiterState, now: number): number => {
  const limit = state.limitPerSecond;
  const quietMs = now - (state.cutAt ?? now);
  if (limit !== undefined && (state.backgroundShare ?? 0) < NOISY_SHARE) {
    if (state.ratePerSecond < limit) {
      // Back to the measured limit within a few hundred milliseconds.
      return 1 + RETURN_BOOST * (1 - state.ratePerSecond / limit);
    }
    // At the limit: hold nearly still for a while, then probe faster and faster (it may have been
    // raised); the first throttle above it cuts at once.
    return quietMs < PLATEAU_MS ? PLATEAU_GROWTH : 1 + ((quietMs - PLATEAU_MS) / 1000) * 8;
  }
  const peak = state.peakPerSecond;
  if (peak === undefined) {
    return 1;
  }
  if (state.ratePerSecond < peak) {
    return 1 + 8 * Math.max(0, 1 - state.ratePerSecond / peak);
  }
  // Quiet since the last cut: sporadic throttles that did not cut do not hold the probe back.
  return 1 + Math.max(0, (quietMs - QUIET_PROBE_MS) / 1000) * 8;
};

/**
 * The state of a key at its first throttle: paced at the rate it was sending (or accepted) at, in
 * slow start (no blind cut: one throttle may be noise), with `cutAt` at `since`. The limiter
 * passes when the throttled request was sent: the vendor's bucket was empty when it arrived, so
 * the answers of requests sent since, open ones still coming back included, judge the rate like
 * those of paced requests (they went out at it), and when most of them are throttled the cut comes
 * a round earlier than from paced answers alone. Those sent before met a bucket that still held its
 * burst: stale. `inFlight` requests still unanswered take the vendor's next tokens: the bucket
 * starts that many tokens short. `slowStart: false` grows it only at `growthPerSecond` (a fleet,
 * whose pace every process's answers grow).
 *
 * @example
 * ```ts
 * const state = engage(initialState(params, now), 120, throttledSentAt, 12);
 * ```
 */
export const engage = (
  state: LimiterState,
  ratePerSecond: number,
  since: number,
  inFlight = 0,
  slowStart = true,
): LimiterState => ({
  ...state,
  ratePerSecond,
  tokens: 0 - inFlight,
  slowStart,
  cutAt: since,
  peakPerSecond: ratePerSecond,
  ...COUNTS_RESET,
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
 * Applies a throttle. The first throttle of a slow start halves the rate (it overshot by an unknown
 * amount). Later ones cut to 90 % of the accept rate measured since the last cut: both ends of
 * that span are throttles, when the vendor's bucket was empty, so the requests it accepted in
 * between are exactly what it allows (the measured limit). The cut lies between `decreaseFactor`
 * and 0.9 of the rate. Without enough accepted responses to measure, the rate is cut (to between
 * a half and a quarter, by the share accepted) only when most of at least eight answers since the
 * last cut were throttled (the rate is then far above the limit); otherwise it holds until the
 * measurement is ready. Sporadic throttles hold the rate (see
 * `cutRate`).
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
  // Only a positive, finite wait or rate counts (`undefined` and `NaN` fail both comparisons).
  const delayMs = feedback.delayMs ?? 0;
  if (delayMs > 0 && delayMs < Infinity) {
    next = {...next, pausedUntil: Math.max(next.pausedUntil, now + delayMs)};
  }
  const stated = feedback.ratePerSecond ?? 0;
  const seeded = stated > 0 && stated < Infinity ? stated : undefined;
  if (seeded !== undefined) {
    next = {...next, ceilingPerSecond: seeded};
  }
  // A stale throttle (sent before the last cut) neither counts nor cuts.
  let cut: Cut | undefined;
  if (!isStale(state, feedback.sentAt)) {
    next = {
      ...next,
      throttleShare: (next.throttleShare ?? 0) * (1 - SHARE_WEIGHT) + SHARE_WEIGHT,
      ...(belowLimit(next)
        ? {backgroundShare: (next.backgroundShare ?? 0) * (1 - BACKGROUND_WEIGHT) + BACKGROUND_WEIGHT}
        : {}),
      lastThrottleAt: now,
    };
    cut = cutRate(next, now, params, feedback.sentAt);
    next = {...next, freshThrottled: next.freshThrottled + 1, tokens: Math.min(next.tokens, 0)};
  }
  const target =
    seeded !== undefined && seeded < (cut?.ratePerSecond ?? next.ratePerSecond)
      ? seeded
      : cut === undefined
        ? undefined
        : Math.max(params.minRatePerSecond, cut.ratePerSecond);
  if (target === undefined) {
    return next;
  }
  return {
    ...next,
    ratePerSecond: target,
    // A debt (requests in flight when the key engaged) is kept as the wait it owes.
    tokens: Math.min(0, (next.tokens * target) / next.ratePerSecond),
    refilledAt: Math.max(now, next.pausedUntil),
    slowStart: false,
    cutAt: now,
    peakPerSecond: next.ratePerSecond,
    // What the cut learned: the measured limit, or that the vendor has one.
    ...cut?.learned,
    // The share starts again: another cut needs throttles that recur at the new rate.
    throttleShare: 0,
    ...COUNTS_RESET,
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
  if (seen < MIN_VERDICTS || seen >= 1 / SHARE_WEIGHT) {
    return state.throttleShare ?? 0;
  }
  // One throttle among a few answers is what a vendor throttling 5 % at random shows a fifth of
  // the time right after a cut: a plain share needs a second one.
  return throttled >= 2 ? throttled / seen : 0;
};

/** A cut: the new rate, and what it learned of the vendor (its measured limit, or that it has one). */
type Cut = {
  readonly ratePerSecond: number;
  readonly learned?: Pick<LimiterState, 'limitPerSecond' | 'backgroundShare' | 'limitSeen'>;
};

/** The cut for a fresh throttle, or `undefined` to hold while the evidence is thin. */
const cutRate = (
  state: LimiterState,
  now: number,
  params: LimiterParams,
  sentAt: number | undefined,
): Cut | undefined => {
  const rate = state.ratePerSecond;
  if (state.cutAt === undefined) {
    return {ratePerSecond: rate * params.decreaseFactor};
  }
  const limit = state.limitPerSecond;
  const background = state.backgroundShare ?? 0;
  // Above the measured limit of a vendor without noise, throttles are expected: a few cut, and the
  // first one after a quiet stretch is the answer the probe waited for. So too after most of a
  // round was throttled, before the limit is measured: the vendor has one, and recurring
  // throttles are it, not noise.
  const aboveLimit =
    background < NOISY_SHARE &&
    (limit === undefined ? state.limitSeen === true : rate > limit * PROBE_MARGIN);
  const probed = aboveLimit && state.freshThrottled === 0 && state.freshAccepted >= PROBE_QUIET_ANSWERS;
  // Elsewhere sporadic throttles (a noisy vendor, another client's burst) do not drag the rate
  // down: the recent share must stand out, from the vendor's background too (capped: a share this
  // heavy is a limit whatever the background).
  const share = recentShare(state);
  const sporadic = aboveLimit
    ? ABOVE_LIMIT_SHARE
    : Math.min(HEAVY_SHARE, Math.max(SPORADIC_SHARE, background * BACKGROUND_MULTIPLE));
  // Engaged by one throttle and never cut, the key may have met noise: only most of a round
  // throttled says limit then (a vendor throttling 5 % at random shows two in ten answers often).
  if ((share < sporadic && !probed) || (state.slowStart && share < HEAVY_SHARE)) {
    return undefined;
  }
  // Both ends of the span are throttles, when the vendor's bucket was empty: what it accepted in
  // between is what it allows. Timed by sending (the accepted requests sent since the cut, up to
  // the sending of the throttle that cuts), late answers cannot crowd the span: answers of requests
  // sent long before measured a limit a fifth above the real one.
  const spanMs = (sentAt ?? now) - state.cutAt;
  const heavy = share >= HEAVY_SHARE;
  if (state.freshAccepted >= MIN_SAMPLES && spanMs > 0) {
    const measured = (state.freshAccepted * 1000) / spanMs;
    const floor = heavy ? rate * DEEPEST_CUT : rate * params.decreaseFactor;
    return {
      ratePerSecond: Math.min(rate * MILDEST_CUT, Math.max(floor, measured * TARGET_SHARE)),
      // Below a limit that has since dropped, its throttles counted as noise: they were its own.
      learned:
        limit !== undefined && measured < limit * BELOW_LIMIT
          ? {limitPerSecond: measured, backgroundShare: 0}
          : {limitPerSecond: measured},
    };
  }
  if (probed && limit !== undefined) {
    return {ratePerSecond: Math.min(rate * MILDEST_CUT, limit * TARGET_SHARE)};
  }
  // Too few accepted answers to time them (a few over a few milliseconds measure a burst, not a
  // rate); fewer answers than eight are the jitter of a rate near the limit. When most of enough
  // answers were throttled the rate is far above the limit: over an empty vendor bucket the share
  // accepted is limit / rate, so the cut follows it, between a half and a quarter (a few answers
  // estimate the share roughly).
  const verdicts = state.freshThrottled + 1 + state.freshAccepted;
  if (!heavy || verdicts < THIN_VERDICTS) {
    return undefined;
  }
  const acceptedShare = state.freshAccepted / verdicts;
  const factor = Math.max(params.decreaseFactor ** 2, Math.min(params.decreaseFactor, acceptedShare));
  return {ratePerSecond: rate * factor, learned: {limitSeen: true}};
};
