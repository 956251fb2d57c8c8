/**
 * @module `VendorCall`: the owner of one ky call. Created in the `init` hook, it keeps what the
 * call's attempts share and runs each attempt: guards, limiter, send, bounded read, classify,
 * decide. Nothing else decides.
 */
import type {Options} from 'ky';
import {NetworkError, TimeoutError} from 'ky';
import {classify} from '../classify/classify.ts';
import type {AuthRefresh} from '../core/auth-refresh.ts';
import type {Vendor} from '../core/define-vendor.ts';
import type {FetchFunction} from '../core/fetch-function.ts';
import {parseRetryAfter} from '../core/parse-retry-after.ts';
import {redactUrl} from '../core/redact.ts';
import {recordStatedWait} from '../core/stated-wait.ts';
import {toRequest} from '../core/to-request.ts';
import type {FailureVerdict, Verdict} from '../core/types.ts';
import {CircuitOpenError} from '../errors/CircuitOpenError.ts';
import {createVendorError} from '../errors/create-vendor-error.ts';
import {sealKyError} from '../errors/seal-ky-error.ts';
import type {VendorError} from '../errors/VendorError.ts';
import {fullJitter} from '../policy/backoff.ts';
import type {CircuitPermit} from '../policy/circuit-breaker.ts';
import {
  type AttemptContext,
  type Decision,
  decideAttempt,
  type GiveUpReason,
} from '../policy/decide-attempt.ts';
import {LimiterWaitError} from '../policy/limiter/create-limiter.ts';
import type {GuardAdmission} from '../policy/throttle-guard.ts';
import {type AttemptEndEvent, type CallEventBase, newCallId, notify} from './call-observer.ts';
import {recordVerdict} from './guards.ts';
import {type ReadOnceIncomplete, readOnce} from './read-once.ts';
import {RetrySignal} from './retry-signal.ts';
import type {NormalizedVendorOptions} from './vendor-options.ts';

type RetryOptions = Exclude<NonNullable<Options['retry']>, number>;

/** Every method: whether a request may be resent is decided per attempt, not by ky's method list. */
const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'query', 'trace', 'post', 'patch'];

/** ky's defaults, for a call whose options leave them out (`vendorHooks()` in options of yours). */
const KY_DEFAULT_RETRY_LIMIT = 2;
/**
 * Throttles the limiter paced that do not count against the retry limit: while the limiter finds
 * the vendor's rate, a request may meet a few throttles, and a batch waits them out instead of
 * losing files (the pace, `maxWaitMs` and the deadlines still bound the wait).
 */
const PACED_THROTTLES_FREE = 10;
const KY_DEFAULT_TIMEOUT_MS = 10_000;

/**
 * ky's timers run beside the classifying read: it must end first, so the attempt is decided by
 * its verdict rather than cut off by ky's timeout.
 */
const TIMER_MARGIN_MS = 10;

/** How long after ky's per-attempt timer a wait of the call gives up on its own. */
const TIMER_SLACK_MS = 50;

const globalFetch: FetchFunction = (input, init) => globalThis.fetch(input, init);

/** The options the `init` hook sees (ky hides `timeout` and `totalTimeout` from later hooks). */
export type InitOptions = {
  readonly retry?: Options['retry'];
  readonly timeout?: number | false | undefined;
  readonly totalTimeout?: number | false | undefined;
  readonly signal?: AbortSignal | null | undefined;
  readonly context?: Record<string, unknown> | undefined;
  readonly fetch?: FetchFunction | undefined;
};

/** Whether the caller opted this request in to resending (`context: {idempotent: true}`). */
const isIdempotentOptIn = (context: unknown): boolean =>
  (context as {idempotent?: unknown} | undefined)?.idempotent === true;

/**
 * One ky call. The caller's signal is captured once, here: every wait of every attempt listens
 * to it, never to the `signal` of the `Request` ky hands to an attempt. ky sends a clone per
 * retry, and a clone stops following its parent's abort once the parent is garbage-collected
 * (nodejs/undici#4068). ky's per-attempt `timeout` and `totalTimeout` become deadlines the call
 * computes itself, for the same reason.
 */
