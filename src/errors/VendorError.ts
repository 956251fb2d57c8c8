/**
 * @module `VendorError`: the base of every typed error this library throws for a vendor response.
 */
import {HTTPError, KyError} from 'ky';
import {defineData} from '../core/data-property.ts';
import {redact, redactUrl, redactValue} from '../core/redact.ts';
import type {Action, Category, VendorCodeValue} from '../core/types.ts';
import {sealCause} from './seal-ky-error.ts';
import {setUnprintable, unprintableField} from './unprintable.ts';

/** What a `VendorError` is built from. */
export type VendorErrorInit<Code extends VendorCodeValue = VendorCodeValue> = {
  readonly vendor: string;
  readonly action: Exclude<Action, 'ok'>;
  readonly category: Category;
  readonly status: number;
  readonly code?: Code | undefined;
  readonly message?: string | undefined;
  readonly requestId?: string | undefined;
  readonly envelope?: unknown;
  readonly attempts?: number | undefined;
  readonly delayMs?: number | undefined;
  readonly statedDelayMs?: number | undefined;
  readonly authorizationMessage?: string | undefined;
  readonly retryAt?: Date | undefined;
  readonly processed?: boolean | undefined;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly request?: Request | undefined;
  readonly response?: Response | undefined;
  readonly cause?: unknown;
};

/** The class each error was made as, for errors whose prototype is detached from `HTTPError`. */
const madeAs = new WeakMap<object, abstract new (...args: never[]) => unknown>();
/** Per class, its prototype chain flattened onto `KyError` (no `HTTPError` in it). */
const detached = new WeakMap<object, object>();

/**
 * The prototype for an error of class `Class` made without a response: every method and getter
 * of `Class` down to `VendorError`, over `KyError.prototype`. `isHTTPError()` (which checks
 * `instanceof HTTPError`) must not hold for it: ky's type says such errors have a `response`.
 */
const detachedPrototype = (Class: abstract new (...args: never[]) => unknown): object => {
  let prototype = detached.get(Class);
  if (prototype === undefined) {
    const levels: object[] = [];
    for (
      let level: object | null = Class.prototype as object;
      level !== null && level !== HTTPError.prototype;
    ) {
      levels.unshift(level);
      level = Object.getPrototypeOf(level) as object | null;
    }
    const descriptors = Object.assign({}, ...levels.map((level) => Object.getOwnPropertyDescriptors(level)));
    prototype = Object.create(KyError.prototype, descriptors) as object;
    detached.set(Class, prototype);
  }
  return prototype;
};

/**
 * A vendor answered with an error (or an error hidden in a success). Carries the vendor's code
 * as on the wire, the category a caller acts on, and how many attempts were made.
 *
 * An error made from a response is a ky `HTTPError` too (`isHTTPError()`, `instanceof HTTPError`
 * hold) with `response`, `request` and `data`; every `VendorError` is a `KyError`
 * (`isKyError()`). `request` and `response` are read through getters and are not properties of
 * the error, so no logger, `util.inspect` (even with `showHidden`), `JSON.stringify` or spread
 * prints their headers. `message`, `stack`, `toString()`, `toJSON()`, `url`, `envelope`, `data`
 * and the `cause` chain never contain credentials (see `redact()`).
 *
 * @example
 * ```ts
 * try {
 *   await api.put('bucket/file.txt', {body});
 * } catch (error) {
 *   if (isVendorError(error, upyun) && error.code === 42900004) {
 *     // banned: stop the batch
 *   }
 * }
 * ```
 */
export class VendorError<Code extends VendorCodeValue = VendorCodeValue> extends KyError {
  override name = 'VendorError';
  // Declared rather than class fields: the constructor sets every one of them, in this order, so
  // field definitions would only repeat the names in every bundle.
  /** The vendor's name (`'upyun'`, `'brightdata'`, …). */
  declare readonly vendor: string;
  /** The vendor's code as on the wire; `undefined` when only the HTTP status was known. */
  declare readonly code: Code | undefined;
  /** Why the request failed, in terms a caller acts on. */
  declare readonly category: Category;
  /** What the policy decided for the last response (`fail`, or the retry that could not be made). */
  declare readonly action: Exclude<Action, 'ok'>;
  /** The HTTP status of the last response. */
  declare readonly status: number;
  /** The vendor's request id, for support tickets. */
  declare readonly requestId: string | undefined;
  /**
   * The parsed body of the last response (JSON value or text), when it was read, with credentials
   * removed (see `redactValue()`): strings redacted, values under secret field names replaced.
   */
  declare readonly envelope: unknown;
  /** How many attempts were made, the last included. */
  declare readonly attempts: number;
  /** When the vendor said a new attempt may succeed, if it said so. */
  declare readonly retryAt: Date | undefined;
  /** The wait before a new attempt may succeed, in milliseconds (what `retryAt` is built from). */
  declare readonly delayMs: number | undefined;
  /**
   * The wait the last response itself stated (`Retry-After`, "try again in 1s"), if it stated one;
   * `delayMs` may instead come from the vendor's documentation or a backoff.
   */
  declare readonly statedDelayMs: number | undefined;
  /**
   * The vendor's encoded explanation of a denied authorization (Huawei
   * `encoded_authorization_message`), credentials cut out.
   */
  declare readonly authorizationMessage: string | undefined;
  /** `false` when the vendor proved the request had no effect (safe to send again). */
  declare readonly processed: boolean | undefined;
  /** The request method. */
  declare readonly method: string | undefined;
  /** The request URL, with credentials in its query removed. */
  declare readonly url: string | undefined;

