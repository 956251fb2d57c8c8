/**
 * @module Whether a request may be sent again.
 */
import type {FailureVerdict} from '../core/types.ts';

/** Methods that are safe to resend: sending twice has the effect of sending once. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'QUERY',
  'TRACE',
]);

/**
 * A request may be resent when its method is idempotent, when the vendor proved it had no effect
 * (`processed === false`), or when the caller said it is safe (`context: {idempotent: true}`).
 * A POST or PATCH whose outcome is unknown is never resent by default: it could start a second
 * paid job.
 */
export const mayResend = (
  method: string,
  verdict: Pick<FailureVerdict, 'processed'> | undefined,
  optIn: boolean,
): boolean => optIn || verdict?.processed === false || IDEMPOTENT_METHODS.has(method.toUpperCase());
