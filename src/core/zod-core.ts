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
  type $strip,
  $ZodArray,
  $ZodCatch,
  $ZodEnum,
  $ZodNullable,
  $ZodNumber,
  $ZodObject,
  $ZodOptional,
  type $ZodShape,
  $ZodString,
  type $ZodType,
  $ZodUnion,
  $ZodUnknown,
  type output,
  type util,
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
export const number = (): $ZodNumber => new $ZodNumber({type: 'number', checks: []});

/** `z.string()`. */
export const string = (): $ZodString => new $ZodString({type: 'string'});

/** `z.unknown()`. */
export const unknown = (): $ZodUnknown => new $ZodUnknown({type: 'unknown'});

/** `z.enum(values)`: one of these strings. */
const enumOf = <const Values extends readonly string[]>(
  values: Values,
): $ZodEnum<util.ToEnum<Values[number]>> =>
  new $ZodEnum({
    type: 'enum',
    entries: Object.fromEntries(values.map((value) => [value, value])),
  }) as unknown as $ZodEnum<util.ToEnum<Values[number]>>;

export {enumOf as enum};

/** `z.array(element)`. */
export const array = <const Element extends $ZodType>(element: Element): $ZodArray<Element> =>
  new $ZodArray({type: 'array', element}) as unknown as $ZodArray<Element>;

/** `z.union(options)`: the first option that matches. */
export const union = <const Options extends readonly $ZodType[]>(options: Options): $ZodUnion<Options> =>
  // The constructors' declared types drop the inner schemas' types; `def` holds exactly these.
  new $ZodUnion({type: 'union', options}) as unknown as $ZodUnion<Options>;

/** `z.optional(inner)`: `undefined` or a missing key too. */
export const optional = <const Inner extends $ZodType>(inner: Inner): $ZodOptional<Inner> =>
  new $ZodOptional({type: 'optional', innerType: inner}) as unknown as $ZodOptional<Inner>;

/** `z.nullish(inner)`: `null`, `undefined` or a missing key too. */
export const nullish = <const Inner extends $ZodType>(inner: Inner): $ZodOptional<$ZodNullable<Inner>> =>
  optional(new $ZodNullable({type: 'nullable', innerType: inner}) as unknown as $ZodNullable<Inner>);

/** `z.catch(inner, value)`: `value` wherever `inner` does not match. */
const catchWith = <const Inner extends $ZodType>(inner: Inner, value: output<Inner>): $ZodCatch<Inner> =>
  new $ZodCatch({
    type: 'catch',
    innerType: inner,
    // Not zod/mini's `util.constantCatch(value)`: its tag serves only `z.compile()`, and reaching
    // zod's `util` namespace from here would ship all of it (about 11 KB) with every vendor that uses it.
    catchValue: () => value,
  }) as unknown as $ZodCatch<Inner>;

export {catchWith as catch};

/**
 * `z.object(shape)`: an object with these keys, other keys left out of the value parsed. The
 * schema gets its `safeParse` so that it can be an envelope's.
 *
 * @example
 * ```ts
 * envelope(object({error: string()}), (body) => ({message: body.error}));
 * ```
 */
export const object = <const Shape extends $ZodShape>(shape: Shape): Parsable<$ZodObject<Shape, $strip>> =>
  parsable(new $ZodObject({type: 'object', shape}) as unknown as $ZodObject<Shape, $strip>);

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
): Parsable<$ZodObject<Shape, $loose>> =>
  parsable(
    new $ZodObject({type: 'object', shape, catchall: unknown()}) as unknown as $ZodObject<Shape, $loose>,
  );