export class VendorCall {
  readonly #vendor: Vendor;
  readonly #options: NormalizedVendorOptions;
  readonly #signal: AbortSignal | undefined;
  readonly #fetch: FetchFunction;
  readonly #retryLimit: number;
  readonly #idempotentOptIn: boolean;
  /** ky's per-attempt `timeout`; `Infinity` for `timeout: false` (every sum with it is then too). */
  readonly #attemptTimeoutMs: number;
  /** The call's deadline (`Date.now()` ms) from `totalTimeout`; `Infinity` without one. */
  readonly #deadlineAt: number;
  #attempts = 0;
  #attemptStartedAt = 0;
  /** Whether the current attempt reached the network (not refused, not stopped in the queue). */
  #sent = false;
  /** Whether the current attempt waited for its turn in the limiter. */
  #queued = false;
  /** Whether the current attempt was answered with a throttle (for the throttle guard). */
  #throttled = false;
  readonly #callId = newCallId();
  #plannedDelayMs = 0;
  #refreshed = false;
  /** Throttles answered while the limiter paced the key (see `PACED_THROTTLES_FREE`). */
  #pacedThrottles = 0;

  constructor(
    vendor: Vendor,
    options: NormalizedVendorOptions,
    init: InitOptions,
    defaultRetryLimit = KY_DEFAULT_RETRY_LIMIT,
  ) {
    this.#vendor = vendor;
    this.#options = options;
    this.#signal = init.signal ?? undefined;
    this.#fetch = init.fetch ?? options.fetch ?? globalFetch;
    const retry = init.retry;
    this.#retryLimit = typeof retry === 'number' ? retry : (retry?.limit ?? defaultRetryLimit);
    this.#idempotentOptIn = isIdempotentOptIn(init.context);
    this.#attemptTimeoutMs =
      init.timeout === false
        ? Infinity
        : typeof init.timeout === 'number'
          ? init.timeout
          : KY_DEFAULT_TIMEOUT_MS;
    this.#deadlineAt = typeof init.totalTimeout === 'number' ? Date.now() + init.totalTimeout : Infinity;
  }

  /**
   * ky's `retry` option for this call: every decision was made with its attempt. Only the four
   * keys that decide: ky normalizes this object again on every attempt, at a price that grows
   * with its keys. The caller's other retry keys change nothing once `shouldRetry` always answers
   * (ky reads `statusCodes`, `afterStatusCodes`, `maxRetryAfter` and `retryOnTimeout` only when
   * it does not), and `jitter` and `backoffLimit` keep ky's defaults (none, no cap), so the
   * planned wait reaches ky unjittered and unclamped.
   */
  retryOptions(): RetryOptions {
    return {
      limit: this.#retryLimit + PACED_THROTTLES_FREE,
      methods: ALL_METHODS,
      delay: () => this.#plannedDelayMs,
      shouldRetry: ({error}) => error instanceof RetrySignal || this.#retryAfterNetworkError(error),
    };
  }

