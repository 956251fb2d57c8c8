/**
 * @module A ky instance with a vendor's policy against a loopback server, tuned for fast tests
 * (short waits, no jitter), recording the retry and give-up events it fires.
 */
import ky from 'ky';
import {
  type GiveUpEvent,
  type RetryEvent,
  type Vendor,
  type VendorOptions,
  withVendor,
} from '../../src/index.ts';

/**
 * @example
 * ```ts
 * const {api, retries, giveUps} = recordingClient(loopback.url, upyun, {retryLimit: 2});
 * ```
 */
export const recordingClient = (
  prefix: string,
  vendor: Vendor,
  options: VendorOptions = {},
  headers: Record<string, string> = {},
) => {
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const api = ky.create({
    prefix,
    headers,
    ...withVendor(vendor, {
      maxWaitMs: 5,
      baseDelayMs: 1,
      maxDelayMs: 5,
      random: () => 0,
      onRetry: (event) => retries.push(event),
      onGiveUp: (event) => giveUps.push(event),
      ...options,
    }),
  });
  return {api, retries, giveUps};
};
