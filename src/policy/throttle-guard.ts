/**
 * @module A ceiling under a vendor that punishes repeated throttling (BrightData blocks an IP
 * after 25 429s in 5 minutes): throttles in the window plus requests in flight never exceed it.
 */
import {createMemoryStore} from './store/memory-store.ts';
import type {Store} from './store/store.ts';

/**
 * A vendor's throttle threshold and where this package stops.
 *
 * @example
 * ```ts
 * const guard = createThrottleGuard({maxThrottles: 10, windowMs: 5 * 60_000});
 * ```
 */
export type ThrottleGuardOptions = {
  /** Throttles within the window (counting requests in flight as possible ones) never exceed this. */
  readonly maxThrottles: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
  /** Why the vendor must not be pushed further (shown in the error). */
  readonly reason?: string;
  /**
   * Where the counts live: share one store (or `ky-vendors/redis`) to hold one ceiling across
   * instances and processes.
   * @default createMemoryStore()
   */
  readonly store?: Store;
  /**
   * How long a request counts as in flight at most: a process that died mid-request frees its
   * place after this.
   * @default 120_000
   */
  readonly flightTtlMs?: number;
};

/** The answer to "may this request go out?". */
export type GuardAdmission =
  | {readonly allowed: true; readonly ticket: number}
  | {
      readonly allowed: false;
      /** When a request may go out again (always in the future). */
      readonly retryAt: number;
      /** `ceiling`: the window holds the most throttles; `in-flight`: requests in flight fill it. */
      readonly why: 'ceiling' | 'in-flight';
    };

/**
 * Per-key ceilings on throttles. Each request takes a place (`admit`) and gives it back with its
 * outcome (`settle`); a place is a throttle that may still happen, so however many requests are in
 * flight, throttles never pass `maxThrottles` in a window.
 */
export type ThrottleGuard = {
  readonly admit: (key: string) => Promise<GuardAdmission>;
  /** Gives back the place of an admitted request; `throttled` counts it in the window. */
  readonly settle: (key: string, ticket: number, throttled: boolean) => Promise<void>;
  readonly options: ThrottleGuardOptions;
};

/** One key's state: throttle times in the window, and places of requests in flight. */
type GuardState = {
  readonly throttles: readonly number[];
  /** `[ticket, expiresAt]` */
  readonly flights: readonly (readonly [number, number])[];
};

const DEFAULT_FLIGHT_TTL_MS = 120_000;
/** How soon to look again when only requests in flight fill the allowance. */
const IN_FLIGHT_RETRY_MS = 50;

const EMPTY: GuardState = {throttles: [], flights: []};

/**
 * The state without throttles out of the window and expired places; the very same state when
 * nothing expired (every request's admit and settle prune it: no copy while nothing changes).
 */
const prune = (state: GuardState | undefined, now: number, windowMs: number): GuardState => {
  if (state === undefined) {
    return EMPTY;
  }
  const {throttles, flights} = state;
  const throttlesLive = throttles.every((at) => at > now - windowMs);
  const flightsLive = flights.every(([, expiresAt]) => expiresAt > now);
  return throttlesLive && flightsLive
    ? state
    : {
        throttles: throttlesLive ? throttles : throttles.filter((at) => at > now - windowMs),
        flights: flightsLive ? flights : flights.filter(([, expiresAt]) => expiresAt > now),
      };
};

/**
 * Creates a throttle guard. Pass the same guard to several instances (`withVendor(v,
 * {throttleGuard: guard})`) to share one ceiling; give it a shared store to share it across
 * processes.
 *
 * @example
 * ```ts
 * const guard = createThrottleGuard({maxThrottles: 10, windowMs: 5 * 60_000});
 * const a = ky.create({prefix, ...withVendor(brightdata, {throttleGuard: guard})});
 * const b = ky.create({prefix, ...withVendor(brightdata, {throttleGuard: guard})});
 * ```
 */
export const createThrottleGuard = (options: ThrottleGuardOptions): ThrottleGuard => {
  const {maxThrottles, windowMs} = options;
  if (!(Number.isInteger(maxThrottles) && maxThrottles > 0) || !(windowMs > 0)) {
    throw new TypeError('`maxThrottles` must be a positive integer and `windowMs` positive');
  }
  const store = options.store ?? createMemoryStore();
  const ttlMs = options.flightTtlMs ?? DEFAULT_FLIGHT_TTL_MS;
  let tickets = Math.floor(Math.random() * 1e9);
  const storeKey = (key: string) => `guard:${key}`;
  const admitOptions = {ttlMs: Math.max(windowMs, ttlMs), label: 'guard:admit'};
  const settleOptions = {ttlMs: Math.max(windowMs, ttlMs), label: 'guard:settle'};
  return {
    admit: (key) => {
      const ticket = ++tickets;
      return store.update<GuardState, GuardAdmission>(
        storeKey(key),
        (current, now) => {
          const state = prune(current, now, windowMs);
          if (state.throttles.length + state.flights.length < maxThrottles) {
            return [
              {...state, flights: [...state.flights, [ticket, now + ttlMs]]},
              {allowed: true, ticket},
            ];
          }
          if (state.throttles.length >= maxThrottles) {
            const oldest = state.throttles[state.throttles.length - maxThrottles] ?? now;
            return [state, {allowed: false, retryAt: Math.max(now + 1, oldest + windowMs), why: 'ceiling'}];
          }
          return [state, {allowed: false, retryAt: now + IN_FLIGHT_RETRY_MS, why: 'in-flight'}];
        },
        admitOptions,
      );
    },
    settle: (key, ticket, throttled) =>
      store.update<GuardState, undefined>(
        storeKey(key),
        (current, now) => {
          const state = prune(current, now, windowMs);
          return [
            {
              throttles: throttled ? [...state.throttles, now] : state.throttles,
              flights: state.flights.filter(([held]) => held !== ticket),
            },
            undefined,
          ];
        },
        settleOptions,
      ),
    options,
  };
};
