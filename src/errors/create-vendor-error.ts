/**
 * @module Picks the error class for a verdict and builds the error.
 */
import type {Category, FailureVerdict, VendorCodeValue} from '../core/types.ts';
import {AuthError} from './AuthError.ts';
import {ConflictError} from './ConflictError.ts';
import {JobFailedError} from './JobFailedError.ts';
import {NotFoundError} from './NotFoundError.ts';
import {NotReadyError} from './NotReadyError.ts';
import {QuotaError} from './QuotaError.ts';
import {RateLimitError} from './RateLimitError.ts';
import {ServerError} from './ServerError.ts';
import {ValidationError} from './ValidationError.ts';
import type {VendorError, VendorErrorInit} from './VendorError.ts';

type ErrorClass = new (init: VendorErrorInit) => VendorError;

/** The error class thrown for each category. */
export const ERROR_CLASSES: Readonly<Record<Category, ErrorClass>> = {
  auth: AuthError,
  permission: AuthError,
  validation: ValidationError,
  not_found: NotFoundError,
  conflict: ConflictError,
  quota: QuotaError,
  rate_limited: RateLimitError,
  not_ready: NotReadyError,
  job_failed: JobFailedError,
  transient: ServerError,
  server: ServerError,
  unknown: ServerError,
};

/** Request-side facts that the verdict does not carry. */
export type ErrorContext = Omit<VendorErrorInit, keyof FailureVerdict | 'retryAt'> & {
  readonly nowMs?: number;
};

/**
 * Builds the typed error for a verdict: the class by category; `delayMs` is the decided wait when
 * the context gives one, else the wait the response stated, else the vendor's documented one, and
 * `retryAt` follows from it.
 *
 * @example
 * ```ts
 * throw createVendorError(verdict, {attempts: 3, method: 'GET', url});
 * ```
 */
export const createVendorError = <Code extends VendorCodeValue>(
  verdict: FailureVerdict<Code>,
  context: ErrorContext = {},
): VendorError<Code> => {
  const {nowMs = Date.now(), ...rest} = context;
  const ErrorClass = ERROR_CLASSES[verdict.category] ?? ERROR_CLASSES.unknown;
  const delayMs = rest.delayMs ?? verdict.statedDelayMs ?? verdict.defaultDelayMs;
  const retryAt = delayMs === undefined ? undefined : new Date(nowMs + delayMs);
  return new ErrorClass({...rest, ...verdict, delayMs, retryAt}) as VendorError<Code>;
};
