/**
 * @module The default limiter key of a request: the vendor and the host it calls.
 */

/**
 * The key function used when none is given: `vendor:host`, so each vendor endpoint (and each
 * Huawei region) gets its own rate.
 *
 * @example
 * ```ts
 * limiterKey('upyun')(new Request('https://v0.api.upyun.com/bucket/file.jpg')); // 'upyun:v0.api.upyun.com'
 * ```
 */
export const limiterKey =
  (vendor: string) =>
  (request: Request): string =>
    `${vendor}:${hostOf(request.url)}`;

/**
 * The host of a request URL. `request.url` is already serialized (lower-case host, no default
 * port, no credentials: a Request refuses them), so for http(s) the host is the text between
 * `//` and the next `/`; this runs on every response, and `new URL()` costs more than the rest.
 */
const hostOf = (url: string): string => {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  if (start === -1) {
    return new URL(url).host;
  }
  const end = url.indexOf('/', start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
};
