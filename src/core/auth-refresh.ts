/**
 * @module How an auth helper lets the decision kernel renew an expired credential.
 */
import type {Hooks} from 'ky';
import type {FailureVerdict} from './types.ts';

/**
 * What an auth helper offers when its credential can expire (Huawei IAM tokens): which verdicts
 * mean "expired", and how to get a fresh credential. The kernel asks once per call; the helper's
 * own `beforeRetry` hook then puts the fresh credential on the resent request.
 */
export type AuthRefresh = {
  /** Whether this verdict means the credential expired (and a fresh one can be had). */
  readonly refreshes: (verdict: FailureVerdict) => boolean;
  /** Gets a fresh credential; `request` carries the stale one. */
  readonly refresh: (request: Request) => Promise<void>;
};

/** Where an auth helper's hooks carry their `AuthRefresh` (a symbol: ky never sees it). */
export const AUTH_REFRESH: unique symbol = Symbol.for('ky-vendors.auth-refresh');

/** Auth helper hooks, optionally able to renew their credential. */
export type AuthHooks = Hooks & {readonly [AUTH_REFRESH]?: AuthRefresh};

/** The refresh an auth helper offers, if any. */
export const authRefreshOf = (hooks: Hooks | undefined): AuthRefresh | undefined =>
  (hooks as AuthHooks | undefined)?.[AUTH_REFRESH];
