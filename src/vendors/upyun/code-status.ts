/**
 * @module The HTTP status an UPYUN code stands for: its first three digits.
 */
import type {VendorCodeValue} from '../../core/types.ts';

const eightDigits = /^\d{8}$/;

/**
 * The HTTP status an eight-digit UPYUN code stands for: its first three digits. `undefined` for
 * anything that is not an eight-digit code or whose digits are no HTTP status.
 *
 * @example
 * ```ts
 * upyunCodeStatus(42900007); // 429
 * upyunCodeStatus('oops'); // undefined
 * ```
 */
export const upyunCodeStatus = (code: VendorCodeValue): number | undefined => {
  const digits = String(code);
  if (!eightDigits.test(digits)) {
    return undefined;
  }
  const status = Number(digits.slice(0, 3));
  return status >= 100 && status <= 599 ? status : undefined;
};

/**
 * `upyunCodeStatus` for a literal code, as a type: `UpyunStatusOf<42900007>` is `429`.
 *
 * @example
 * ```ts
 * const status: UpyunStatusOf<40400001> = 404;
 * ```
 */
export type UpyunStatusOf<Code extends number> = `${Code}` extends `${infer A}${infer B}${infer C}${string}`
  ? `${A}${B}${C}` extends `${infer Status extends number}`
    ? Status
    : never
  : never;
