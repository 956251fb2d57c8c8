/**
 * @module `classify()`: response parts → verdict. Pure, synchronous, never throws.
 */
import type {EnvelopeSchema, Evidence, ResponseParts, Vendor} from '../core/define-vendor.ts';
import {compiled} from '../core/define-vendor.ts';
import {looksLikeHtml, parseBody} from '../core/parse-body.ts';
import {clampDelay, parseRetryAfter} from '../core/parse-retry-after.ts';
import {redact} from '../core/redact.ts';
import type {Rule} from '../core/rule.ts';
import {type HeadersInit, toHeaders} from '../core/to-headers.ts';
import type {FailureVerdict, StatedRate, VendorCodeValue, Verdict} from '../core/types.ts';
import {statusRule} from './default-status-rules.ts';

/** What `classify()` takes: the status, the headers and the body already read. */
export type ClassifyInput = {
  /** The HTTP status. */
  readonly status: number;
  /** Response headers, as `Headers` or a plain object. */
  readonly headers?: HeadersInit | undefined;
  /** The parsed JSON value, the body text, or `undefined` when there is no body or it was not read. */
  readonly body?: unknown;
};

const MAX_MESSAGE_LENGTH = 500;

/** What the body and the headers may both tell: the body's word wins. */
const EVIDENCE_KEYS = [
  'code',
  'message',
  'requestId',
  'delayMs',
  'fallbackCode',
  'authorizationMessage',
] as const satisfies readonly (keyof Evidence)[];

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

/** A rule whose evidence came from the code, the status or nothing at all. */
type Resolved = {readonly rule: Rule | undefined; readonly code: VendorCodeValue | undefined};

/**
 * Classifies one response for a vendor. The order of evidence is: the vendor's code (body, else
 * header), then the vendor's hints, then the HTTP status, then the fallback. Errors hidden in 2xx
 * bodies are found when a vendor envelope carries them.
 *
 * @example
 * ```ts
 * classify(huaweiCloud, {status: 400, body: {error_code: 'octopus.202101', error_msg: 'Cce interface error'}});
 * // {action: 'retry', category: 'transient', code: 'octopus.202101', …}
 * ```
 */
export const classify = <V extends Vendor>(vendor: V, input: ClassifyInput): Verdict => {
  const status = Number.isInteger(input?.status) ? input.status : 0;
  try {
    return decide(vendor, status, input);
  } catch {
    // A hostile body must never break the caller: decide on the status alone.
    return fromRule(vendor.name, status, statusRule(status, undefined), {});
  }
};

const decide = (vendor: Vendor, status: number, input: ClassifyInput): Verdict => {
  const headers = toHeaders(input.headers);
  const body = typeof input.body === 'string' ? parseBody(input.body) : input.body;
  const parts: ResponseParts = {status, headers, body};
  const fromBody = bodyEvidence(vendor, parts);
  const fromHeaders = vendor.headers?.(headers) ?? {};
  const evidence = Object.fromEntries(
    EVIDENCE_KEYS.map((key) => [key, fromBody[key] ?? fromHeaders[key]]),
  ) as Mutable<Evidence>;
  evidence.requestId ??= headers.get('x-request-id') ?? undefined;
  const isSuccess = status >= 200 && status < 300;
  const {rule, code} = resolve(vendor, status, evidence, isSuccess);
  if (rule === undefined) {
    // A code the table does not know is never success, even in a 2xx body.
    return isSuccess && code === undefined
      ? {vendor: vendor.name, action: 'ok'}
      : unknownVerdict(vendor.name, status, evidence, code);
  }
  const hintInput = {message: evidence.message, body, headers};
  // Evidence order for waits: what this response states wins (largest of its statements); the
  // table's documented wait is only a default; a hard rule is a floor under both.
  const stated = largest([
    parseRetryAfter(headers.get('retry-after')),
    evidence.delayMs,
    ...(vendor.hints ?? []).map((hint) => safely(() => hint(hintInput))),
  ]);
  const statedRate = (vendor.rateHints ?? []).map((hint) => safely(() => hint(hintInput))).find(isRate);
  return fromRule(vendor.name, status, rule, {...evidence, code}, {stated, statedRate});
};

/** A vendor's hint parser must never cost the verdict: a broken one states nothing. */
const safely = <T>(read: () => T | undefined): T | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

const largest = (values: readonly (number | undefined)[]): number | undefined => {
  const finite = values.filter((ms): ms is number => typeof ms === 'number' && Number.isFinite(ms));
  return finite.length > 0 ? clampDelay(Math.max(...finite)) : undefined;
};

const isRate = (rate: StatedRate | undefined): rate is StatedRate =>
  rate !== undefined && rate.limit > 0 && rate.periodMs > 0 && Number.isFinite(rate.limit / rate.periodMs);

/** What the response stated about waiting and pace. */
type Stated = {readonly stated?: number | undefined; readonly statedRate?: StatedRate | undefined};

/** What an object schema exposes of its keys (zod 4, classic and mini alike). */
type ZodInternals = {
  readonly _zod?: {readonly optin?: string; readonly def?: {readonly type?: string; readonly shape?: object}};
  readonly safeParse?: (value: unknown) => {readonly success: boolean};
};

/** The keys of an object envelope that a body cannot lack (their schema rejects `undefined`). */
const requiredKeys = new WeakMap<object, readonly string[]>();

