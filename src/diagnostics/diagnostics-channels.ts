/**
 * @module `diagnosticsChannels()`: every attempt, retry, give-up, throttle and limiter change on
 * `node:diagnostics_channel`, where the runtime has it.
 */
import type {Channel} from 'node:diagnostics_channel';
import type {AttemptQueuedEvent, CallObserver} from '../ky/call-observer.ts';
import type {Limiter, LimiterChange} from '../policy/limiter/create-limiter.ts';
import {attemptPayload} from './channel-payload.ts';

/**
 * The channel names. Subscribe with `diagnostics_channel.subscribe(name, listener)`.
 *
 * @example
 * ```ts
 * import {subscribe} from 'node:diagnostics_channel';
 * subscribe(CHANNELS.throttle, (payload) => console.log('throttled', payload.key));
 * ```
 */
export const CHANNELS = Object.freeze({
  /** Every ended attempt (`AttemptPayload`). */
  attempt: 'ky-vendors:attempt',
  /** Attempts the call resends (`AttemptPayload`, `outcome: 'retry'`). */
  retry: 'ky-vendors:retry',
  /** Attempts after which the call throws its typed error (`AttemptPayload`, `outcome: 'give-up'`). */
  giveUp: 'ky-vendors:give-up',
  /** Throttled answers (`AttemptPayload`, `verdict.action: 'throttle'`). */
  throttle: 'ky-vendors:throttle',
  /** Limiter waits (`LimiterWaitPayload`) and rate changes (`LimiterRatePayload`). */
  limiter: 'ky-vendors:limiter',
} as const);

/** Published on `ky-vendors:limiter` when an attempt got its turn after waiting. */
export type LimiterWaitPayload = Readonly<
  {type: 'wait'} & Pick<AttemptQueuedEvent, 'vendor' | 'callId' | 'attempt' | 'key' | 'queuedMs'>
>;

/** Published on `ky-vendors:limiter` when a key's rate changes. */
export type LimiterRatePayload = Readonly<{type: 'rate'} & LimiterChange>;

type DiagnosticsChannel = Pick<typeof import('node:diagnostics_channel'), 'channel'>;

type Channels = Readonly<Record<keyof typeof CHANNELS, Channel>>;

/** A variable, not a literal: bundlers must not pull a Node module into a browser build. */
const MODULE_ID = 'node:diagnostics_channel';

const isNode = (): boolean =>
  typeof (globalThis as {process?: {versions?: {node?: unknown}}}).process?.versions?.node === 'string';

/**
 * `node:diagnostics_channel`, or `undefined` where the runtime has none (browsers). Read through
 * `process.getBuiltinModule`, so no bundler follows a static import into a browser build.
 */
const loadModule = (): DiagnosticsChannel | undefined => {
  try {
    const getBuiltinModule = (globalThis as {process?: {getBuiltinModule?: (id: string) => unknown}}).process
      ?.getBuiltinModule;
    return getBuiltinModule?.(MODULE_ID) as DiagnosticsChannel | undefined;
  } catch {
    return undefined;
  }
};

/**
 * `diagnosticsChannels()` options. Every field is optional.
 *
 * @example
 * ```ts
 * diagnosticsChannels({limiter});
 * ```
 */
export type DiagnosticsOptions = {
  /**
   * A limiter whose rate changes are published on `ky-vendors:limiter` (pass the one given to
   * `withVendor()`).
   * @default undefined (waits only)
   */
  readonly limiter?: Limiter;
};

/**
 * A `CallObserver` that publishes on the `CHANNELS`. Nothing is built while a channel has no
 * subscriber (`channel.hasSubscribers`), and nothing at all where the runtime has no
 * `node:diagnostics_channel`. Payloads are frozen copies with redacted URLs and messages and no
 * request object, so no header can leak.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix, ...withVendor(upyun, {observers: [diagnosticsChannels()]})});
 * diagnostics_channel.subscribe('ky-vendors:retry', ({vendor, status, delayMs}) => log(vendor, status, delayMs));
 * ```
 */
export const diagnosticsChannels = (options: DiagnosticsOptions = {}): CallObserver => {
  let channels: Channels | undefined;
  const ready = (module: DiagnosticsChannel): void => {
    channels = {
      attempt: module.channel(CHANNELS.attempt),
      retry: module.channel(CHANNELS.retry),
      giveUp: module.channel(CHANNELS.giveUp),
      throttle: module.channel(CHANNELS.throttle),
      limiter: module.channel(CHANNELS.limiter),
    };
  };
  const module = loadModule();
  if (module !== undefined) {
    ready(module);
  } else if (isNode()) {
    // Node before 22.3 has no getBuiltinModule: load it once, events before then are not published.
    void import(/* @vite-ignore */ MODULE_ID).then(ready, () => {});
  }
  options.limiter?.onChange((change) => {
    const limiter = channels?.limiter;
    if (limiter?.hasSubscribers)
      limiter.publish(Object.freeze({type: 'rate', ...change}) satisfies LimiterRatePayload);
  });
  return {
    onAttemptQueued: (event) => {
      const limiter = channels?.limiter;
      if (!limiter?.hasSubscribers) return;
      const {vendor, callId, attempt, key, queuedMs} = event;
      limiter.publish(
        Object.freeze({type: 'wait', vendor, callId, attempt, key, queuedMs}) satisfies LimiterWaitPayload,
      );
    },
    onAttemptEnd: (event) => {
      if (channels === undefined) return;
      const {attempt, retry, giveUp, throttle} = channels;
      const toRetry = event.outcome === 'retry' && retry.hasSubscribers;
      const toGiveUp = event.outcome === 'give-up' && giveUp.hasSubscribers;
      const toThrottle = event.verdict?.action === 'throttle' && throttle.hasSubscribers;
      if (!attempt.hasSubscribers && !toRetry && !toGiveUp && !toThrottle) return;
      const payload = attemptPayload(event);
      if (attempt.hasSubscribers) attempt.publish(payload);
      if (toRetry) retry.publish(payload);
      if (toGiveUp) giveUp.publish(payload);
      if (toThrottle) throttle.publish(payload);
    },
  };
};