  /** Runs one attempt (ky's `fetch` for this call). */
  readonly fetch: FetchFunction = async (input, init) => {
    this.#attempts++;
    this.#attemptStartedAt = Date.now();
    this.#sent = false;
    const request = toRequest(input, init);
    const {guards, limiter, observers} = this.#options;
    const key = guards.key(request);
    this.#queued = false;
    if (observers.length > 0) {
      notify(observers, (observer) => observer.onAttemptStart, this.#eventBase(request, key));
    }
    this.#throwIfOver();
    const permit = guards.breaker?.permit(key);
    // A shared breaker answers later only when it must ask its store (half-open, or unknown).
    this.#admitBreaker(request, permit instanceof Promise ? await permit : permit);
    const guard = guards.throttleGuard;
    let ticket: number | undefined;
    this.#throttled = false;
    try {
      if (guard !== undefined) {
        // A place is usually free at once: only a refusal enters the waiting loop.
        const admission = await guard.admit(key);
        ticket = admission.allowed
          ? admission.ticket
          : await this.#waitForGuardPlace(request, key, admission);
      }
      // Open until the vendor throttles this key: no queue, no timer, no await while its window
      // has room.
      let release = limiter?.enter(key);
      if (limiter !== undefined && release === undefined) {
        const askedAt = Date.now();
        try {
          release = await limiter.acquire(key, {signal: this.#signal, deadlineAt: this.#waitDeadline()});
        } catch (error) {
          throw this.#endWithError(request, key, this.#limiterError(error, request));
        }
        const queuedMs = Date.now() - askedAt;
        if (queuedMs > 0) {
          this.#queued = true;
          if (observers.length > 0) {
            notify(observers, (observer) => observer.onAttemptQueued, {
              ...this.#eventBase(request, key),
              queuedMs,
            });
          }
        }
      }
      let response: Response;
      let sentAt: number;
      try {
        // The wait may have outlived the caller or the deadline: then nothing is sent.
        this.#throwIfOver();
        sentAt = Date.now();
        this.#sent = true;
        response = await this.#fetch(input, init);
      } catch (error) {
        if (this.#sent) {
          if (this.#signal?.aborted || init?.signal?.aborted) {
            guards.breaker?.release(key);
          } else {
            guards.breaker?.record(key, 'transient-failure');
          }
        }
        throw this.#endWithError(request, key, error);
      } finally {
        release?.();
      }
      if (response.ok && !this.#inspects(response, request)) {
        // Passed through unread: decided here, without another async step.
        const reported = this.#reportSuccess(key, sentAt);
        if (reported !== undefined) {
          await reported;
        }
        this.#end(request, key, response.status, undefined, 'return');
        return response;
      }
      return await this.#decide(response, request, key, sentAt);
    } catch (error) {
      // Nothing was sent (the throttle guard, the limiter, the deadline or the caller stopped it
      // first): the breaker's permit, maybe its half-open probe, is given back.
      if (!this.#sent) {
        guards.breaker?.release(key);
      }
      throw error;
    } finally {
      if (ticket !== undefined) {
        // The place is given back before the next attempt asks: a throttle counts at once.
        try {
          await guard?.settle(key, ticket, this.#throttled);
        } catch {
          // A failing store costs the count, never the answer.
        }
      }
    }
  };

  /** Whether the vendor reads this successful response's body for a hidden error. */
  #inspects(response: Response, request: Request): boolean {
    const {inspect} = this.#vendor;
    if (inspect === undefined) {
      return false;
    }
    return inspect({
      status: response.status,
      headers: response.headers,
      url: request.url,
      method: request.method,
    });
  }

  /** Decides an answer that is not passed through unread: a failure, or a 2xx the vendor inspects. */
  async #decide(answer: Response, request: Request, key: string, sentAt: number): Promise<Response> {
    const {vendor} = this;
    const options = this.#options;
    const limits = {maxBytes: options.maxBodyBytes, timeoutMs: this.#readTimeoutMs(), signal: this.#signal};
    // Read once, no clone, bounded in decoded bytes: the caller gets a response rebuilt from the
    // bytes read (or, when the body was not read in full, the bytes read followed by the rest of
    // the stream). A JSON body's value is remembered for the caller's `.json()`. A failure cancels
    // what is left below, which stops the decoder of a compressed body too.
    const read = await readOnce(answer, limits);
    const response = read.response;
    const body = read.complete ? read.body : undefined;
    const verdict: FailureVerdict | Verdict | undefined =
      read.complete || !response.ok
        ? // An error body not read in full is classified by its status and headers.
          classify(vendor, {status: response.status, headers: response.headers, body})
        : unreadable(vendor.name, response.status, read.reason === 'aborted' ? 'broken' : read.reason);
    if (verdict === undefined || verdict.action === 'ok') {
      if (verdict !== undefined) {
        recordVerdict(options.guards, key, verdict);
      }
      // A status answer may state when to ask again: the operations read it from here.
      const stated = parseRetryAfter(response.headers.get('retry-after'));
      if (stated !== undefined) {
        recordStatedWait(response, stated);
      }
      await this.#reportSuccess(key, sentAt);
      this.#end(request, key, response.status, undefined, 'return');
      return response;
    }
    recordVerdict(options.guards, key, verdict);
    this.#throttled = verdict.action === 'throttle';
    response.body?.cancel().catch(() => {});
    // The limiter's pace replaces this request's own backoff once it knows the key's pace.
    const paced =
      verdict.action === 'throttle' && options.limiter !== undefined && options.limiter.paces(key);
    if (paced) {
      this.#pacedThrottles++;
    }
    await this.#feedLimiter(verdict, key, sentAt);
    const decision = decideAttempt(
      verdict,
      this.#attemptContext(request, key, {
        paced,
        canRefresh: !this.#refreshed && (this.#auth?.refreshes(verdict) ?? false),
        kind: 'response',
      }),
    );
    const context = {
      envelope: body,
      method: request.method,
      url: request.url,
      request,
      response,
    };
    if (decision.kind === 'giveUp') {
      this.#end(request, key, response.status, verdict, 'give-up', decision.delayMs, decision.reason);
      throw this.giveUp(verdict, decision.reason, decision.delayMs, context);
    }
    this.#end(request, key, response.status, verdict, 'retry', decision.delayMs);
    if (decision.refresh) {
      this.#refreshed = true;
      await this.#auth?.refresh(request);
    }
    this.#planRetry(decision, verdict, request);
    throw new RetrySignal(
      createVendorError(verdict, {...context, attempts: this.#attempts, delayMs: decision.delayMs}),
    );
  }

  #eventBase(request: Request, key: string): CallEventBase {
    return {
      vendor: this.#vendor.name,
      callId: this.#callId,
      attempt: this.#attempts,
      method: request.method,
      url: redactUrl(request.url),
      key,
    };
  }

  /** Tells the observers how an attempt ended (`error`: without an answer). */
  #end(
    request: Request,
    key: string,
    status: number,
    verdict: FailureVerdict | undefined,
    outcome: AttemptEndEvent['outcome'],
    delayMs?: number,
    reason?: GiveUpReason,
    error?: unknown,
  ): void {
    const {observers} = this.#options;
    if (observers.length > 0) {
      notify(observers, (observer) => observer.onAttemptEnd, {
        ...this.#eventBase(request, key),
        status,
        verdict,
        outcome,
        delayMs,
        reason,
        queued: this.#queued,
        error,
      });
    }
  }

  /** Tells the observers of an attempt that ended without an answer; returns the error to throw. */
  #endWithError(request: Request, key: string, error: unknown): unknown {
    this.#end(request, key, 0, undefined, 'error', undefined, undefined, error);
    return error;
  }

