/**
 * @module Helpers for vendors' rate keys: the quota unit of a request, without credentials in it.
 */

/**
 * A short, stable fingerprint of a credential (FNV-1a, 32 bits, hex): requests made with the same
 * key share a quota, and the key itself never appears in a limiter key, a store or a log.
 *
 * @example
 * ```ts
 * fingerprint('Bearer sk-123'); // '5c0a3e8f' (for example)
 * ```
 */
export const fingerprint = (value: string | null | undefined): string => {
  if (value === null || value === undefined || value === '') {
    return 'anonymous';
  }
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/**
 * The host and the path segments of a request URL (`request.url` is already normalised).
 *
 * @example
 * ```ts
 * urlParts('https://v0.api.upyun.com/bucket/a/b.txt'); // {host: 'v0.api.upyun.com', segments: ['bucket', 'a', 'b.txt']}
 * ```
 */
export const urlParts = (url: string): {readonly host: string; readonly segments: readonly string[]} => {
  try {
    const parsed = new URL(url);
    return {host: parsed.host, segments: parsed.pathname.split('/').filter((segment) => segment !== '')};
  } catch {
    return {host: '', segments: []};
  }
};
