/**
 * @module `LimiterPacing`: how a limiter reads and writes its keys' state when the store offers
 * something better than one `update` per admission and per answer (a fleet's shared store). The
 * limiter alone needs none, so a bundle without `ky-vendors/redis` carries none.
 */
import type {NormalizedLimiterOptions} from './limiter-options.ts';
import type {LimiterState} from './limiter-state.ts';

/** A change of one key's state: the next state, and what the caller gets. */
export type StateChange<T> = (state: LimiterState, nowMs: number) => readonly [LimiterState, T];

/** An accepted answer, as the limiter heard it. */
export type HeardAnswer = {
  /** When its request was sent (`Date.now()` ms). */
  readonly sentAt: number | undefined;
  /** Whether requests of the key were waiting for their turn when it came. */
  readonly waiting: boolean;
};

/** What a limiter lends its pacing. */
export type PacingContext = {
  /** The limiter's options, defaults applied (`store` among them). */
  readonly params: NormalizedLimiterOptions;
  /** Changes a key's state in the store, as the limiter does (its pacing hears what landed). */
  readonly update: <T>(key: string, change: StateChange<T>, label: string) => Promise<T>;
  /** Tells the limiter's `onChange` listeners that a key's rate went from `before` to `after`. */
  readonly report: (
    key: string,
    before: LimiterState | undefined,
    after: LimiterState,
    reason: 'throttle' | 'growth',
  ) => void;
};

/**
 * How a limiter paces over a store: each hook is the limiter's step where a shared store does
 * better than an `update`. A key's local side (`lane`) is the limiter's, an object a hook may
 * attach to (a reservation) and that is dropped when the key is idle.
 */
export type Pacing = {
  /** Called with every state of a key that landed in the store. */
  readonly landed: (key: string, state: LimiterState) => void;
  /** How long the head of the key's queue waits (`0`: now); `undefined` asks the store with an `update`. */
  readonly turn: (key: string, lane: object) => Promise<number> | undefined;
  /** Takes an accepted answer to write later (`true`); `false` leaves it to an `update` now. */
  readonly heard: (key: string, answer: HeardAnswer) => boolean;
  /** Takes the answers not yet written, as the change that applies them (before a throttle counts). */
  readonly takeUnheard: (key: string) => ((state: LimiterState, nowMs: number) => LimiterState) | undefined;
  /**
   * The pace a process joins at its first throttle of a key others already cut: this process's
   * open rate `seenPerSecond` was never part of theirs.
   */
  readonly join: (state: LimiterState, seenPerSecond: number) => LimiterState;
  /** Writes the answers not yet written; never rejects. */
  readonly flush: (key: string) => Promise<void>;
  /** The last state of the key this process saw, when it keeps one (no round trip). */
  readonly known: (key: string) => LimiterState | undefined;
};

/**
 * A store's way of pacing a limiter over it (`Store.pacing`): given the limiter's context, the
 * hooks it runs, or `undefined` to pace with plain `update`s. `fleetPacing` from
 * `ky-vendors/redis` is the one a shared store with `admit` gives.
 *
 * @example
 * ```ts
 * const store: Store = {update, admit, pacing: fleetPacing};
 * ```
 */
export type LimiterPacing = (context: PacingContext) => Pacing | undefined;
