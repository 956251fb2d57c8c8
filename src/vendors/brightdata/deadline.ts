/**
 * @module One deadline shared by the steps of an operation (trigger, wait, download).
 */
import {DEFAULT_POLL_OPTIONS, type PollOptions} from '../../poll/poll.ts';

/** The time left of an operation's `timeoutMs`, and poll options carrying only that time. */
export type Deadline = {
  /** Milliseconds left, never negative. */
  readonly remainingMs: () => number;
  /** `options` with `timeoutMs` set to the time left, for the next step. */
  readonly rest: <T extends PollOptions>(options: T) => T;
};

/**
 * Starts the clock of one operation: each step gets what is left, so a 202 right after `ready`
 * cannot restart the budget (BrightData's own SDK had to fix exactly that).
 */
export const startDeadline = (options: PollOptions): Deadline => {
  const startedAt = Date.now();
  const totalMs = options.timeoutMs ?? DEFAULT_POLL_OPTIONS.timeoutMs;
  const remainingMs = (): number => Math.max(0, totalMs - (Date.now() - startedAt));
  return {remainingMs, rest: (step) => ({...step, timeoutMs: remainingMs()})};
};
