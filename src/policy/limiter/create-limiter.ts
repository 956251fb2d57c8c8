/**
 * @module `createLimiter()`: a client-side limiter per vendor key that adapts its send rate to the
 * vendor's throttles, caps concurrency, and queues requests in order.
 *
 * The scheme, and why. Requests of a key leave through a token bucket whose rate adapts:
 * - Open until throttled: no pacing, but a new key lets 10 requests out at once and one more per
 *   answer (TCP's initial window, doubling every round trip) until it is warm, past 256. Forty
 *   requests at once into a vendor bucket of fifteen would draw twenty-five throttles before the
 *   first could be heard; the window costs a busy new key a few round trips of its first second.
 * - Engaged at the first throttle, at the lower of the rate the key was sending at and the rate its
 *   answers were accepted at (burst included, an upper bound of the limit), owing the requests
 *   still in flight (they take the vendor's next tokens), in slow start (doubling every 50 ms while
 *   requests queue) until a cut. The answers still coming back to the requests sent while open,
 *   from the throttled one on (the vendor's bucket was empty then), judge that rate: when most of
 *   them are throttled, it cuts by the share accepted at once, a round before paced answers could.
 *   Before the first cut, only such a heavy share cuts.
 * - Noise opens a key again: engaged by a throttle and never cut, a key whose next 20 answers and
 *   more held few throttles (under 10 %) met the vendor's noise, not a limit. It goes back to open
 *   (warm), and its throttles engage it again only once they recur (10 % of the last second's
 *   requests, three at the least). Not over a store that paces a fleet (its pace is shared).
 * - Decrease measured, not guessed: a cut goes to 90 % of the accept rate measured since the
 *   previous cut. Both ends of that span are throttles, moments when the vendor's bucket was empty,
 *   so what it accepted in between is what it allows; that rate becomes the key's measured limit.
 *   It is timed by sending (the accepted requests sent from the cut to the sending of the throttle
 *   that cuts), so answers that come back late cannot crowd the span. Plain AIMD halves on every
 *   throttle, and its sawtooth averages 75 % of the limit. When most of enough answers were
 *   throttled and too few accepted to time (a few over a few milliseconds measure a burst), the
 *   rate follows the share accepted, by a half to a quarter, and the vendor counts as limited:
 *   until the limit is measured, throttles that recur cut as they do above it. Throttles of
 *   requests sent before the last cut were caused by the old rate and do not cut again.
 * - Noise is not a limit: sporadic throttles (under 20 % of recent answers, or a single one among
 *   the first answers after a cut) hold the rate. Throttles that keep coming below the measured
 *   limit are the vendor's background, and a cut then needs a recent share well above it; when the
 *   limit itself dropped (a lower measurement), those throttles were its own and the background
 *   starts again.
 * - Increase: while requests queue, each accepted request adds `growthPerSecond` (times a boost)
 *   requests per second: back to the measured limit within a few hundred milliseconds, nearly
 *   still near it for about a second, then faster and faster (the limit may have been raised: it is
 *   reached within about two seconds). Above the measured limit, the first throttle after a quiet
 *   stretch is the answer the probe waited for and cuts at once, so a probe costs one throttle.
 * - Server statements win: a stated wait (`Retry-After`, "try again in 10s", a gateway window)
 *   pauses the whole key, and a stated rate ("limit:5,time:1 second") sets and caps the rate.
 *
 * State lives in a `Store` (in memory by default; `ky-vendors/redis` for fleets); the queue and
 * the concurrency cap are this process's own. A store may pace the limiter its own way
 * (`Store.pacing`: the Redis store admits through its GCRA and writes answers in batches).
 *
 * Open until throttled: a key has no limiter state or timer until its first throttle, and a warm
 * key not even a count, so pacing on by default costs the success path nothing. A timer exists
 * only while requests wait for a pace, so the limiter never keeps a process alive after its work
 * ends.
 */

