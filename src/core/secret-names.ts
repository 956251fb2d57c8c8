/**
 * @module `isSecretName()`: which parameter, field and header names hold credentials.
 */

/**
 * Words that make a name secret wherever they appear in it, case-insensitively and whatever the
 * separators (`access_token`, `client-secret`, `X-Amz-Signature`, `apiKey`, `sessionid`). `sig`
 * covers `signature` and `sign`; `pass` covers `password` and `passwd`; `auth` covers
 * `authorization`; `cookie` covers `Set-Cookie`; `credential` AWS's `X-Amz-Credential`.
 */
const SECRET_WORDS = /token|key|secret|sig|pass|auth|credential|session|cookie/i;

/**
 * Whether a query parameter, JSON field or header named `name` carries a credential: its name
 * contains `token`, `key`, `secret`, `sig`, `pass` (`password`, `passwd`), `auth`, `credential`,
 * `session` or `cookie`, in any case and with any separators. This covers `Authorization`,
 * `Cookie`, `Set-Cookie`, `Access-Key`, `X-Auth-Token`, `Proxy-Authorization`, the vendors' own
 * headers and the common query parameters (`access_token`, `client_secret`, `sig`, `api_key`).
 * Deliberately broad: a field wrongly hidden costs a log line, a credential shown costs the account.
 *
 * @example
 * ```ts
 * isSecretName('X-Amz-Signature'); // true
 * isSecretName('dataset_id'); // false
 * ```
 */
export const isSecretName = (name: string): boolean => SECRET_WORDS.test(name);
