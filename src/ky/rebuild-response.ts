/**
 * @module `rebuildResponse()`: a new `Response` with another body and everything else of the old one.
 */

/** Statuses whose `Response` may not have a body (the constructor throws on one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `Response` like `response` (status, status text, headers, and `url`, `redirected` and `type`,
 * which the constructor cannot set and are copied as own properties) whose body is `body`. The
 * old response's body must already be used or given up: the new one stands in for it.
 */
export const rebuildResponse = (response: Response, body: BodyInit | null): Response => {
  const rebuilt = new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  if (response.url !== '') Object.defineProperty(rebuilt, 'url', {value: response.url});
  if (response.redirected) Object.defineProperty(rebuilt, 'redirected', {value: true});
  if (response.type !== rebuilt.type) Object.defineProperty(rebuilt, 'type', {value: response.type});
  return rebuilt;
};
