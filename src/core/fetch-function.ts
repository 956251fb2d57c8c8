/**
 * @module The shape of `fetch` that ky calls.
 */

/**
 * The shape of `fetch` that ky calls (and that `globalThis.fetch` satisfies).
 *
 * @example
 * ```ts
 * const logged: FetchFunction = async (input, init) => fetch(input, init);
 * ```
 */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