import {type LimiterOptions, normalizeLimiterOptions} from './limiter-options.ts';
import {
  admit,
  engage,
  initialState,
  type LimiterState,
  recordSuccess,
  recordThrottle,
  refill,
  type ThrottleFeedback,
} from './limiter-state.ts';
import type {Pacing, PacingContext, StateChange} from './pacing.ts';

/** Gives a concurrency slot back; calling it twice is harmless. */
export type Release = () => void;

/** How long one request may wait for its turn. */
export type AcquireOptions = {
  /** Stops the wait at once: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * No turn after this time (`Date.now()` milliseconds): the wait rejects with
   * `LimiterWaitError` at once when the key cannot admit the request before it, or when it passes.
   */
  readonly deadlineAt?: number | undefined;
};

/**
 * The limiter could not give a request its turn before the request's deadline. `readyAt` says
 * when the key admits requests again (as far as the limiter knows now).
 */
export class LimiterWaitError extends Error {
  override name = 'LimiterWaitError';
  /** When the key admits requests again (`Date.now()` milliseconds). */
  readonly readyAt: number;
  constructor(readyAt: number) {
    super(`the limiter admits no request before ${new Date(readyAt).toISOString()}`);
    this.readyAt = readyAt;
  }
}

/** What an accepted response tells the limiter. */
export type SuccessFeedback = {
  /** When the request was sent (`Date.now()`); a request sent before the last cut does not grow the rate. */
  readonly sentAt?: number | undefined;
};

/**
 * A client-side limiter: paces and caps requests per key, and learns from the responses.
 *
 * @example
 * ```ts
 * const limiter = createLimiter();
 * const release = await limiter.acquire('upyun:v0.api.upyun.com', signal);
 * const sentAt = Date.now();
 * try {
 *   const response = await fetch(request);
 *   await (response.status === 429 ? limiter.onThrottle(key, {sentAt}) : limiter.onSuccess(key, {sentAt}));
 * } finally {
 *   release();
 * }
 * ```
 */
export type Limiter = {
  /**
   * Waits for a token of the key's rate and a concurrency slot, in arrival order; while the key is
   * open (never throttled, `openUntilThrottled`), only for room in its window. Rejects at once
   * with the signal's reason when the signal aborts, and with `LimiterWaitError` when the turn
   * cannot come before `deadlineAt`, leaving no timer or listener behind.
   */
  readonly acquire: (key: string, options?: AcquireOptions) => Promise<Release>;
  /** Reports a response that was not throttled. */
  readonly onSuccess: (key: string, feedback?: SuccessFeedback) => Promise<void>;
  /** Reports a throttled response: cuts the rate, and pauses the key for a stated wait. */
  readonly onThrottle: (key: string, feedback?: ThrottleFeedback) => Promise<void>;
  /** The key's current state, for telemetry and tests. */
  readonly state: (key: string) => Promise<LimiterState | undefined>;
  /**
   * Whether the key paces its requests: `false` until its first throttle (then requests go out
   * with no queue, no timer and no await). Synchronous, for the success path.
   */
  readonly engaged: (key: string) => boolean;
  /**
   * Whether the limiter stands in for a throttled request's own backoff: the key engaged and
   * heard four answers since (its retries wait their turn), or it opened again because its
   * throttles were noise (its retries go at once). Until then a throttled request waits its
   * documented delay or backoff too, and counts against the retry limit.
   */
  readonly paces: (key: string) => boolean;
  /**
   * Lets a request go at once, synchronously, when its key is open and has room, and counts it
   * (the rate it sends at seeds the pace at the first throttle): returns the release to call when
   * its answer's headers arrive. `undefined` means wait with `acquire()`: the
   * key is engaged, or its window is full. A new key lets 10 requests out at once and one more per
   * answer (its window doubles every round trip) until it is warm, past 256; then requests go out
   * with nothing counted.
   */
  readonly enter: (key: string) => Release | undefined;
  /** A view of one key: rate, tokens, queue, last throttle, stated limit. */
  readonly inspect: (key: string) => Promise<LimiterSnapshot>;
  /** Calls `listener` whenever a key's rate changes (cuts, a stated rate, growth of 10 % or more). */
  readonly onChange: (listener: (change: LimiterChange) => void) => () => void;
  /** The key of a request, when the limiter was given one (see `LimiterOptions.key`). */
  readonly key: ((request: Request) => string) | undefined;
};

