/**
 * @module The request and response shapes of the UPYUN simulator, independent of msw and node:http.
 */

/**
 * A request as the simulator sees it: already buffered.
 *
 * @example
 * ```ts
 * await sim.handle({method: 'PUT', url: '/bucket/a.txt', headers: new Headers(), body: new Uint8Array(3)});
 * ```
 */
export type SimRequest = {
  readonly method: string;
  /** The absolute URL, or the path with its query (`/bucket/a.txt`). */
  readonly url: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
};

/**
 * The simulator's answer.
 *
 * @example
 * ```ts
 * const {status, headers} = await sim.handle(request); // 429, {'x-error-code': '42900001', …}
 * ```
 */
export type SimResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** `undefined` for 204s and `HEAD` answers. */
  readonly body?: string | Uint8Array<ArrayBuffer> | undefined;
};

/**
 * A request after routing, as handed to `intercept`.
 *
 * @example
 * ```ts
 * intercept: ({path, stage}) => (stage === 'complete' ? upyunError(50300013, 'put file capture timeout') : undefined)
 * ```
 */
export type SimRequestInfo = {
  readonly method: string;
  /** The decoded object path, bucket first (`/photos/cat 1.jpg`; a folder may end with `/`). */
  readonly path: string;
  /** The raw query, without `?` (`usage`, `metadata=merge`, or `''`). */
  readonly query: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** The `x-upyun-multi-stage` header (`initiate`, `upload`, `complete`), if any. */
  readonly stage: string | undefined;
};

/**
 * One stored object.
 *
 * @example
 * ```ts
 * expect(sim.files.get('/bucket/a.txt')?.writes).toBe(1); // stored exactly once
 * ```
 */
export type StoredFile = {
  readonly path: string;
  readonly size: number;
  /** How many times it was written (a plain PUT or a multipart `complete`). */
  readonly writes: number;
  /** The content, when the simulator keeps bodies (`storeBodies`). */
  readonly body: Uint8Array | undefined;
  readonly contentType: string | undefined;
  /** Its `x-upyun-meta-*` headers, names in lower case. */
  readonly meta: Readonly<Record<string, string>>;
  readonly modifiedAtMs: number;
};

/**
 * The simulator's counters, live: they change as requests arrive; `sim.reset()` zeroes them.
 *
 * @example
 * ```ts
 * const {requests, throttled, transient} = sim.counters;
 * ```
 */
export type UpyunSimulatorCounts = {
  readonly requests: number;
  /** Body bytes received, all requests. */
  readonly bytesReceived: number;
  /** 2xx answers. */
  readonly ok: number;
  /** 429 42900001 answers from the rate limit. */
  readonly throttled: number;
  /** 429 42900001 answers drawn at random by `noiseThrottleRate`, with no limit behind them. */
  readonly noiseThrottled: number;
  /** Rate-limit 429s (`throttled`) per bucket, by name; `*` is the service-wide limit. */
  readonly throttledByBucket: Readonly<Record<string, number>>;
  /** 429 42900004 answers while banned. */
  readonly banned: number;
  /** Injected transient 503 50300013 answers. */
  readonly transient: number;
  /** 503 50300007 answers: the same file changed twice within the interval. */
  readonly sameFile: number;
  /** 401 answers from the signature check. */
  readonly authFailures: number;
  readonly multipartInitiated: number;
  readonly multipartParts: number;
  readonly multipartCompleted: number;
  readonly byStatus: Readonly<Record<number, number>>;
  /** Error answers by UPYUN code. */
  readonly byCode: Readonly<Record<number, number>>;
};