  constructor(init: VendorErrorInit<Code>) {
    const url = init.url === undefined ? undefined : redactUrl(init.url);
    super(describe(init, url), init.cause === undefined ? undefined : {cause: sealCause(init.cause)});
    if (init.response === undefined) {
      madeAs.set(this, new.target);
      Object.setPrototypeOf(this, detachedPrototype(new.target));
    }
    this.vendor = init.vendor;
    this.code = init.code;
    this.category = init.category;
    this.action = init.action;
    this.status = init.status;
    this.requestId = init.requestId;
    this.envelope = redactValue(init.envelope);
    this.attempts = init.attempts ?? 1;
    this.retryAt = init.retryAt;
    this.delayMs = init.delayMs;
    this.statedDelayMs = init.statedDelayMs;
    this.authorizationMessage = init.authorizationMessage;
    this.processed = init.processed;
    this.method = init.method;
    this.url = url;
    setUnprintable(this, 'request', init.request);
    setUnprintable(this, 'response', init.response);
  }

  /** The request that failed (a getter: no printer reaches its headers). */
  get request(): Request | undefined {
    return unprintableField(this, 'request') as Request | undefined;
  }

  /** The response that failed, body already read (a getter, like `request`). */
  get response(): Response | undefined {
    return unprintableField(this, 'response') as Response | undefined;
  }

  /** The parsed body, as ky's `HTTPError.data`: the same value as `envelope`, credentials removed. */
  get data(): unknown {
    return this.envelope;
  }

  /** Brand for cross-realm checks (`isVendorError`). */
  get isVendorError(): true {
    return true;
  }

  /**
   * What `util.inspect` (and so `console.log`) prints: the stack and the redacted fields of
   * `toJSON()`, never the raw envelope, whose vendor message may echo a credential.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    // The cause is sealed: its own inspection is safe, but a one-line summary keeps logs short.
    const {name: _name, message: _message, ...fields} = this.toJSON();
    const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
    const body = defined.map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`).join(',\n');
    const cause =
      this.cause === undefined
        ? ''
        : `\n  [cause]: ${String(this.cause instanceof Error ? redact(`${this.cause.name}: ${this.cause.message}`) : redact(String(this.cause)))}`;
    return `${this.stack ?? `${this.name}: ${this.message}`} {\n${body}${cause}\n}`;
  }

  /** A plain, credential-free object for structured logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      vendor: this.vendor,
      code: this.code,
      category: this.category,
      action: this.action,
      status: this.status,
      requestId: this.requestId,
      attempts: this.attempts,
      retryAt: this.retryAt?.toISOString(),
      delayMs: this.delayMs,
      statedDelayMs: this.statedDelayMs,
      authorizationMessage: this.authorizationMessage,
      processed: this.processed,
      method: this.method,
      url: this.url,
      envelope: this.envelope,
    };
  }
}

const describe = (init: VendorErrorInit, url: string | undefined): string => {
  const code = init.code === undefined ? '' : ` ${String(init.code)}`;
  const text = init.message === undefined ? '' : `: ${redact(init.message)}`;
  const target = init.method === undefined || url === undefined ? '' : ` (${init.method} ${url})`;
  return `${init.vendor}${code} ${init.category} [HTTP ${init.status}]${text}${target}`;
};

/**
 * `instanceof` for `VendorError` and its subclasses (inherited as a static): also true for an
 * error made without a response, whose prototype skips `HTTPError` (see `detachedPrototype`).
 */
function hasInstance(this: {prototype: object}, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) {
    return true;
  }
  const Class = typeof value === 'object' && value !== null ? madeAs.get(value) : undefined;
  return (
    Class !== undefined &&
    (Class === this || Object.prototype.isPrototypeOf.call(this.prototype, Class.prototype))
  );
}
defineData(VendorError, Symbol.hasInstance, hasInstance);

// Errors made from a response are ky `HTTPError`s without running `HTTPError`'s constructor,
// which would put the raw URL in the message and the request in an own property.
Object.setPrototypeOf(VendorError.prototype, HTTPError.prototype);
