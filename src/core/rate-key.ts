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
 * An http(s) URL already in the form `new URL()` serialises to, whose host and path read straight
 * off the string: a lowercase host name (not an IP address, which the parser rewrites), a port
 * the parser would keep, and a path of characters it keeps as they are, without dot segments.
 */
const SERIALIZED = /^(https?):\/\/([a-z\d.-]+)(?::([1-9]\d{0,4}))?(\/[\w\-.~!$&'()*+,;=:@%/]*)?(?=[?#]|$)/;
/** A last label that makes the host an IPv4 address to the parser (`127.1`, `0x7f.1`). */
const NUMERIC_END = /(?:^|\.)(?:\d+|0x[\da-f]*)\.?$/;
/** `.` and `..` segments, also percent-encoded, which the parser removes. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
const DEFAULT_PORTS: Readonly<Record<string, string>> = {http: '80', https: '443'};

/**
 * `host` and `pathname` of `url` as `new URL(url)` gives them, read off the string when it is
 * plainly serialised already (every `request.url`: the success path parses no URL), else parsed.
 * `undefined` when it is no URL.
 *
 * @example
 * ```ts
 * hostAndPath('https://api.brightdata.com/datasets/v3/progress/s_1?x=1');
 * // {host: 'api.brightdata.com', pathname: '/datasets/v3/progress/s_1'}
 * ```
 */
export const hostAndPath = (url: string): {readonly host: string; readonly pathname: string} | undefined => {
  const match = SERIALIZED.exec(url);
  if (match !== null) {
    const [, scheme = '', name = '', port, path = '/'] = match;
    if (
      !NUMERIC_END.test(name) &&
      !name.includes('xn--') &&
      (port === undefined || (port !== DEFAULT_PORTS[scheme] && Number(port) <= 65_535)) &&
      !DOT_SEGMENT.test(path)
    ) {
      return {host: port === undefined ? name : `${name}:${port}`, pathname: path};
    }
  }
  try {
    const parsed = new URL(url);
    return {host: parsed.host, pathname: parsed.pathname};
  } catch {
    return undefined;
  }
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
  const parts = hostAndPath(url);
  if (parts === undefined) {
    return {host: '', segments: []};
  }
  // One pass, one array: this runs for every attempt.
  const {pathname} = parts;
  const segments: string[] = [];
  let start = 0;
  while (start <= pathname.length) {
    const end = pathname.indexOf('/', start);
    const stop = end === -1 ? pathname.length : end;
    if (stop > start) {
      segments.push(pathname.slice(start, stop));
    }
    start = stop + 1;
  }
  return {host: parts.host, segments};
};
