/**
 * @module `defineVendor()`: a vendor described as data, with its literal code union inferred.
 */
import type {$ZodType, output} from 'zod/v4/core';
import type {Rule} from './rule.ts';
import type {StatedRate, VendorCodeValue} from './types.ts';

/**
 * What a vendor's response tells about a failure, before the code table is consulted. Every
 * field is optional: a body may carry only a message, a header only a code.
 */
export type Evidence = {
  readonly code?: VendorCodeValue | undefined;
  readonly message?: string | undefined;
  readonly requestId?: string | undefined;
  /** A wait the body states (stated evidence: it wins over the table's documented wait). */
  readonly delayMs?: number | undefined;
  /**
   * The vendor's encoded explanation of a denied authorization (Huawei
   * `encoded_authorization_message`), to be decoded with the vendor's IAM.
   */
  readonly authorizationMessage?: string | undefined;
  /**
   * The code to use when `code` is absent and `message` matches no row: a body that is surely an
   * error (BrightData `{status: "failed"}`) must not pass as success for want of a known message.
   */
  readonly fallbackCode?: VendorCodeValue | undefined;
};

/** The response as `classify()` sees it: already parsed, never a stream. */
export type ResponseParts = {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
};

/**
 * A zod 4 schema for an envelope: built with the classic API (`import {z} from 'zod'`) or with
 * `zod/mini` (`import * as z from 'zod/mini'`), which keeps a browser bundle small. Both give
 * their schemas the `safeParse` that classification calls; a schema that needs async parsing
 * (an async `refine` or `transform`) cannot classify a response and is not accepted.
 */
export type EnvelopeSchema = $ZodType & {
  readonly safeParse: (value: unknown) => {readonly success: boolean; readonly data?: unknown};
};

/**
 * One JSON error shape of a vendor: a zod schema and how to read the evidence out of a body that
 * matches it. `read` returns `undefined` for a body that matches but reports success (Supametas
 * `{code: "0"}`), which stops the search through later envelopes.
 */
export type Envelope<Schema extends EnvelopeSchema = EnvelopeSchema> = {
  readonly schema: Schema;
  readonly read: (value: output<Schema>, parts: ResponseParts) => Evidence | undefined;
};

/**
 * Builds an `Envelope` with the `read` callback typed from the schema. The schema may come from
 * `zod` or from `zod/mini`; the built-in vendors build theirs on `zod/v4/core` (the classes both
 * are made of), so an application that uses neither bundles only zod's parser.
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini'; // or: import {z} from 'zod';
 *
 * envelope(z.object({msg: z.string(), code: z.number()}), body => ({code: body.code, message: body.msg}))
 * ```
 */
export const envelope = <Schema extends EnvelopeSchema>(
  schema: Schema,
  read: (value: output<Schema>, parts: ResponseParts) => Evidence | undefined,
): Envelope => ({schema, read}) as Envelope;

/** Input of a hint parser: the vendor's message, the body and the headers. */
export type HintInput = {
  readonly message: string | undefined;
  readonly body: unknown;
  readonly headers: Headers;
};

/** Reads a wait the response states (for example "try again in 10s"), in milliseconds. */
export type HintParser = (input: HintInput) => number | undefined;

/** Reads a rate the response states (for example "limit:5,time:1 second"). */
export type RateHintParser = (input: HintInput) => StatedRate | undefined;

/** What a successful response looks like to `inspect`, without its body. */
export type ResponseHead = {
  readonly status: number;
  readonly headers: Headers;
  readonly url: string;
  readonly method: string;
};

/** Status fallbacks: an exact status, or a class (`'4xx'`, `'5xx'`). */
export type StatusRules = Readonly<Partial<Record<number | '2xx' | '4xx' | '5xx', Rule>>>;

/** A vendor's code table: one row per documented code. */
export type CodeTable = Readonly<Record<VendorCodeValue, Rule>>;

/**
 * A vendor described as data. Everything but `name` and `codes` is optional.
 *
 * @example
 * ```ts
 * const acme = defineVendor({
 *   name: 'acme',
 *   hosts: ['api.acme.test'],
 *   envelopes: [envelope(z.object({error: z.string(), code: z.string()}), b => ({code: b.code, message: b.error}))],
 *   codes: {
 *     busy: {status: 429, message: 'slow down', ...throttled},
 *     bad_input: {status: 400, message: 'invalid input', ...validation},
 *   },
 * });
 * ```
 */