  /** The vendor this call speaks to. */
  get vendor(): Vendor {
    return this.#vendor;
  }

  get #auth(): AuthRefresh | undefined {
    return this.#options.authRefresh;
  }

  /**
   * Builds the typed error once, tells `onGiveUp`, and returns it for the caller to throw.
   */
  giveUp(
    verdict: FailureVerdict,
    reason: GiveUpReason,
    delayMs: number | undefined,
    context: {envelope?: unknown; method?: string; url?: string; request?: Request; response?: Response} = {},
    attempts = this.#attempts,
  ): VendorError {
    const error = createVendorError(verdict, {...context, attempts, delayMs});
    this.reportGiveUp(error, verdict, reason, delayMs, attempts);
    return error;
  }

  /**
   * Reports a give-up for an error that was not built from a verdict here (network, guard), and
   * for `giveUp()`: one place builds the `onGiveUp` event.
   */
  reportGiveUp(
    error: Error,
    verdict: FailureVerdict,
    reason: GiveUpReason,
    delayMs: number | undefined,
    attempt = this.#attempts,
  ): void {
    this.#options.onGiveUp?.(
      Object.freeze({vendor: this.#vendor.name, verdict, attempt, reason, delayMs, error}),
    );
  }

  /** Attempts made so far. */
  get attempts(): number {
    return this.#attempts;
  }

  #planRetry(decision: Extract<Decision, {kind: 'retry'}>, verdict: FailureVerdict, request: Request): void {
    this.#plannedDelayMs = decision.delayMs;
    this.#options.onRetry?.(
      Object.freeze({
        vendor: this.#vendor.name,
        verdict,
        attempt: this.#attempts,
        delayMs: decision.delayMs,
        method: request.method,
        url: redactUrl(request.url),
      }),
    );
  }

  /** ky's `shouldRetry` for network errors and ky's timeouts: the same decision, on a synthetic verdict. */
  #retryAfterNetworkError(error: unknown): boolean {
    // instanceof, not ky's name-based guards: an abort reason named TimeoutError (a DOMException
    // from AbortSignal.timeout) is the caller's decision, not a failed attempt.
    if (!(error instanceof NetworkError) && !(error instanceof TimeoutError)) {
      return false;
    }
    sealKyError(error);
    // An attempt that timed out before it was sent (queued in the limiter) proves nothing about
    // the vendor, and a resend would only queue again.
    if (this.#signal?.aborted || !this.#sent) {
      return false;
    }
    const {request} = error;
    const options = this.#options;
    const key = options.guards.key(request);
    const verdict = networkVerdict(this.#vendor.name, error.message);
    const decision = decideAttempt(
      verdict,
      this.#attemptContext(request, key, {paced: false, canRefresh: false, kind: 'network'}),
    );
    if (decision.kind === 'giveUp') {
      return false;
    }
    this.#planRetry(decision, verdict, request);
    return true;
  }

  /** What `decideAttempt` needs to know of this call now. */
  #attemptContext(
    request: Request,
    key: string,
    facts: {readonly paced: boolean; readonly canRefresh: boolean; readonly kind: 'response' | 'network'},
  ): AttemptContext {
    const options = this.#options;
    return {
      method: request.method,
      idempotentOptIn: this.#idempotentOptIn,
      // Paced throttles are the limiter's learning, not the request's failures.
      attempt: this.#attempts - Math.min(this.#pacedThrottles, PACED_THROTTLES_FREE),
      retryLimit: this.#retryLimit,
      // Without a deadline (`Infinity`) nothing bounds the wait: `undefined` says so.
      remainingMs: this.#deadlineAt === Infinity ? undefined : this.#deadlineAt - Date.now(),
      maxWaitMs: options.maxWaitMs,
      backoffMs: fullJitter(this.#attempts, options, options.random),
      paced: facts.paced,
      canRefresh: facts.canRefresh,
      budgetAllows: () => options.guards.budget?.tryRetry(key, facts.kind) ?? true,
    };
  }

  /** Refuses to send when the caller aborted or a deadline passed. */
  #throwIfOver(): void {
    if (this.#signal?.aborted) {
      throw this.#signal.reason;
    }
    const now = Date.now();
    if (now >= this.#deadlineAt || now - this.#attemptStartedAt >= this.#attemptTimeoutMs) {
      // ky's own timer fires at the same moment and its TimeoutError is what the caller sees.
      throw new DOMException('the call reached its deadline before the request was sent', 'TimeoutError');
    }
  }

  /** Refuses to send when the breaker's permit says so. */
  #admitBreaker(request: Request, permit: CircuitPermit | undefined): void {
    if (permit !== undefined && !permit.allowed) {
      throw this.#refusal(
        request,
        permit.retryAt,
        'transient',
        'circuit open after consecutive transient failures',
      );
    }
  }

  #refusal(
    request: Request,
    retryAt: number,
    category: 'rate_limited' | 'transient',
    message: string,
  ): CircuitOpenError {
    const delayMs = Math.max(0, retryAt - Date.now());
    const verdict = failure(this.#vendor.name, 'fail', category, 0, message);
    const error = new CircuitOpenError({
      ...verdict,
      attempts: this.#attempts - 1,
      retryAt: new Date(retryAt),
      delayMs,
      method: request.method,
      url: request.url,
    });
    this.reportGiveUp(error, verdict, 'circuit-open', delayMs);
    return error;
  }

  /**
   * Takes a place under the throttle guard's ceiling after a first refusal: waits while requests
   * in flight fill it (bounded by the call's wait deadline and its signal), refuses at once when
   * the window holds the most throttles.
   */
  async #waitForGuardPlace(request: Request, key: string, refused: GuardAdmission): Promise<number> {
    const guard = this.#options.guards.throttleGuard;
    const reason = guard?.options.reason ?? 'throttled too often';
    const deadlineAt = this.#waitDeadline();
    let admission = refused;
    for (let round = 0; guard !== undefined; round++) {
      if (admission.allowed) {
        return admission.ticket;
      }
      if (admission.why === 'ceiling' || Date.now() + IN_FLIGHT_POLL_MS >= deadlineAt || round > 100_000) {
        throw this.#endWithError(
          request,
          key,
          this.#refusal(request, admission.retryAt, 'rate_limited', reason),
        );
      }
      await pause(IN_FLIGHT_POLL_MS, this.#signal);
      admission = await guard.admit(key);
    }
    return 0;
  }

  /** Until when a turn in the limiter may be waited for: the attempt's and the call's deadlines, and `maxWaitMs`. */
  #waitDeadline(): number {
    return Math.min(
      Date.now() + this.#options.maxWaitMs,
      this.#deadlineAt,
      // A little after ky's own per-attempt timer: its TimeoutError is what the caller gets, and
      // this wait only stops then (nothing is sent either way).
      this.#attemptStartedAt + this.#attemptTimeoutMs + TIMER_SLACK_MS,
    );
  }

  /** A limiter wait that could not end in time becomes the vendor's `RateLimitError` with `retryAt`. */
  #limiterError(error: unknown, request: Request): unknown {
    if (!(error instanceof LimiterWaitError)) {
      return error;
    }
    if (Date.now() - this.#attemptStartedAt >= this.#attemptTimeoutMs) {
      // ky's own timer fired at the same moment: its TimeoutError is what the caller gets.
      return new DOMException('the attempt timed out waiting for its turn', 'TimeoutError');
    }
    const delayMs = Math.max(0, error.readyAt - Date.now());
    const verdict: FailureVerdict = {
      ...failure(
        this.#vendor.name,
        'throttle',
        'rate_limited',
        0,
        'the limiter could not send the request within maxWaitMs or the deadline',
      ),
      statedDelayMs: delayMs,
    };
    const reason = delayMs > this.#options.maxWaitMs ? 'wait-too-long' : 'deadline';
    return this.giveUp(verdict, reason, delayMs, {method: request.method, url: request.url, request});
  }

  #readTimeoutMs(): number {
    const now = Date.now();
    const attemptLeft = this.#attemptTimeoutMs - (now - this.#attemptStartedAt) - TIMER_MARGIN_MS;
    const callLeft = this.#deadlineAt - now - TIMER_MARGIN_MS;
    return Math.max(0, Math.min(this.#options.bodyTimeoutMs, attemptLeft, callLeft));
  }

  /**
   * Tells the limiter and the guards about a success. Synchronous unless a limiter must hear of
   * it: the pass-through path should cost no extra turn of the event loop.
   */
  #reportSuccess(key: string, sentAt: number): Promise<void> | undefined {
    const {budget, breaker} = this.#options.guards;
    budget?.onSuccess(key, (this.#attempts - 1) * budget.cost('response'));
    breaker?.record(key, 'success');
    return this.#limiterAnswered(key, sentAt);
  }

  /** An answer that is not a throttle: only a key the limiter engaged hears of it. */
  #limiterAnswered(key: string, sentAt: number): Promise<void> | undefined {
    const {limiter} = this.#options;
    return limiter?.engaged(key) ? quietly(limiter.onSuccess(key, {sentAt})) : undefined;
  }

  /** What a failure tells the limiter: a throttle cuts the rate and pauses the key for a stated wait. */
  #feedLimiter(verdict: FailureVerdict, key: string, sentAt: number): Promise<void> | undefined {
    const {limiter, maxWaitMs} = this.#options;
    if (limiter === undefined) {
      return undefined;
    }
    if (verdict.action !== 'throttle') {
      return this.#limiterAnswered(key, sentAt);
    }
    const {statedDelayMs, statedRate} = verdict;
    return quietly(
      limiter.onThrottle(key, {
        // A pause on the whole key is bounded like any wait: a bogus ten-year Retry-After must not
        // stall every later call.
        delayMs: statedDelayMs === undefined ? undefined : Math.min(statedDelayMs, maxWaitMs),
        ratePerSecond: statedRate === undefined ? undefined : (statedRate.limit * 1000) / statedRate.periodMs,
        sentAt,
      }),
    );
  }
}

