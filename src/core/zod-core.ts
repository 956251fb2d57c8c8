/**
 * @module The few zod schemas the built-in vendors' envelopes are written with, built on
 * `zod/v4/core`: the classes `zod` and `zod/mini` are made of, which zod recommends to libraries
 * built on it. They parse exactly as `zod/mini`'s, but a browser bundle does not carry zod/mini's
 * schema methods (`parse`, `check`, `clone`, `register`, …) that classification never calls, nor
 * zod's error classes: classification only asks whether a body matches and for the value parsed,
 * which it gets through the Standard Schema interface every zod schema implements.
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
} from 'zod/v4/core';

/** A zod schema with the `safeParse` method an envelope's schema needs (see `EnvelopeSchema`). */
export type Parsable<Schema extends $ZodType> = Schema & {
  readonly safeParse: (value: unknown) => {readonly success: boolean; readonly data?: output<Schema>};
};

/**
 * Gives a schema the synchronous `safeParse` classification calls, answered by the schema's
 * Standard Schema `validate`. Where zod's `safeParse` throws (an async refinement, a check that
 * throws), this throws too, and `classify()` decides on the status alone, as it does for zod's.
 *
 * @example
 * ```ts
 * parsable(new $ZodString({type: 'string'})).safeParse('a'); // {success: true, data: 'a'}
 * ```
 */
export const parsable = <Schema extends $ZodType>(schema: Schema): Parsable<Schema> =>
  Object.assign(schema, {
    safeParse: (value: unknown) => {
      const result = schema['~standard'].validate(value);
      if (result instanceof Promise) {
        // zod answers asynchronously only after a synchronous run threw or hit an async check.
        result.catch(() => {});
        throw new TypeError('An envelope schema must parse synchronously');
      }
      return result.issues === undefined
        ? {success: true, data: result.value as output<Schema>}
        : {success: false};
    },
  });

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
  return parsable(schema);
};