export type VendorDefinition<Name extends string = string, Codes extends CodeTable = CodeTable> = {
  /** The vendor's name, used in errors and events. */
  readonly name: Name;
  /**
   * Hosts this vendor answers on. An entry starting with a dot matches any subdomain
   * (`'.myhuaweicloud.com'`). Used by `matchesVendor()`; `withVendor()` applies the vendor to
   * every request of its instance regardless.
   * @default []
   */
  readonly hosts?: readonly string[];
  /** JSON error shapes, tried in order. */
  readonly envelopes?: readonly Envelope[];
  /** Reads evidence from a plain-text body (never called for HTML pages). */
  readonly text?: (text: string, parts: ResponseParts) => Evidence | undefined;
  /** Reads evidence from headers (codes on bodiless responses, request ids). Body evidence wins. */
  readonly headers?: (headers: Headers) => Evidence;
  /** The code table. Keys are the codes as on the wire; numeric keys for numeric codes. */
  readonly codes: Codes;
  /** Maps a wire code to its table key (for example `APIG.0308` → `APIGW.0308`). */
  readonly normalizeCode?: (code: VendorCodeValue) => VendorCodeValue;
  /**
   * The HTTP status an unknown code stands for (UPYUN: its first three digits). Receives the
   * response's status too; `undefined` falls back on it (for an error status) or on an unknown
   * failure (in a 2xx).
   */
  readonly codeStatus?: (code: VendorCodeValue, status: number) => number | undefined;
  /** Parsers for waits a response states in its message, body or headers. */
  readonly hints?: readonly HintParser[];
  /** Parsers for rates a response states ("limit:5,time:1 second", rate-limit headers). */
  readonly rateHints?: readonly RateHintParser[];
  /** Status fallbacks, merged over the defaults in `DEFAULT_STATUS_RULES`. */
  readonly statuses?: StatusRules;
  /**
   * Which successful responses may hide an error in their body and must be read. Bodies of
   * other successful responses are never read, so large downloads stream untouched.
   * @default () => false
   */
  readonly inspect?: (head: ResponseHead) => boolean;
  /** Backoff for this vendor's retries. */
  readonly backoff?: {
    /** @default 500 */
    readonly baseDelayMs?: number;
    /** @default 30_000 */
    readonly maxDelayMs?: number;
  };
  /**
   * A vendor that punishes repeated throttling: after `maxThrottles` throttle responses within
   * `windowMs` for one key, no request is sent until the oldest leaves the window.
   * @default undefined (no guard)
   */
  readonly throttleGuard?: {
    readonly maxThrottles: number;
    readonly windowMs: number;
    /** Why (shown in the `CircuitOpenError`). */
    readonly reason: string;
  };
  /**
   * The vendor's rate-limited unit of a request, as a limiter and guard key (UPYUN: the bucket;
   * BrightData: the API key). Requests with the same key share one pace and one guard.
   * @default the vendor's name and the request's host
   * @example
   * ```ts
   * rateKey: (request) => `acme:${new URL(request.url).host}:${request.headers.get('x-tenant')}`
   * ```
   */
  readonly rateKey?: (request: Request) => string;
  /**
   * How many times a request may be resent for this vendor.
   * @default 4
   */
  readonly retryLimit?: number;
};

/** Rows prepared once for fast lookup; never exposed. */
export type CompiledVendor = {
  readonly byCode: ReadonlyMap<string, Rule>;
  readonly byMessage: readonly (readonly [string | RegExp, VendorCodeValue])[];
};

const compiledKey = Symbol('ky-vendors.compiled');

/** A vendor as returned by `defineVendor()`. */
export type Vendor<Name extends string = string, Codes extends CodeTable = CodeTable> = VendorDefinition<
  Name,
  Codes
> & {readonly [compiledKey]: CompiledVendor};

/**
 * The closed literal union of the codes a vendor's table knows.
 *
 * @example
 * ```ts
 * type Known = KnownCodeOf<typeof upyun>; // 40001000 | 40001001 | …
 * ```
 */
export type KnownCodeOf<V> =
  V extends Vendor<string, infer Codes> ? keyof Codes & VendorCodeValue : VendorCodeValue;

/**
 * A vendor's codes for narrowing `err.code`: the table's literals (editors complete them), open to
 * codes the table does not know yet, since vendors add codes before documents list them.
 *
 * @example
 * ```ts
 * type UpyunCode = CodeOf<typeof upyun>; // 40001000 | 40001001 | … | (string & {}) | (number & {})
 * ```
 */
export type CodeOf<V> = KnownCodeOf<V> | (string & {}) | (number & {});

const numericKey = /^-?\d+$/;

/**
 * Describes a vendor as data. Validates the table once and infers the literal union of codes.
 *
 * @throws {TypeError} when a row has no valid action or category.
 */
export const defineVendor = <const Name extends string, const Codes extends CodeTable>(
  definition: VendorDefinition<Name, Codes>,
): Vendor<Name, Codes> => {
  const byCode = new Map<string, Rule>();
  const byMessage: (readonly [string | RegExp, VendorCodeValue])[] = [];
  for (const [key, rule] of Object.entries(definition.codes) as [string, Rule][]) {
    if (!rule || typeof rule.action !== 'string' || typeof rule.category !== 'string') {
      throw new TypeError(`Vendor \`${definition.name}\`: code \`${key}\` needs an action and a category`);
    }
    byCode.set(key, rule);
    // Object keys are strings at run time; numeric vendors (UPYUN) report numbers on the wire.
    const code: VendorCodeValue = numericKey.test(key) ? Number(key) : key;
    if (rule.match !== undefined) {
      byMessage.push([typeof rule.match === 'string' ? rule.match.toLowerCase() : rule.match, code]);
    }
  }
  return Object.freeze({...definition, [compiledKey]: {byCode, byMessage}});
};

/** The compiled rows of a vendor (internal). */
export const compiled = (vendor: Vendor): CompiledVendor => vendor[compiledKey];

/**
 * Whether a URL belongs to one of the vendor's `hosts`.
 *
 * @example
 * ```ts
 * matchesVendor(upyun, 'https://v0.api.upyun.com/bucket/file.txt'); // true
 * ```
 */
export const matchesVendor = (vendor: VendorDefinition, url: string | URL): boolean => {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (vendor.hosts ?? []).some((host) =>
    host.startsWith('.') ? hostname.endsWith(host) || hostname === host.slice(1) : hostname === host,
  );
};
