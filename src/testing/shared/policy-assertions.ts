/**
 * @module Assertions on what a client sent, for users' own tests: duplicate paid jobs, 429 bursts
 * that would get an IP blocked, requests after an abort. Framework-free: each throws a
 * `PolicyAssertionError` whose message lists the offending requests, or returns nothing.
 */
import type {BrightdataSimulator} from '../brightdata/simulator.ts';

/** One request as the assertions need it: when it arrived and how it was answered. */
export type SentRequest = {
  /** Arrival time, epoch milliseconds (the simulator's clock). */
  readonly at: number;
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly status: number;
};

/**
 * A policy rule was broken. `offending` holds the requests that broke it.
 *
 * @example
 * ```ts
 * expect(() => assertThrottleBudget(sim.log, {max: 10})).not.toThrow();
 * ```
 */
export class PolicyAssertionError extends Error {
  override name = 'PolicyAssertionError' as const;
  /** The requests that broke the rule. */
  readonly offending: readonly SentRequest[];
  constructor(message: string, offending: readonly SentRequest[]) {
    const lines = offending
      .slice(0, 20)
      .map(
        (entry) => `  ${new Date(entry.at).toISOString()} ${entry.method} ${entry.path} → ${entry.status}`,
      );
    super(
      [message, ...lines, ...(offending.length > 20 ? [`  … ${offending.length - 20} more`] : [])].join('\n'),
    );
    this.offending = offending;
  }
}

/**
 * Options of `assertThrottleBudget()`.
 *
 * @example
 * ```ts
 * assertThrottleBudget(sim.log, {max: 10, windowMs: 5 * 60_000});
 * ```
 */
export type ThrottleBudgetOptions = {
  /** The most throttled answers allowed in any window. */
  readonly max: number;
  /**
   * The sliding window.
   * @default 300_000 (BrightData blocks an IP after 25 429s in 5 minutes)
   */
  readonly windowMs?: number;
  /**
   * The status that counts as a throttle.
   * @default 429
   */
  readonly status?: number;
};

/**
 * Asserts that no sliding window of `windowMs` holds more than `max` throttled answers: "at most
 * 10 429s in any 5 minutes", the rule that keeps a BrightData IP from being blocked.
 *
 * @throws {PolicyAssertionError} listing the throttles of the worst window.
 * @throws {TypeError} for a `max` that is not a non-negative integer.
 * @example
 * ```ts
 * assertThrottleBudget(sim.log, {max: 10});
 * ```
 */
export const assertThrottleBudget = (log: readonly SentRequest[], options: ThrottleBudgetOptions): void => {
  const {max, windowMs = 300_000, status = 429} = options;
  if (!Number.isInteger(max) || max < 0)
    throw new TypeError(`\`max\` must be a non-negative integer, got ${max}`);
  const throttles = log.filter((entry) => entry.status === status).sort((a, b) => a.at - b.at);
  let start = 0;
  let worst: SentRequest[] = [];
  for (let end = 0; end < throttles.length; end++) {
    const last = throttles[end] as SentRequest;
    while ((throttles[start]?.at ?? last.at) <= last.at - windowMs) start++;
    if (end - start + 1 > worst.length) worst = throttles.slice(start, end + 1);
  }
  if (worst.length > max) {
    throw new PolicyAssertionError(
      `${worst.length} answers with status ${status} within ${windowMs} ms (at most ${max} allowed):`,
      worst,
    );
  }
};

/**
 * Asserts that nothing was sent after `atMs` (an abort, a shutdown, a deadline): a client that
 * stopped must stop sending.
 *
 * @throws {PolicyAssertionError} listing the requests that arrived later.
 * @example
 * ```ts
 * const abortedAt = Date.now();
 * controller.abort();
 * // … let timers run …
 * assertNothingSentAfter(sim.log, abortedAt);
 * ```
 */
export const assertNothingSentAfter = (log: readonly SentRequest[], atMs: number): void => {
  const late = log.filter((entry) => entry.at > atMs);
  if (late.length > 0) {
    throw new PolicyAssertionError(
      `${late.length} requests sent after ${new Date(atMs).toISOString()}:`,
      late,
    );
  }
};

/** Object keys sorted, so two inputs that differ only in key order are the same input. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'object' && field !== null && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );

/**
 * Asserts that the BrightData simulator started at most one job per input of a dataset: no input
 * was paid for twice. It counts jobs, not trigger requests, because a trigger refused before it
 * created a job (a 429, a fault without effect) costs nothing and may be sent again.
 *
 * @throws {PolicyAssertionError} naming the inputs collected twice and their triggers.
 * @example
 * ```ts
 * await collect(api, request, {retrigger: 'if-absent'});
 * assertOneJobPerInput(sim);
 * ```
 */
export const assertOneJobPerInput = (sim: Pick<BrightdataSimulator, 'jobs' | 'log'>): void => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const job of sim.jobs.values()) {
    for (const input of job.inputs) {
      const key = `${job.datasetId} ${canonical(input)}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) twice.push(`${key} in ${earlier} and ${job.id}`);
      else seen.set(key, job.id);
    }
  }
  if (twice.length > 0) {
    const triggers = sim.log.filter((entry) => entry.endpoint === 'trigger' || entry.endpoint === 'scrape');
    throw new PolicyAssertionError(
      `inputs collected by more than one job:\n  ${twice.join('\n  ')}\ntriggers sent:`,
      triggers,
    );
  }
};

/**
 * Wraps a `fetch` (a simulator's, or msw's global one) to record every request with the given
 * clock, for the assertions above on simulators that keep no log of their own.
 *
 * @example
 * ```ts
 * const {fetch, log} = recordRequests(upyunFetch(sim));
 * const api = ky.create({prefix: HOST, fetch, ...withVendor(upyun)});
 * // …
 * assertThrottleBudget(log, {max: 5, windowMs: 60_000});
 * ```
 */
export const recordRequests = (
  fetch: typeof globalThis.fetch,
  now: () => number = Date.now,
): {readonly fetch: typeof globalThis.fetch; readonly log: SentRequest[]} => {
  const log: SentRequest[] = [];
  const recording: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const at = now();
    try {
      const response = await fetch(request);
      log.push({at, method: request.method, path: `${url.pathname}${url.search}`, status: response.status});
      return response;
    } catch (error) {
      log.push({at, method: request.method, path: `${url.pathname}${url.search}`, status: 0});
      throw error;
    }
  };
  return {fetch: recording, log};
};