/** How often a request waiting for a place under the throttle guard looks again. */
const IN_FLIGHT_POLL_MS = 50;

/** Waits `ms`, or rejects with the signal's reason when it aborts; leaves no timer behind. */
const pause = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });

/** Feedback must never break a request: a failing shared store only costs pacing. */
const quietly = async (report: Promise<void>): Promise<void> => {
  await report.catch(() => {});
};

/** A verdict this call makes itself (no response said it): the fields every such verdict has. */
const failure = (
  vendor: string,
  action: FailureVerdict['action'],
  category: FailureVerdict['category'],
  status: number,
  message: string,
): FailureVerdict => ({vendor, action, category, status, message});

/** The synthetic verdict for network errors and timeouts. */
export const networkVerdict = (vendor: string, message: string): FailureVerdict =>
  failure(vendor, 'retry', 'transient', 0, message);

/**
 * The verdict for a successful response whose body must be read but could not be: cut off or
 * too slow is a passing failure (never success); too large to be an error envelope is data.
 */
const unreadable = (
  vendor: string,
  status: number,
  reason: Exclude<ReadOnceIncomplete, 'aborted'>,
): FailureVerdict | undefined =>
  reason === 'too-large'
    ? undefined
    : failure(
        vendor,
        'retry',
        'transient',
        status,
        reason === 'timeout' ? 'the body did not arrive in time' : 'the body was cut off',
      );
