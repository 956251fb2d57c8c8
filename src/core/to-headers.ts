/**
 * @module Headers from whatever the caller has: a `Headers`, a plain object, or nothing.
 */

/** Header input accepted by `classify()`. */
export type HeadersInit = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Converts header input to `Headers`, dropping entries that are not valid header names or values. */
export const toHeaders = (input: HeadersInit | null | undefined): Headers => {
  if (input instanceof Headers) {
    return input;
  }
  const headers = new Headers();
  if (input === null || typeof input !== 'object') {
    return headers;
  }
  for (const [name, value] of Object.entries(input)) {
    const joined = Array.isArray(value) ? value.join(', ') : value;
    if (typeof joined !== 'string') {
      continue;
    }
    try {
      headers.append(name, joined);
    } catch {
      // An invalid header name or value is not evidence of anything.
    }
  }
  return headers;
};
