/**
 * @module Every way an error or an event can be printed, logged or serialised, for leak searches.
 */
import {inspect} from 'node:util';

const safely = (print: () => string | undefined): string => {
  try {
    return print() ?? '';
  } catch (error) {
    return `<threw ${String(error)}>`;
  }
};

const deep = {depth: Number.POSITIVE_INFINITY} as const;
const hidden = {showHidden: true, depth: Number.POSITIVE_INFINITY} as const;
const everything = {showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true} as const;

/** Views of any value: String(), JSON, and util.inspect plain, deep, with hidden fields and getters. */
const valueViews = (label: string, value: unknown): [string, string][] => [
  [`${label} String()`, safely(() => String(value))],
  [`${label} JSON`, safely(() => JSON.stringify(value))],
  [`${label} inspect`, safely(() => inspect(value))],
  [`${label} inspect depth ∞`, safely(() => inspect(value, deep))],
  [`${label} inspect showHidden`, safely(() => inspect(value, hidden))],
  [`${label} inspect showHidden getters`, safely(() => inspect(value, everything))],
];

/**
 * Every view of an error, labelled: `message`, `stack`, `String()`, `toString()`, `toJSON()` and
 * `JSON.stringify`, `util.inspect` (plain, `depth: Infinity`, `showHidden`, `getters`), `url`,
 * `envelope`, `data`, the spread `{...error}` (what pino's serializer copies), and the same for
 * each error of the `cause` chain.
 */
export const errorViews = (error: unknown): [string, string][] => {
  const result: [string, string][] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const label = depth === 0 ? 'error' : `cause ${depth}`;
    const fields = current as {
      message?: unknown;
      stack?: unknown;
      url?: unknown;
      envelope?: unknown;
      data?: unknown;
      toJSON?: () => unknown;
    };
    result.push([`${label} message`, safely(() => String(fields.message))]);
    result.push([`${label} stack`, safely(() => String(fields.stack))]);
    result.push([`${label} toString()`, safely(() => (current as object).toString())]);
    result.push([
      `${label} toJSON()`,
      safely(() => (typeof fields.toJSON === 'function' ? JSON.stringify(fields.toJSON()) : '')),
    ]);
    result.push([`${label} url`, safely(() => String(fields.url))]);
    result.push(...valueViews(label, current));
    result.push(...valueViews(`${label} envelope`, fields.envelope));
    result.push(...valueViews(`${label} data`, fields.data));
    result.push(...valueViews(`${label} {...spread}`, {...(current as object)}));
    current = (current as {cause?: unknown}).cause;
  }
  return result;
};

/** Every view of an event payload (its `error` included, through the event's own views). */
export const eventViews = (label: string, event: unknown): [string, string][] => [
  ...valueViews(label, event),
  ...((event as {error?: unknown}).error === undefined
    ? []
    : errorViews((event as {error?: unknown}).error).map(([view, text]): [string, string] => [
        `${label} ${view}`,
        text,
      ])),
];

/** The views that contain one of `secrets`, as `view: secret prefix…`. */
export const leaksIn = (views: readonly [string, string][], secrets: readonly string[]): string[] =>
  views.flatMap(([label, text]) =>
    secrets.filter((secret) => text.includes(secret)).map((secret) => `${label}: ${secret.slice(0, 10)}…`),
  );
