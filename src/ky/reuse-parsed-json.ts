/**
 * @module Parse once: the JSON value a body read for classification had, handed to the caller's
 * `.json()` through ky's `parseJson` option instead of parsing the same text again.
 */

/** ky's `parseJson` option. */
export type ParseJson = (text: string, context: {request: Request; response: Response}) => unknown;

/** The text a rebuilt response will give and the value it parses to, until its `.json()` runs. */
const parsed = new WeakMap<Response, {readonly text: string; readonly value: unknown}>();

/**
 * Remembers that `response`'s body is `text`, which `JSON.parse` turns into `value`. Held weakly:
 * a response dropped unread frees the value with it.
 */
export const rememberParsedJson = (response: Response, text: string, value: unknown): void => {
  parsed.set(response, {text, value});
};

/**
 * A `parseJson` for ky that returns the value already parsed for `response` when ky hands it the
 * same text, once (a body is read once); any other text goes to `JSON.parse`, as ky would. Given
 * the caller's own parser (`fallback`), every text goes to it: a value parsed with plain
 * `JSON.parse` is no stand-in for a parser with its own rules. The reused value is the one
 * classification saw, not a fresh copy: nothing in the library changes it.
 *
 * Installed as ky's `parseJson`, it also runs for `.json(schema)` on an empty body, where ky's
 * own shortcut returns `undefined` without parsing: `JSON.parse('')` throws there instead.
 *
 * @example
 * ```ts
 * const api = ky.create({prefix, parseJson: reuseParsedJson(options.parseJson)});
 * ```
 */
export const reuseParsedJson = (fallback?: ParseJson): ParseJson => {
  if (fallback !== undefined) return fallback;
  return (text, context) => {
    const hit = parsed.get(context.response);
    if (hit !== undefined && hit.text === text) {
      parsed.delete(context.response);
      return hit.value;
    }
    return JSON.parse(text);
  };
};
