/**
 * @module Diagnostics channels: every attempt on `node:diagnostics_channel`.
 */
export type {AttemptPayload, VerdictPayload} from './channel-payload.ts';
export type {DiagnosticsOptions, LimiterRatePayload, LimiterWaitPayload} from './diagnostics-channels.ts';
export {CHANNELS, diagnosticsChannels} from './diagnostics-channels.ts';
