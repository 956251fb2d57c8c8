/**
 * @module BrightData throttle guard: a loopback server answers 429 to everything; 40 and 200
 * concurrent calls go through one `withVendor(brightdata)` instance, then 40 through each of
 * three instances at once. BrightData blocks an IP after 25 429s in 5 minutes; the guard's
 * allowance is 10. Prints how many 429s reached the server and how the rest failed (error class,
 * and whether `retryAt` was in the future when the error arrived). Measures; never asserts.
 */
import ky from 'ky';
import {createThrottleGuard, type VendorOptions, withVendor} from '../src/index.ts';
import {startLoopbackServer} from '../src/testing/index.ts';
import {brightdata} from '../src/vendors/brightdata/index.ts';
import {fixed, printTable} from './measure.ts';

const DEADLINE_MS = 30_000;

/** One case's outcome. */
export type GuardOutcome = {
  readonly case: string;
  readonly calls: number;
  /** 429s the server answered: what counts toward the vendor's ban. */
  readonly serverThrottles: number;
  readonly seconds: number;
  /** Failures by error class, with how many carried a `retryAt` in the future, past, or none. */
  readonly failures: Readonly<Record<string, {count: number; future: number; past: number; none: number}>>;
  readonly ok: number;
  /** How the three instances held their guard: shared (one value) or separate. */
  readonly guard?: 'shared' | 'separate';
  readonly error?: string;
};

/** Whether `withVendor()` used a guard value it was given, seen by whether anything read it. */
const watched = <T extends object>(value: T): {value: T; used: () => boolean} => {
  let used = false;
  return {
    value: new Proxy(value, {
      get: (target, property, receiver) => {
        used = true;
        return Reflect.get(target, property, receiver);
      },
    }),
    used: () => used,
  };
};

const runCase = async (
  name: string,
  instances: number,
  callsPerInstance: number,
  shareGuard: boolean,
): Promise<GuardOutcome> => {
  const base = {case: name, calls: instances * callsPerInstance};
  let serverThrottles = 0;
  try {
    const server = await startLoopbackServer(() => {
      serverThrottles++;
      return new Response('Too Many Requests', {status: 429, headers: {'content-type': 'text/plain'}});
    });
    const shared = shareGuard
      ? watched(createThrottleGuard(brightdata.throttleGuard ?? {maxThrottles: 10, windowMs: 5 * 60_000}))
      : undefined;
    // `throttleGuard` takes a shared guard value once `createThrottleGuard()` values are accepted;
    // before that the option is a boolean and each instance keeps its own (detected below).
    const options = (shared === undefined ? {} : {throttleGuard: shared.value}) as VendorOptions;
    const apis = Array.from({length: instances}, () =>
      ky.create({prefix: `${server.url}/`, ...withVendor(brightdata, options)}),
    );
    const signal = AbortSignal.timeout(DEADLINE_MS);
    const failures: Record<string, {count: number; future: number; past: number; none: number}> = {};
    let ok = 0;
    const started = performance.now();
    try {
      await Promise.all(
        apis.flatMap((api) =>
          Array.from({length: callsPerInstance}, async (_, i) => {
            try {
              await api.get(`datasets/v3/progress/s_${i}`, {signal});
              ok++;
            } catch (error) {
              const at = Date.now();
              const className = error instanceof Error ? error.constructor.name : typeof error;
              const entry = failures[className] ?? {count: 0, future: 0, past: 0, none: 0};
              failures[className] = entry;
              entry.count++;
              const retryAt = (error as {retryAt?: unknown}).retryAt;
              if (!(retryAt instanceof Date)) entry.none++;
              else if (retryAt.getTime() > at) entry.future++;
              else entry.past++;
            }
          }),
        ),
      );
    } finally {
      await server.close();
    }
    return {
      ...base,
      serverThrottles,
      seconds: (performance.now() - started) / 1000,
      failures,
      ok,
      ...(shared === undefined ? {} : {guard: shared.used() ? 'shared' : 'separate'}),
    };
  } catch (error) {
    return {
      ...base,
      serverThrottles,
      seconds: Number.NaN,
      failures: {},
      ok: 0,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};

export const runGuard = async (): Promise<GuardOutcome[]> => {
  const outcomes = [
    await runCase('1 instance, 40 concurrent', 1, 40, false),
    await runCase('1 instance, 200 concurrent', 1, 200, false),
    await runCase('3 instances × 40 concurrent, one guard', 3, 40, true),
  ];
  printTable(
    'BrightData throttle guard: every request answered 429 (ban at 25 in 5 min; allowance 10)',
    outcomes.map((row) => ({
      case: row.guard === 'separate' ? `${row.case} (not shareable yet: separate guards)` : row.case,
      calls: row.calls,
      '429s at server': row.serverThrottles,
      seconds: Number.isNaN(row.seconds) ? 'error' : fixed(row.seconds),
      ok: row.ok,
      'failed as (retryAt future/past/none)':
        row.error ??
        Object.entries(row.failures)
          .map(([name, f]) => `${f.count} ${name} (${f.future}/${f.past}/${f.none})`)
          .join(', '),
    })),
  );
  return outcomes;
};

if (import.meta.main) {
  await runGuard();
}
