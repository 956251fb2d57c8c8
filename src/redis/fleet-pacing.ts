/**
 * @module `fleetPacing`: how a limiter paces over a store other processes share (one with
 * `admit`, as the Redis store's): admissions through the store's GCRA with reservations, answers
 * written in batches. It lives here, not in the limiter, so that an application without a fleet
 * does not ship it.
 */
import {capacity, type LimiterState, recordSuccess} from '../policy/limiter/limiter-state.ts';
import type {HeardAnswer, LimiterPacing} from '../policy/limiter/pacing.ts';

/**
 * The longest wait that reserves a turn in the store's GCRA. A reservation costs one round trip
 * per request; refusing and asking again would cost one per try, and every waiting process would
 * try at once when a token comes.
 */
const RESERVE_MS = 1000;
/**
 * Answers are written in batches, at most this long after the first one (the rate still moves
 * within a tenth of a second, but not with a round trip per answer).
 */
const LEARN_FLUSH_MS = 100;
/** …or once this many answers are waiting. */
const LEARN_FLUSH_ANSWERS = 32;
/** How many keys the last states seen are kept for. */
const MAX_KNOWN_KEYS = 10_000;

/**
 * The limiter's pacing over a shared store with `admit`. A turn is one `admit` round trip, at the
 * key's rate as this process last saw it (a store like Redis paces at the rate last written,
 * which it reads itself), and a short wait is a reservation the head of the queue keeps (asking
 * again would take a second token) unless a stated pause now covers it. The first turn of a key,
 * whose state this process has not seen, is an `update`. Accepted answers are written in batches
 * (every 100 ms or 32 answers), so `onSuccess` never waits for the store; a throttle, and a read
 * of the state, write them first. A process joining a key others already cut adds the rate it was
 * sending at while open, since none of its answers reached the shared state then. The Redis store
 * gives it as its `pacing`; a store of your own with `admit` can too. A store without `admit` gets
 * none (one `update` per admission and per answer).
 *
 * @example
 * ```ts
 * const store: Store = {update, admit, pacing: fleetPacing};
 * const limiter = createLimiter({store});
 * ```
 */
export const fleetPacing: LimiterPacing = ({params, update, report}) => {
  const shared = params.store.admit?.bind(params.store);
  if (shared === undefined) {
    return undefined;
  }
  const storeKey = (key: string): string => `limiter:${key}`;
  /** The last state of each key this process read or wrote (the rate and pause `admit` uses). */
  const known = new Map<string, LimiterState>();
  /** The turn the head of a key's queue reserved (`Date.now()` ms): it goes then, unasked. */
  const reserved = new WeakMap<object, number>();
  /** Accepted answers per key waiting for the next batched write, and its timer. */
  const unheard = new Map<string, {answers: HeardAnswer[]; timer: ReturnType<typeof setTimeout>}>();

  /** Applies answers heard in order, as `onSuccess` would have one by one. */
  const learn = (state: LimiterState, now: number, answers: readonly HeardAnswer[]): LimiterState =>
    answers.reduce((next, answer) => recordSuccess(next, now, answer.sentAt, params, answer.waiting), state);

  const takeUnheard = (key: string): readonly HeardAnswer[] => {
    const batch = unheard.get(key);
    if (batch === undefined) {
      return [];
    }
    unheard.delete(key);
    clearTimeout(batch.timer);
    return batch.answers;
  };

  /** Writes the answers of a key heard since the last write (one round trip for the batch). */
  const flush = async (key: string): Promise<void> => {
    const answers = takeUnheard(key);
    if (answers.length === 0) {
      return;
    }
    const [before, after] = await update(
      key,
      (state, now) => {
        const next = learn(state, now, answers);
        return [next, [state, next] as const];
      },
      'limiter:learn',
    );
    report(key, before, after, 'growth');
  };

  const admitted = async (key: string, lane: object, state: LimiterState): Promise<number> => {
    const waitMs = await shared(storeKey(key), {
      ratePerSecond: state.ratePerSecond,
      burst: capacity(state.ratePerSecond),
      reserveMs: RESERVE_MS,
    });
    if (waitMs > 0 && waitMs <= RESERVE_MS) {
      reserved.set(lane, Date.now() + waitMs);
    }
    return waitMs;
  };

  return {
    landed: (key, state) => {
      if (known.size >= MAX_KNOWN_KEYS && !known.has(key)) {
        known.clear();
      }
      known.set(key, state);
    },
    turn: (key, lane) => {
      // A reservation serves one turn: kept below only while its time has not come.
      const reservedAt = reserved.get(lane);
      reserved.delete(lane);
      const state = known.get(key);
      if (state === undefined) {
        return undefined;
      }
      if (reservedAt !== undefined && state.pausedUntil <= reservedAt) {
        const waitMs = reservedAt - Date.now();
        if (waitMs > 0) {
          reserved.set(lane, reservedAt);
        }
        return Promise.resolve(Math.max(0, waitMs));
      }
      // No reservation, or paused past it: that token is forfeited, the pause decides.
      return admitted(key, lane, state);
    },
    heard: (key, answer) => {
      let batch = unheard.get(key);
      if (batch === undefined) {
        const timer = setTimeout(() => void flush(key).catch(() => {}), LEARN_FLUSH_MS);
        // Learning that has not been written when the process ends is only lost learning.
        timer.unref?.();
        batch = {answers: [], timer};
        unheard.set(key, batch);
      }
      batch.answers.push(answer);
      if (batch.answers.length >= LEARN_FLUSH_ANSWERS) {
        void flush(key).catch(() => {});
      }
      return true;
    },
    takeUnheard: (key) => {
      const answers = takeUnheard(key);
      return answers.length === 0 ? undefined : (state, now) => learn(state, now, answers);
    },
    join: (state, seenPerSecond) => ({
      ...state,
      ratePerSecond: Math.min(params.maxRatePerSecond, state.ratePerSecond + seenPerSecond),
    }),
    flush: (key) => flush(key).catch(() => {}),
    known: (key) => known.get(key),
  };
};
