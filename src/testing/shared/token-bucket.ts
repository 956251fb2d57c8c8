/**
 * @module `tokenBucket()`: the rate limit of the simulated vendor (R per second, with a burst),
 * optionally changing over time.
 */

/**
 * From `atMs` (milliseconds after the bucket was created or last refilled) the bucket refills at
 * `ratePerSecond` and holds at most `burst` tokens (the bucket's own burst if unset).
 *
 * @example
 * ```ts
 * const schedule: RateStep[] = [{atMs: 4000, ratePerSecond: 50}, {atMs: 8000, ratePerSecond: 300}];
 * ```
 */
export type RateStep = {
  readonly atMs: number;
  readonly ratePerSecond: number;
  readonly burst?: number;
};

/** A token bucket read against an injected clock. */
export type TokenBucket = {
  /** Takes one token if there is one; `false` means the request is over the limit. */
  readonly take: () => boolean;
  /** Fills the bucket to its burst again and restarts its schedule (a simulator's `reset()`). */
  readonly refill: () => void;
  /** Whole tokens left now, without taking one (what a gateway reports as `remain`). */
  readonly remaining: () => number;
};

/**
 * Checks a rate schedule: finite non-negative `atMs` in increasing order, positive rates (or
 * `Infinity`), bursts of at least 1.
 *
 * @throws {TypeError} naming the first bad step.
 */
export const validateRateSchedule = (name: string, schedule: readonly RateStep[]): void => {
  let previous = -Infinity;
  for (const [index, step] of schedule.entries()) {
    const bad = (why: string) => new TypeError(`\`${name}[${index}]\` ${why}, got ${JSON.stringify(step)}`);
    if (typeof step !== 'object' || step === null) throw bad('must be an object');
    if (!Number.isFinite(step.atMs) || step.atMs < 0) throw bad('needs a finite, non-negative `atMs`');
    if (step.atMs <= previous) throw bad('must start after the step before it');
    if (!(typeof step.ratePerSecond === 'number' && step.ratePerSecond > 0)) {
      throw bad('needs a positive `ratePerSecond`');
    }
    if (step.burst !== undefined && !(Number.isFinite(step.burst) && step.burst >= 1)) {
      throw bad('needs a finite `burst` of at least 1');
    }
    previous = step.atMs;
  }
};

/**
 * A bucket holding at most `burst` tokens, refilled at `ratePerSecond`, then at each step of
 * `schedule` in turn. An infinite rate never refuses.
 *
 * @example
 * ```ts
 * const bucket = tokenBucket({ratePerSecond: 150, burst: 15, now: Date.now});
 * if (!bucket.take()) return tooManyRequests();
 * ```
 */
export const tokenBucket = ({
  ratePerSecond,
  burst,
  now,
  schedule = [],
}: {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly now: () => number;
  readonly schedule?: readonly RateStep[];
}): TokenBucket => {
  const steps: readonly RateStep[] = [{atMs: -Infinity, ratePerSecond, burst}, ...schedule];
  let origin = now();
  let tokens = burst;
  let last = origin;

  /** The step in force `elapsed` ms after the origin, and when the next one starts. */
  const stepAt = (elapsed: number): {step: RateStep; endsAt: number} => {
    let index = 0;
    while (index + 1 < steps.length && (steps[index + 1]?.atMs ?? 0) <= elapsed) index++;
    return {
      step: steps[index] ?? {atMs: 0, ratePerSecond, burst},
      endsAt: steps[index + 1]?.atMs ?? Infinity,
    };
  };
  const burstOf = (step: RateStep): number => step.burst ?? burst;

  /** Adds the tokens earned since the last read, step by step, each step capped at its burst. */
  const advance = (): RateStep => {
    const current = now();
    let at = last - origin;
    const to = current - origin;
    let {step, endsAt} = stepAt(at);
    while (at < to) {
      const end = Math.min(to, endsAt);
      tokens = Math.min(burstOf(step), tokens + ((end - at) * step.ratePerSecond) / 1000);
      at = end;
      if (at >= endsAt) ({step, endsAt} = stepAt(at));
    }
    tokens = Math.min(burstOf(step), tokens);
    last = Math.max(last, current);
    return step;
  };

  return {
    take: () => {
      const step = advance();
      if (step.ratePerSecond === Infinity) return true;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    refill: () => {
      tokens = burst;
      origin = now();
      last = origin;
    },
    remaining: () => {
      const step = advance();
      return step.ratePerSecond === Infinity ? burstOf(step) : Math.floor(tokens);
    },
  };
};
