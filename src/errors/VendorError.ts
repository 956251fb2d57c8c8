/**
 * @module `VendorError`: the base of every typed error this library throws for a vendor response.
 */
import {redact, redactUrl} from '../core/redact.ts';
import type {Action, Category, VendorCodeValue} from '../core/types.ts';

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

const hidden = (target: object, key: string, value: unknown): void => {
  Object.defineProperty(target, key, {value, enumerable: false, writable: false, configurable: true});
};

/**
 * A vendor answered with an error (or an error hidden in a success). Carries the vendor's code
 * as on the wire, the category a caller acts on, and how many attempts were made.
 *
 * `request` and `response` are non-enumerable so loggers that dump errors never print request
 * headers; `message`, `toString()` and `toJSON()` never contain credentials.
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
export class VendorError<Code extends VendorCodeValue = VendorCodeValue> extends Error {
  override name = 'VendorError';
  /** The vendor's name (`'upyun'`, `'brightdata'`, …). */
  readonly vendor: string;
  /** The vendor's code as on the wire; `undefined` when only the HTTP status was known. */
  readonly code: Code | undefined;
  /** Why the request failed, in terms a caller acts on. */
  readonly category: Category;
  /** What the policy decided for the last response (`fail`, or the retry that could not be made). */
  readonly action: Exclude<Action, 'ok'>;
  /** The HTTP status of the last response. */
  readonly status: number;
  /** The vendor's request id, for support tickets. */
  readonly requestId: string | undefined;
  /** The parsed body of the last response (JSON value or text), when it was read. */
  readonly envelope: unknown;
  /** How many attempts were made, the last included. */
  readonly attempts: number;
  /** When the vendor said a new attempt may succeed, if it said so. */
  readonly retryAt: Date | undefined;
  /** The wait before a new attempt may succeed, in milliseconds (what `retryAt` is built from). */
  readonly delayMs: number | undefined;
  /**
   * The wait the last response itself stated (`Retry-After`, "try again in 1s"), if it stated one;
   * `delayMs` may instead come from the vendor's documentation or a backoff.
   */
  readonly statedDelayMs: number | undefined;
  /**
   * The vendor's encoded explanation of a denied authorization (Huawei
   * `encoded_authorization_message`), credentials cut out.
   */
  readonly authorizationMessage: string | undefined;
  /** `false` when the vendor proved the request had no effect (safe to send again). */
  readonly processed: boolean | undefined;
  /** The request method. */
  readonly method: string | undefined;
  /** The request URL, with credentials in its query removed. */
  readonly url: string | undefined;
  /** The request that failed (non-enumerable). */
  declare readonly request: Request | undefined;
  /** The response that failed, body already read (non-enumerable). */
  declare readonly response: Response | undefined;

  constructor(init: VendorErrorInit<Code>) {
    const url = init.url === undefined ? undefined : redactUrl(init.url);
    super(describe(init, url), init.cause === undefined ? undefined : {cause: init.cause});
    this.vendor = init.vendor;
    this.code = init.code;
    this.category = init.category;
    this.action = init.action;
    this.status = init.status;
    this.requestId = init.requestId;
    this.envelope = init.envelope;
    this.attempts = init.attempts ?? 1;
    this.retryAt = init.retryAt;
    this.delayMs = init.delayMs;
    this.statedDelayMs = init.statedDelayMs;
    this.authorizationMessage = init.authorizationMessage;
    this.processed = init.processed;
    this.method = init.method;
    this.url = url;
    hidden(this, 'request', init.request);
    hidden(this, 'response', init.response);
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
    let envelope: unknown = this.envelope;
    try {
      envelope = this.envelope === undefined ? undefined : JSON.parse(redact(JSON.stringify(this.envelope)));
    } catch {
      envelope = undefined;
    }
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
      envelope,
    };
  }
}

const describe = (init: VendorErrorInit, url: string | undefined): string => {
  const code = init.code === undefined ? '' : ` ${String(init.code)}`;
  const text = init.message === undefined ? '' : `: ${redact(init.message)}`;
  const target = init.method === undefined || url === undefined ? '' : ` (${init.method} ${url})`;
  return `${init.vendor}${code} ${init.category} [HTTP ${init.status}]${text}${target}`;
};