const requiredKeysOf = (schema: EnvelopeSchema): readonly string[] => {
  let keys = requiredKeys.get(schema);
  if (keys === undefined) {
    const def = (schema as ZodInternals)._zod?.def;
    keys =
      def?.type === 'object' && def.shape !== undefined
        ? Object.entries(def.shape as Record<string, ZodInternals>)
            .filter(
              ([, value]) =>
                value._zod?.optin !== 'optional' &&
                typeof value.safeParse === 'function' &&
                !value.safeParse(undefined).success,
            )
            .map(([key]) => key)
        : [];
    requiredKeys.set(schema, keys);
  }
  return keys;
};

/** Whether `body` lacks a key the object envelope requires, so its parse could only fail. */
const lacksRequiredKey = (schema: EnvelopeSchema, body: object): boolean => {
  for (const key of requiredKeysOf(schema)) {
    if ((body as Record<string, unknown>)[key] === undefined) {
      return true;
    }
  }
  return false;
};

const bodyEvidence = (vendor: Vendor, parts: ResponseParts): Evidence => {
  const {body} = parts;
  if (typeof body === 'string') {
    return looksLikeHtml(body) ? {} : (vendor.text?.(body, parts) ?? {});
  }
  if (body === null || typeof body !== 'object') {
    return {};
  }
  for (const {schema, read} of vendor.envelopes ?? []) {
    if (lacksRequiredKey(schema, body)) {
      // Cannot match: a failed parse would only build zod's issues for nothing (every 2xx read).
      continue;
    }
    const result = schema.safeParse(body);
    if (result.success) {
      return read(result.data, parts) ?? {};
    }
  }
  return {};
};

const resolve = (vendor: Vendor, status: number, evidence: Evidence, isSuccess: boolean): Resolved => {
  const {byCode, byMessage} = compiled(vendor);
  let code = evidence.code;
  if (code === undefined && evidence.message !== undefined) {
    const message = evidence.message.toLowerCase();
    code = byMessage.find(([match]) =>
      typeof match === 'string' ? message.startsWith(match) : match.test(evidence.message ?? ''),
    )?.[1];
  }
  code ??= evidence.fallbackCode;
  if (code !== undefined) {
    const key = vendor.normalizeCode?.(code) ?? code;
    const row = byCode.get(String(key));
    if (row !== undefined) {
      return {rule: withStatus(row, status), code: key};
    }
    // An unknown code is still an error, even in a 2xx body: fall back on the status it stands for.
    const impliedStatus = vendor.codeStatus?.(key, status);
    const fallbackStatus = impliedStatus ?? (isSuccess ? undefined : status);
    return {
      rule: fallbackStatus === undefined ? undefined : statusRule(fallbackStatus, vendor.statuses),
      code: key,
    };
  }
  if (isSuccess) {
    // A 2xx without a code is success unless the vendor says this status is not (BrightData 202).
    return {rule: vendor.statuses?.[status], code: undefined};
  }
  return {rule: statusRule(status, vendor.statuses), code: undefined};
};

const withStatus = (rule: Rule, status: number): Rule => {
  const override = rule.byStatus?.[status];
  return override === undefined ? rule : {...rule, ...override};
};

const fromRule = (
  vendor: string,
  status: number,
  rule: Rule | undefined,
  evidence: Evidence,
  waits: Stated = {},
): Verdict => {
  if (rule === undefined) {
    return status >= 200 && status < 300
      ? {vendor, action: 'ok'}
      : unknownVerdict(vendor, status, evidence, undefined);
  }
  const verdict: Mutable<FailureVerdict> = {
    vendor,
    action: rule.action,
    category: rule.category,
    status,
  };
  setDefined(verdict, 'code', evidence.code);
  setDefined(verdict, 'message', cleanMessage(evidence.message) ?? rule.message);
  if (evidence.requestId !== undefined) verdict.requestId = String(evidence.requestId).slice(0, 200);
  setDefined(verdict, 'statedDelayMs', waits.stated);
  setDefined(verdict, 'defaultDelayMs', rule.delayMs);
  setDefined(verdict, 'minDelayMs', rule.minDelayMs);
  setDefined(verdict, 'statedRate', waits.statedRate);
  setDefined(verdict, 'authorizationMessage', cleanAuthorizationMessage(evidence.authorizationMessage));
  setDefined(verdict, 'processed', rule.processed);
  return verdict;
};

/** Sets `key` only to a value: a verdict has no key at all for what nothing stated. */
const setDefined = <T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void => {
  if (value !== undefined) target[key] = value;
};

const unknownVerdict = (
  vendor: string,
  status: number,
  evidence: Evidence,
  code: VendorCodeValue | undefined,
): FailureVerdict => {
  const rule: Rule = {category: 'unknown', action: 'fail', message: `Unexpected HTTP status ${status}`};
  return fromRule(vendor, status, rule, {...evidence, code}) as FailureVerdict;
};

const MAX_AUTHORIZATION_MESSAGE_LENGTH = 8192;

/**
 * The encoded message is one long opaque run by design, so the long-token rule of `redact` would
 * erase it whole; registered secrets and credential patterns are still cut out.
 */
const cleanAuthorizationMessage = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim().length > 0
    ? redact(value.trim().slice(0, MAX_AUTHORIZATION_MESSAGE_LENGTH), {keepOpaqueRuns: true})
    : undefined;

const cleanMessage = (message: unknown): string | undefined => {
  if (typeof message !== 'string' || message.trim().length === 0) {
    return undefined;
  }
  const oneLine = message.replace(/\s+/g, ' ').trim();
  const cut = oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH)}…` : oneLine;
  return redact(cut);
};
