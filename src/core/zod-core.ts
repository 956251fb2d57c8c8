/**
 * @module The few zod schemas the built-in vendors' envelopes are written with, built on
 * `zod/v4/core`: the classes `zod` and `zod/mini` are made of, which zod recommends to libraries
 * built on it. They parse exactly as `zod/mini`'s, but a browser bundle does not carry zod/mini's
 * schema methods (`parse`, `check`, `clone`, `register`, …) that classification never calls.
 */
import {
  type $loose,
  $ZodNumber,
  $ZodObject,
  type $ZodShape,
  $ZodString,
  type $ZodType,
  $ZodUnion,
  $ZodUnknown,
  type output,
  safeParse,
} from 'zod/v4/core';

/** A zod schema with the `safeParse` method an envelope's schema needs (see `EnvelopeSchema`). */
export type Parsable<Schema extends $ZodType> = Schema & {
  readonly safeParse: (value: unknown) => {readonly success: boolean; readonly data?: output<Schema>};
};

/** `z.number()`. */
export const number = (): $ZodNumber => new $ZodNumber({type: 'number'});

/** `z.string()`. */
export const string = (): $ZodString => new $ZodString({type: 'string'});

/** `z.union(options)`: the first option that matches. */
export const union = <const Options extends readonly $ZodType[]>(options: Options): $ZodUnion<Options> =>
  // The constructor's declared type drops the options' types; `def` holds exactly these.
  new $ZodUnion({type: 'union', options}) as unknown as $ZodUnion<Options>;

/**
 * `z.looseObject(shape)`: an object with these keys, other keys passed through as they are. The
 * schema gets its `safeParse` so that it can be an envelope's.
 *
 * @example
 * ```ts
 * envelope(looseObject({code: union([number(), string()])}), (body) => ({code: body.code}));
 * ```
 */
export const looseObject = <const Shape extends $ZodShape>(
  shape: Shape,
): Parsable<$ZodObject<Shape, $loose>> => {
  const schema = new $ZodObject({
    type: 'object',
    shape,
    catchall: new $ZodUnknown({type: 'unknown'}),
  }) as unknown as $ZodObject<Shape, $loose>;
  return Object.assign(schema, {safeParse: (value: unknown) => safeParse(schema, value)});
};
