/**
 * @module `waitWhileBusy()`: resend a request that Octopus turned away because a job is still running.
 */
import {NotReadyError} from '../../errors/NotReadyError.ts';
import {type PollContext, type PollOptions, poll} from '../../poll/poll.ts';

/**
 * Options of `waitWhileBusy()`: the poll options, with defaults for Octopus jobs (a wait of 5 s
 * growing by half each time up to 30 s; Octopus documents no interval, only "请稍后再试").
 *
 * @example
 * ```ts
 * const options: WaitWhileBusyOptions = {timeoutMs: 120_000, onPoll: ({elapsedMs}) => log('busy', elapsedMs)};
 * ```
 */
export type WaitWhileBusyOptions = PollOptions;

/**
 * The defaults of `waitWhileBusy()`, in one place.
 *
 * @example
 * ```ts
 * await waitWhileBusy(send, {timeoutMs: DEFAULT_BUSY_OPTIONS.timeoutMs / 2});
 * ```
 */
export const DEFAULT_BUSY_OPTIONS = {
  timeoutMs: 600_000,
  intervalMs: 5_000,
  growth: 1.5,
  maxIntervalMs: 30_000,
} as const;

/** Carries an error that must end the wait through the poll loop untouched. */
class Final extends Error {
  override name = 'Final';
  readonly error: unknown;
  constructor(error: unknown) {
    super('final');
    this.error = error;
  }
}

/**
 * Sends a request, and while the answer is "busy" (`NotReadyError`: Octopus `107005` a scenario
 * job is already running, `007004` the image status does not allow it, `109004` the job status
 * is abnormal, `202210` the label task runs in another version) sends it again after a wait,
 * until it goes through or `timeoutMs` passes. Any other error ends the wait at once, including
 * transient ones, so a POST whose outcome is unknown is never sent twice from here (the ky
 * instance's own policy already retried what could be retried).
 *
 * @throws {NotReadyError} when `timeoutMs` passes while the resource is still busy.
 * @example
 * ```ts
 * const job = await waitWhileBusy(
 *   ({signal}) => octopus.post('sim/pm/batches', {json: {name, batch_config}, signal}).json<Batch>(),
 *   {timeoutMs: 120_000},
 * );
 * ```
 */
export const waitWhileBusy = async <T>(
  send: (context: PollContext) => Promise<T>,
  options: WaitWhileBusyOptions = {},
): Promise<T> => {
  try {
    return await poll(
      async (context) => {
        try {
          return {done: true, value: await send(context)};
        } catch (error) {
          if (error instanceof NotReadyError) {
            throw error;
          }
          throw new Final(error);
        }
      },
      {...DEFAULT_BUSY_OPTIONS, ...options},
    );
  } catch (error) {
    throw error instanceof Final ? error.error : error;
  }
};