/** What `Limiter.inspect()` tells of one key. */
export type LimiterSnapshot = {
  readonly key: string;
  /** `false` while the key has never been throttled: requests go out unpaced. */
  readonly engaged: boolean;
  /** The pace, in requests per second (`undefined` while open). */
  readonly ratePerSecond: number | undefined;
  /** Tokens in the bucket now. */
  readonly tokens: number | undefined;
  /** Requests of this process waiting for their turn. */
  readonly queued: number;
  /** Requests of this process sent and not yet answered. */
  readonly inFlight: number;
  /** No request goes out before this time (`Date.now()` ms): a stated wait. */
  readonly pausedUntil: number | undefined;
  /** When the key was last throttled. */
  readonly lastThrottleAt: number | undefined;
  /** The rate the vendor stated, which the pace never exceeds. */
  readonly statedRatePerSecond: number | undefined;
};

/** A change of a key's rate. */
export type LimiterChange = {
  readonly key: string;
  readonly ratePerSecond: number;
  readonly previousRatePerSecond: number | undefined;
  /** `throttle`: cut or paused by a throttle; `growth`: probing upward. */
  readonly reason: 'throttle' | 'growth';
};

/** The release of a warm open key's request: nothing to count. */
const OPEN: Release = () => {};

/** Answers heard since a key engaged before its pace stands in for a throttled request's backoff. */
const JUDGED_AFTER = 4;

/** How many recently seen keys the open-phase counters and the engaged set keep. */
const MAX_TRACKED_KEYS = 10_000;

/**
 * A key while open. `count` is the requests sent over about the last second (a count that fades
 * out over a second, as of `at`); `window` is how many may be in flight before the key has been
 * answered much (one more per answer, so it doubles every round trip; warm from 256 on);
 * `answered` counts the answers since the first send; `noise`, the throttles of about the last
 * second, once the key's throttles were judged noise.
 */
type Observed = {count: number; at: number; first: number; window: number; answered: number; noise?: number};

/** What is left of a count after `ms` of fading out over a second. */
const fade = (count: number, ms: number): number => count * Math.max(0, 1 - ms / 1000);

/**
 * Requests a new key lets out at once before any answer: TCP's initial window (RFC 6928). A key
 * that has never been answered says nothing about the vendor's burst: forty requests at once into
 * a bucket of fifteen draw twenty-five throttles before the first can be heard.
 */
const INITIAL_WINDOW = 10;
/** The window past which a key is warm: requests then go out with no count at all. */
const WARM_WINDOW = 256;
/**
 * Answers accepted since a key engaged, none of them cut, after which its throttles count as the
 * vendor's noise and the key opens again.
 */
const NOISE_AFTER = 20;
/** The recent share of throttles under which an engaged, never cut key's throttles are noise. */
const NOISE_SHARE = 0.1;
/**
 * The share of about the last second's requests throttled that engages again a key whose throttles
 * were noise.
 */
const RECUR_SHARE = 0.1;
/** Throttles in about the last second that engage a key whose throttles were noise, at the least. */
const RECUR_COUNT = 3;

type Waiter = {
  readonly resolve: (release: Release) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly deadlineAt: number;
  onAbort?: () => void;
  timer?: ReturnType<typeof setTimeout>;
};

/** One key's local side: its queue, its in-flight count and its timer. */
type Lane = {
  readonly queue: Waiter[];
  inFlight: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  pumping: boolean;
  again: boolean;
  pending: number;
};

