/**
 * @module The `Request` a `fetch(input, init)` call stands for.
 */

/**
 * `input` itself when it is a `Request` (ky always passes one), else a `Request` with the URL,
 * method and headers of the call, enough for keys and decisions (no body).
 *
 * @example
 * ```ts
 * const key = limiterKey('upyun')(toRequest(input, init));
 * ```
 */
export const toRequest = (input: string | URL | Request, init?: RequestInit): Request =>
  input instanceof Request
    ? input
    : new Request(input instanceof URL ? input.href : input, {
        method: init?.method ?? 'GET',
        headers: init?.headers ?? {},
      });
