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
    `${vendor}:${new URL(request.url).host}`;
