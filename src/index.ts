/**
 * @module ky-vendors: vendor-aware resilience for ky.
 */

export type {ClassifyInput} from './classify/classify.ts';
export {classify} from './classify/classify.ts';
export {DEFAULT_STATUS_RULES} from './classify/default-status-rules.ts';
export type {AuthHooks, AuthRefresh} from './core/auth-refresh.ts';
export {AUTH_REFRESH} from './core/auth-refresh.ts';
export type {
  CodeOf,
  CodeTable,
  Envelope,
  Evidence,
  HintInput,
  HintParser,
  KnownCodeOf,
  ResponseHead,
  ResponseParts,
  StatusRules,
  Vendor,
  VendorDefinition,
} from './core/define-vendor.ts';
export {defineVendor, envelope, matchesVendor} from './core/define-vendor.ts';
export type {FetchFunction} from './core/fetch-function.ts';
export type {RateLimitHint} from './core/hints.ts';
export {
  parseRateLimit,
  parseRateWindow,
  parseTryAgainIn,
  rateLimitHint,
  rateWindowHint,
  tryAgainInHint,
} from './core/hints.ts';
export {parseRetryAfter} from './core/parse-retry-after.ts';
export type {RedactOptions, RegisterSecretOptions} from './core/redact.ts';
export {REDACTED, redact, redactUrl, redactValue, registerSecret} from './core/redact.ts';
export type {Rule} from './core/rule.ts';
export {
  auth,
  conflict,
  jobFailed,
  notFound,
  notReady,
  permission,
  quota,
  serverFault,
  serverRetry,
  throttled,
  transient,
  validation,
} from './core/rule.ts';
export {isSecretName} from './core/secret-names.ts';
export type {
  Action,
  Category,
  FailureVerdict,
  OkVerdict,
  StatedRate,
  VendorCodeValue,
  Verdict,
} from './core/types.ts';
export {vendorOf} from './core/vendor-of.ts';
export type {
  AttemptPayload,
  DiagnosticsOptions,
  LimiterRatePayload,
  LimiterWaitPayload,
  VerdictPayload,
} from './diagnostics/index.ts';
export {CHANNELS, diagnosticsChannels} from './diagnostics/index.ts';
export {AuthError} from './errors/AuthError.ts';
export {CircuitOpenError} from './errors/CircuitOpenError.ts';
export {ConflictError} from './errors/ConflictError.ts';
export {createVendorError} from './errors/create-vendor-error.ts';
export {isVendorError} from './errors/is-vendor-error.ts';
export {JobFailedError} from './errors/JobFailedError.ts';
export {NotFoundError} from './errors/NotFoundError.ts';
export {NotReadyError} from './errors/NotReadyError.ts';
export {QuotaError} from './errors/QuotaError.ts';
export {RateLimitError} from './errors/RateLimitError.ts';
export {ServerError} from './errors/ServerError.ts';
export {sealKyError} from './errors/seal-ky-error.ts';
export {ValidationError} from './errors/ValidationError.ts';
export type {VendorErrorInit} from './errors/VendorError.ts';
export {VendorError} from './errors/VendorError.ts';
export type {
  AttemptEndEvent,
  AttemptQueuedEvent,
  AttemptStartEvent,
  CallEventBase,
  CallObserver,
} from './ky/call-observer.ts';
export {limiterOf} from './ky/limiter-of.ts';
export type {VendorContext} from './ky/vendor-context.ts';
export {vendorHooks} from './ky/vendor-hooks.ts';
export type {GiveUpEvent, GiveUpReason, RetryEvent, VendorOptions} from './ky/vendor-options.ts';
export {DEFAULT_OPTIONS} from './ky/vendor-options.ts';
export {withVendor} from './ky/with-vendor.ts';
export type {
  CircuitBreaker,
  CircuitBreakerOptions,
  CircuitPermit,
  CircuitState,
} from './policy/circuit-breaker.ts';
export {createCircuitBreaker, DEFAULT_CIRCUIT_BREAKER} from './policy/circuit-breaker.ts';
export type {AttemptContext, Decision} from './policy/decide-attempt.ts';
export {decideAttempt} from './policy/decide-attempt.ts';
export {IDEMPOTENT_METHODS, mayResend} from './policy/idempotency.ts';
export type {
  AcquireOptions,
  Limiter,
  LimiterChange,
  LimiterSnapshot,
  Release,
  SuccessFeedback,
} from './policy/limiter/create-limiter.ts';
export {createLimiter, LimiterWaitError} from './policy/limiter/create-limiter.ts';
export {limiterKey} from './policy/limiter/limiter-key.ts';
export type {LimiterOptions} from './policy/limiter/limiter-options.ts';
export {DEFAULT_LIMITER_OPTIONS} from './policy/limiter/limiter-options.ts';
export type {LimiterState, ThrottleFeedback} from './policy/limiter/limiter-state.ts';
export type {
  HeardAnswer,
  LimiterPacing,
  Pacing,
  PacingContext,
  StateChange,
} from './policy/limiter/pacing.ts';
export type {RetryBudget, RetryBudgetOptions} from './policy/retry-budget.ts';
export {createRetryBudget, DEFAULT_RETRY_BUDGET} from './policy/retry-budget.ts';
export type {MemoryStoreOptions} from './policy/store/memory-store.ts';
export {createMemoryStore} from './policy/store/memory-store.ts';
export type {Store, StoreRate, StoreUpdateOptions} from './policy/store/store.ts';
export type {ThrottleGuard, ThrottleGuardOptions} from './policy/throttle-guard.ts';
export {createThrottleGuard} from './policy/throttle-guard.ts';
export type {PollContext, PollEvent, PollOptions, PollResult} from './poll/poll.ts';
export {DEFAULT_POLL_OPTIONS, poll} from './poll/poll.ts';
export {brightdata} from './vendors/brightdata/brightdata.ts';
export {huaweiCloud} from './vendors/huawei/huawei-cloud.ts';
export {supametas} from './vendors/supametas/supametas.ts';
export {upyun} from './vendors/upyun/upyun.ts';