/**
 * Creates a limiter. One limiter can serve many keys; share it between ky instances that call
 * the same vendor account.
 *
 * @example
 * ```ts
 * const limiter = createLimiter({initialRatePerSecond: 50, maxConcurrency: 16});
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun, {limiter})});
 * ```
 */
export const createLimiter = (options: LimiterOptions = {}): Limiter => {
  const params = normalizeLimiterOptions(options);
  const lanes = new Map<string, Lane>();

  const laneFor = (key: string): Lane => {
    let lane = lanes.get(key);
    if (lane === undefined) {
      lane = {
        queue: [],
        inFlight: 0,
        timer: undefined,
        pumping: false,
        again: false,
        pending: 0,
      };
      lanes.set(key, lane);
    }
    return lane;
  };

  const dropIfIdle = (key: string, lane: Lane): void => {
    if (
      lane.queue.length === 0 &&
      lane.inFlight === 0 &&
      lane.timer === undefined &&
      !lane.pumping &&
      lane.pending === 0
    ) {
      lanes.delete(key);
    }
  };

  /** The engaged keys, each with the answers heard since it engaged. */
  const engagedKeys = new Map<string, number>();
  /** Counts an answer of an engaged key. */
  const hear = (key: string): void => {
    const heard = engagedKeys.get(key);
    if (heard !== undefined) {
      engagedKeys.set(key, heard + 1);
    }
  };
  const observed = new Map<string, Observed>();
  const listeners = new Set<(change: LimiterChange) => void>();
  const reported = new Map<string, number>();

  const storeKey = (key: string): string => `limiter:${key}`;

  /** Tells the listeners of a rate change (growth only once it moved 10 % since the last report). */
  const report = (
    key: string,
    before: LimiterState | undefined,
    after: LimiterState,
    reason: LimiterChange['reason'],
  ) => {
    if (listeners.size === 0 || after.ratePerSecond === before?.ratePerSecond) {
      return;
    }
    const last = reported.get(key);
    if (reason === 'growth' && last !== undefined && after.ratePerSecond < last * 1.1) {
      return;
    }
    reported.set(key, after.ratePerSecond);
    const change = Object.freeze({
      key,
      ratePerSecond: after.ratePerSecond,
      previousRatePerSecond: before?.ratePerSecond,
      reason,
    });
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own.
      }
    }
  };

  const update = <T>(key: string, change: StateChange<T>, label: string): Promise<T> => {
    const lane = laneFor(key);
    lane.pending++;
    const run = params.store.update<LimiterState, T>(
      storeKey(key),
      (stored, now) => {
        const outcome = change(stored ?? initialState(params, now), now);
        // A shared store may run a change again after a conflict: the last run is what landed.
        pacing?.landed(key, outcome[0]);
        return outcome;
      },
      {label},
    );
    return run.finally(() => {
      lane.pending--;
      dropIfIdle(key, lane);
    });
  };

  /** How the store paces this limiter: `undefined` for one `update` per admission and per answer. */
  const pacing: Pacing | undefined = params.store.pacing?.({params, update, report} satisfies PacingContext);

  /** The rate of requests sent while the key was open (over at most the last second), and since when. */
  const observedRate = (key: string, now: number): {rate: number; since: number} | undefined => {
    const seen = observed.get(key);
    if (seen === undefined) {
      return undefined;
    }
    const since = Math.max(seen.first, now - 1000);
    // While the key is cold its answers are counted: the vendor accepted all but this throttle,
    // burst included, so their rate bounds its limit from above where the sending rate (a window
    // of requests at once) can stand far above it. Not in a fleet: one process's answers are a
    // share of what the vendor accepted, and the pace is the fleet's.
    const accepted =
      seen.window >= WARM_WINDOW || seen.first < now - 1000 || pacing !== undefined
        ? Infinity
        : (seen.answered - 1) / Math.max(0.02, (now - seen.first) / 1000);
    const sent = fade(seen.count, now - seen.at) / Math.max(0.02, (now - since) / 1000);
    // None accepted yet (the first answer was the throttle) is a rate too: the caller's floor, the
    // initial rate, applies. Only a key that sent nothing lately has none.
    return sent > 0 ? {rate: Math.min(sent, accepted), since} : undefined;
  };

  /** The open-phase entry of a key, made on its first request. */
  const openEntry = (key: string): Observed => {
    let seen = observed.get(key);
    if (seen === undefined) {
      if (observed.size >= MAX_TRACKED_KEYS) {
        observed.clear();
      }
      const now = Date.now();
      seen = {count: 0, at: now, first: now, window: INITIAL_WINDOW, answered: 0};
      observed.set(key, seen);
    }
    return seen;
  };

  /** Counts a request sent while the key is open. */
  const countSend = (seen: Observed): Observed => {
    const now = Date.now();
    seen.count = fade(seen.count, now - seen.at) + 1;
    seen.noise &&= fade(seen.noise, now - seen.at);
    seen.at = now;
    return seen;
  };

  /** Whether a key is open: its requests go unpaced, within its window. */
  const isOpen = (key: string): boolean => params.openUntilThrottled && !engagedKeys.has(key);

  /**
   * Takes a place in flight; its release (once) gives it back, and the answer of a request of an
   * open key widens the key's window by one (doubling it every round trip).
   */
  const takePlace = (key: string, lane: Lane, seen?: Observed): Release => {
    lane.inFlight++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        lane.inFlight--;
        if (seen !== undefined) {
          seen.answered++;
          seen.window++;
        }
        void pump(key, lane);
      }
    };
  };

  /** Lets a request of an open key go at once when its window has room (see `Limiter.enter`). */
  const enter = (key: string): Release | undefined => {
    if (!isOpen(key)) {
      return undefined;
    }
    const seen = openEntry(key);
    if (seen.window >= WARM_WINDOW && params.maxConcurrency === Infinity) {
      countSend(seen);
      return OPEN;
    }
    const lane = laneFor(key);
    if (lane.queue.length === 0 && lane.inFlight < Math.min(params.maxConcurrency, seen.window)) {
      return takePlace(key, lane, countSend(seen));
    }
    dropIfIdle(key, lane);
    return undefined;
  };

  /** Takes a waiter out of the queue with its listener and timer. */
  const settle = (lane: Lane, waiter: Waiter): void => {
    const index = lane.queue.indexOf(waiter);
    if (index !== -1) {
      lane.queue.splice(index, 1);
    }
    if (waiter.onAbort !== undefined) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
    }
    clearTimeout(waiter.timer);
  };

  /** Rejects, at once, every waiter whose deadline comes before the key can admit anyone. */
  const expireBefore = (lane: Lane, readyAt: number): void => {
    for (const waiter of [...lane.queue]) {
      if (waiter.deadlineAt < readyAt) {
        settle(lane, waiter);
        waiter.reject(new LimiterWaitError(readyAt));
      }
    }
  };

  const grant = (key: string, lane: Lane, waiter: Waiter): void => {
    settle(lane, waiter);
    waiter.resolve(takePlace(key, lane, isOpen(key) ? countSend(openEntry(key)) : undefined));
  };

  const clearTimer = (lane: Lane): void => {
    if (lane.timer !== undefined) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
    }
  };

  /** How long the head of the queue waits for its turn (`0`: now): the store's pacing, or an `update`. */
  const turn = (key: string, lane: Lane): Promise<number> =>
    pacing?.turn(key, lane) ??
    update(
      key,
      (current, now) => {
        const admission = admit(current, now);
        return [admission.state, admission.waitMs] as const;
      },
      'limiter:admit',
    );

  const pump = async (key: string, lane: Lane): Promise<void> => {
    if (lane.pumping) {
      lane.again = true;
      return;
    }
    lane.pumping = true;
    try {
      for (;;) {
        lane.again = false;
        clearTimer(lane);
        const open = isOpen(key);
        const cap = open
          ? Math.min(params.maxConcurrency, observed.get(key)?.window ?? INITIAL_WINDOW)
          : params.maxConcurrency;
        if (lane.queue.length === 0 || lane.inFlight >= cap) {
          break;
        }
        let waitMs = 0;
        try {
          waitMs = open ? 0 : await turn(key, lane);
        } catch {
          // A failing store must not stall every request: send unpaced, the cap still holds.
          waitMs = 0;
        }
        if (waitMs > 0) {
          if (lane.again) {
            continue;
          }
          expireBefore(lane, Date.now() + waitMs);
          if (lane.queue.length === 0) {
            break;
          }
          // Kept referenced on purpose: a request is waiting, so the process has work to do.
          lane.timer = setTimeout(() => {
            lane.timer = undefined;
            void pump(key, lane);
          }, waitMs);
          break;
        }
        const waiter = lane.queue[0];
        if (waiter !== undefined) {
          grant(key, lane, waiter);
        }
      }
    } finally {
      lane.pumping = false;
    }
    dropIfIdle(key, lane);
  };

  const acquire = (key: string, options: AcquireOptions = {}): Promise<Release> => {
    const {signal} = options;
    const deadlineAt = options.deadlineAt ?? Infinity;
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (deadlineAt <= Date.now()) {
      return Promise.reject(new LimiterWaitError(Date.now()));
    }
    const lane = laneFor(key);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {resolve, reject, signal, deadlineAt};
      const leave = (reason: unknown): void => {
        settle(lane, waiter);
        reject(reason);
        // Lets the queue move on and drops the timer when nobody waits any more.
        void pump(key, lane);
      };
      if (signal !== undefined) {
        waiter.onAbort = () => leave(signal.reason);
        signal.addEventListener('abort', waiter.onAbort, {once: true});
      }
      if (Number.isFinite(deadlineAt)) {
        // Its own timer: a waiter deep in the queue may reach its deadline before the head moves.
        waiter.timer = setTimeout(() => leave(new LimiterWaitError(Date.now())), deadlineAt - Date.now());
      }
      lane.queue.push(waiter);
      void pump(key, lane);
    });
  };

  const onSuccess = async (key: string, feedback: {sentAt?: number | undefined} = {}): Promise<void> => {
    const lane = laneFor(key);
    const waiting = lane.queue.length > 0;
    hear(key);
    if (pacing?.heard(key, {sentAt: feedback.sentAt, waiting})) {
      dropIfIdle(key, lane);
      return;
    }
    const [before, after] = await update(
      key,
      (state, now) => {
        const next = recordSuccess(state, now, feedback.sentAt, params, waiting);
        return [next, [state, next] as const];
      },
      'limiter:learn',
    );
    if (pacing === undefined && engagedKeys.has(key) && params.openUntilThrottled && isNoise(after)) {
      await open(key);
      return;
    }
    report(key, before, after, 'growth');
  };

  /**
   * Whether a key engaged by a throttle met noise, not a limit: still in the slow start it engaged
   * in (a cut or a stated rate ends it) and few throttles among many answers since.
   */
  const isNoise = (state: LimiterState): boolean =>
    state.slowStart && state.accepted >= NOISE_AFTER && (state.throttleShare ?? 0) < NOISE_SHARE;

  /**
   * Opens a key whose throttles were noise: its requests go out unpaced again, warm, and its
   * throttles engage it again only when they recur.
   */
  const open = async (key: string): Promise<void> => {
    engagedKeys.delete(key);
    observed.delete(key);
    const seen = openEntry(key);
    seen.window = WARM_WINDOW;
    seen.noise = 0;
    await params.store.update(storeKey(key), () => [undefined, 0], {label: 'limiter:open'});
    // Requests still queued go at once: the key is open.
    void pump(key, laneFor(key));
  };

  const onThrottle = async (key: string, feedback: ThrottleFeedback = {}): Promise<void> => {
    const wasEngaged = engagedKeys.has(key);
    const reopened = observed.get(key);
    if (
      !wasEngaged &&
      reopened?.noise !== undefined &&
      (++reopened.noise < RECUR_COUNT || reopened.noise < RECUR_SHARE * reopened.count)
    ) {
      // Noise, as before: the key stays open (a stated wait still holds the request's own retry).
      return;
    }
    const lane = laneFor(key);
    if (!wasEngaged) {
      if (engagedKeys.size >= MAX_TRACKED_KEYS) {
        engagedKeys.clear();
      }
      engagedKeys.set(key, 0);
    }
    hear(key);
    // Answers heard before this throttle count first: the cut measures what was accepted.
    const learnUnheard = pacing?.takeUnheard(key);
    const [before, after, cut] = await update(
      key,
      (stored, now) => {
        const state = learnUnheard?.(stored, now) ?? stored;
        // First throttle of an open key: start from the pace it was sending at. The vendor's bucket
        // was empty when this request reached it: the answers of the requests sent since (this
        // one too), open ones included, judge that pace until the first cut; those sent before met
        // a bucket still full, a burst. A single throttle of a quiet key says little: never start
        // below the initial rate.
        // A process joining a pace others cut adds its own open rate, when the store's pacing
        // says so.
        const seen = wasEngaged ? undefined : observedRate(key, now);
        const start =
          seen === undefined
            ? state
            : state.cutAt === undefined
              ? engage(
                  state,
                  Math.min(params.maxRatePerSecond, Math.max(params.initialRatePerSecond, seen.rate)),
                  feedback.sentAt ?? seen.since,
                  // A fleet's tokens are the store's, and its pace grows from every process's
                  // answers: no debt and no slow start on top.
                  pacing === undefined ? lane.inFlight : 0,
                  pacing === undefined,
                )
              : (pacing?.join(state, seen.rate) ?? state);
        const next = recordThrottle(start, now, feedback, params);
        return [next, [state, next, next.ratePerSecond < start.ratePerSecond] as const];
      },
      'limiter:throttle',
    );
    observed.delete(key);
    if (cut) {
      // The pace is known: it stands in for a throttled request's backoff at once.
      engagedKeys.set(key, JUDGED_AFTER);
    }
    report(key, before, after, 'throttle');
    // The rate or the pause changed: reschedule the waiting requests.
    void pump(key, lane);
  };

  /** Reads a key's state, after writing the answers this process heard (a shared store). */
  const read = async (key: string): Promise<LimiterState | undefined> => {
    await pacing?.flush(key);
    return params.store.update<LimiterState, LimiterState | undefined>(
      storeKey(key),
      (stored) => [stored, stored],
      {label: 'limiter:read'},
    );
  };

  const inspect = async (key: string): Promise<LimiterSnapshot> => {
    const lane = lanes.get(key);
    const engaged = !params.openUntilThrottled || engagedKeys.has(key);
    // Over a shared store, the state this process last saw: a snapshot per progress event (as
    // `uploadMany` reads) must not cost a round trip.
    const stored = engaged ? (pacing?.known(key) ?? (await read(key))) : undefined;
    const state = stored === undefined ? undefined : refill(stored, Date.now());
    return Object.freeze({
      key,
      engaged,
      ratePerSecond: state?.ratePerSecond,
      tokens: state?.tokens,
      queued: lane?.queue.length ?? 0,
      inFlight: lane?.inFlight ?? 0,
      pausedUntil: state === undefined || state.pausedUntil === 0 ? undefined : state.pausedUntil,
      lastThrottleAt: state?.lastThrottleAt,
      statedRatePerSecond: state?.ceilingPerSecond,
    });
  };

  return {
    acquire,
    onSuccess,
    onThrottle,
    state: read,
    key: params.key,
    engaged: (key) => !isOpen(key),
    paces: (key) => (engagedKeys.get(key) ?? 0) >= JUDGED_AFTER || observed.get(key)?.noise !== undefined,
    enter,
    inspect,
    onChange: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
};
