/**
 * @module `createRedisStore()`: the `Store` in Redis, so many processes share one vendor quota.
 *
 * Why it is built this way:
 * - `update` is compare-and-set on a version, in one Lua script that also reads the server's
 *   `TIME`: `change` runs here (it is a JavaScript function) and the write only lands when nobody
 *   wrote in between; on a conflict the script answers the fresh value, so a retry costs one round
 *   trip. The first write of a key this process knows needs no read: it sends the version it last saw.
 *   Changes of one key that arrive while a write is on its way go together in the next write, so a
 *   busy process pays one round trip per batch, not per change.
 * - `admit` is GCRA in one Lua script on the server's clock, in integer microseconds (fractional
 *   intervals once made a due token look not due, and a queue stalled), so no worker's clock skew
 *   can double-spend. It paces at the rate the key's value holds (`ratePerSecond`, written by the
 *   limiter's last update from any process) and honours its pause. A wait up to `reserveMs`
 *   reserves the token: one round trip per request, where refusing would cost one per try and
 *   wake every waiting process at once. At high rates one round trip takes a small lease of
 *   tokens. Its reply also carries the value's version when it changed, so this process's next
 *   write of the key lands without a conflict.
 * - Redis is never on the failure path: a command that errors or takes longer than
 *   `commandTimeoutMs` is answered from a local mirror (the last values seen), `admit` paces at
 *   this process's share of the fleet's recent average rate, and Redis is asked again shortly
 *   after. A server that comes back empty is seeded from the mirror, so the learned state
 *   survives a restart.
 */
import type {Cluster, Redis} from 'ioredis';
import {createSharedCircuitBreaker} from '../policy/shared/create-shared-circuit-breaker.ts';
import {createSharedRetryBudget} from '../policy/shared/create-shared-retry-budget.ts';
import type {Store, StoreRate, StoreUpdateOptions} from '../policy/store/store.ts';
import {fleetPacing} from './fleet-pacing.ts';
import {gcraAdmit} from './gcra.ts';
import {leaseSize} from './lease-size.ts';
import {redisKeys} from './redis-keys.ts';
import {ADMIT_SCRIPT, CAS_SCRIPT, type Script} from './scripts.ts';

/** Options of `createRedisStore()`. */
export type RedisStoreOptions = {
  /**
   * A connected (or connecting) ioredis client: `new Redis(url)` or `new Redis.Cluster(nodes)`.
   * The store never closes it.
   * @example
   * ```ts
   * createRedisStore({client: new Redis('redis://127.0.0.1:6379')});
   * ```
   */
  readonly client: Redis | Cluster;
  /**
   * Starts every key, inside the hash tag (`{prefix:key}:…`); separate applications sharing one
   * Redis use different prefixes.
   * @default 'ky-vendors'
   * @example
   * ```ts
   * createRedisStore({client, prefix: 'billing-workers'});
   * ```
   */
  readonly prefix?: string;
  /**
   * A command slower than this is given up and answered locally; Redis is asked again after
   * `offlineMs`. Requests never wait longer than this for the store.
   * @default 500
   * @example
   * ```ts
   * createRedisStore({client, commandTimeoutMs: 100});
   * ```
   */
  readonly commandTimeoutMs?: number;
  /**
   * How long after a failed command every operation stays local before Redis is tried again.
   * @default 1000
   * @example
   * ```ts
   * createRedisStore({client, offlineMs: 250});
   * ```
   */
  readonly offlineMs?: number;
  /**
   * The most tokens one `admit` round trip takes (a lease spent locally within 50 ms). The lease
   * also stays within half this process's share of the burst, so it cannot overfill the vendor.
   * `1` turns leases off.
   * @default 8
   * @example
   * ```ts
   * createRedisStore({client, leaseSize: 1});
   * ```
   */
  readonly leaseSize?: number;
};

/** What the store did, for benchmarks and telemetry. */
export type RedisStoreStats = {
  /** Commands sent to Redis (answered or not). */
  readonly roundTrips: number;
  /** `admit` calls, and those answered from a lease without Redis. */
  readonly admits: number;
  readonly leaseHits: number;
  /** `update` calls, and the compare-and-set conflicts they retried. */
  readonly updates: number;
  readonly conflicts: number;
  /** Operations answered locally because Redis failed, was slow or was away. */
  readonly fallbacks: number;
  /** Commands that failed or timed out. */
  readonly errors: number;
  /**
   * Round trips per purpose: `admit` for the GCRA script, else the `label` of the update that
   * started the write (`limiter:learn`, `limiter:throttle`, `guard:admit`…; `update` unlabelled).
   */
  readonly tripsByLabel: Readonly<Record<string, number>>;
};

/** A `Store` in Redis, with `admit`, the limiter's `fleetPacing`, a shared retry budget and breaker, and counters. */
export type RedisStore = Store & {
  readonly admit: NonNullable<Store['admit']>;
  readonly pacing: NonNullable<Store['pacing']>;
  readonly retryBudget: NonNullable<Store['retryBudget']>;
  readonly circuitBreaker: NonNullable<Store['circuitBreaker']>;
  /** Counters since creation. */
  readonly stats: () => RedisStoreStats;
  /** `true` while operations go to Redis (not answered locally after a fault). */
  readonly shared: () => boolean;
};

/** The defaults of `RedisStoreOptions`, in one place. */
const DEFAULTS = {prefix: 'ky-vendors', commandTimeoutMs: 500, offlineMs: 1000, leaseSize: 8} as const;
/** How long a lease's tokens may be spent: longer would let held tokens pile onto fresh ones. */
const LEASE_MS = 50;
/** Compare-and-set attempts of one `update` before it is answered locally. */
const MAX_ATTEMPTS = 64;
/** How long the server keeps a deleted key's version (the CAS script's `PEXPIRE` on delete). */
const TOMBSTONE_MS = 600_000;
/** Keys the local mirror keeps. */
const MAX_MIRRORED = 10_000;
/**
 * How long the moving average of a key's shared rate remembers, in ms. A learned rate probes
 * above the limit between cuts and starts below it: its average over the last second or so is a
 * better pace for a fleet without Redis than the rate of the moment Redis failed.
 */
const AVERAGE_MS = 1000;

/** The slice of ioredis the store uses (both `Redis` and `Cluster` have it). */
type Client = {
  readonly status: string;
  evalsha(sha: string, keys: number, ...args: string[]): Promise<unknown>;
  eval(source: string, keys: number, ...args: string[]): Promise<unknown>;
};

/** A key's last known value; `version` is Redis's, or `undefined` when written locally. */
type Mirrored = {value: unknown; version: string | undefined; expiresAt: number};
type Lease = {left: number; expiresAt: number; ratePerSecond: number};
/** A moving average of the rate a key paced at through Redis, and when it was last moved. */
type Average = {rate: number; at: number};
/** One `update` waiting for its key's next write. */
type Pending = {
  readonly change: (current: unknown, nowMs: number) => readonly [unknown, unknown];
  readonly ttlMs: number | undefined;
  readonly label: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
};
type Outcome = {readonly ok: true; readonly result: unknown} | {readonly ok: false; readonly error: unknown};

class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

const positive = (name: string, value: number, integer: boolean): void => {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`\`${name}\` must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
};

/** The pause a value puts on `admit` of its key: a numeric `pausedUntil` (ms), as the limiter keeps. */
const pauseOf = (value: unknown): number | undefined => {
  const until = (value as {pausedUntil?: unknown} | undefined)?.pausedUntil;
  return typeof until === 'number' && Number.isFinite(until) && until > 0 ? until : undefined;
};

/** The pace a value sets for `admit` of its key: a numeric `ratePerSecond`, as the limiter keeps. */
const rateOf = (value: unknown): number | undefined => {
  const rate = (value as {ratePerSecond?: unknown} | undefined)?.ratePerSecond;
  return typeof rate === 'number' && Number.isFinite(rate) && rate > 0 ? rate : undefined;
};

const parse = (json: unknown): unknown => {
  if (typeof json !== 'string') {
    return undefined;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    // Not ours (or damaged): treated as absent, and overwritten by the next write.
    return undefined;
  }
};

/**
 * Creates a store in Redis. Give the same store (or stores over the same Redis and prefix) to every
 * process that calls one vendor account, and they pace together.
 *
 * @example
 * ```ts
 * import {Redis} from 'ioredis';
 * import {createRedisStore} from 'ky-vendors/redis';
 *
 * const store = createRedisStore({client: new Redis(process.env.REDIS_URL)});
 * const api = ky.create({prefix: 'https://v0.api.upyun.com', ...withVendor(upyun, {store})});
 * ```
 */
export const createRedisStore = (options: RedisStoreOptions): RedisStore => {
  const client = options.client as unknown as Client;
  if (client === null || typeof client !== 'object' || typeof client.evalsha !== 'function') {
    throw new TypeError('`client` must be an ioredis `Redis` or `Cluster`');
  }
  const prefix = options.prefix ?? DEFAULTS.prefix;
  if (typeof prefix !== 'string' || prefix === '') {
    throw new TypeError('`prefix` must be a non-empty string');
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs;
  const offlineMs = options.offlineMs ?? DEFAULTS.offlineMs;
  const maxLease = options.leaseSize ?? DEFAULTS.leaseSize;
  positive('commandTimeoutMs', commandTimeoutMs, false);
  positive('offlineMs', offlineMs, false);
  positive('leaseSize', maxLease, true);
  const processId = `${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

  const stats = {roundTrips: 0, admits: 0, leaseHits: 0, updates: 0, conflicts: 0, fallbacks: 0, errors: 0};
  const mirror = new Map<string, Mirrored>();
  const leases = new Map<string, Lease>();
  /** The local GCRA's theoretical arrival time per key, used while Redis is away. */
  const localTat = new Map<string, number>();
  const fleetSizes = new Map<string, number>();
  /** The recent average rate each key paced at through Redis: its share paces it while Redis is away. */
  const sharedRates = new Map<string, Average>();
  let everReady = false;
  let offlineUntil = 0;
  /** The server's clock minus ours, from the last reply: the local fallback keeps the server's time. */
  let offsetMs = 0;

  const serverNow = (): number => Date.now() + offsetMs;

  const remember = <V>(map: Map<string, V>, key: string, value: V): void => {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_MIRRORED) {
      const oldest = map.keys().next();
      if (oldest.done !== true) {
        map.delete(oldest.value);
      }
    }
  };

  const online = (): boolean => {
    if (client.status === 'ready') {
      everReady = true;
    } else if (everReady || !['wait', 'connect', 'connecting'].includes(client.status)) {
      // Reconnecting or closed: do not queue commands behind a reconnect.
      return false;
    }
    return Date.now() >= offlineUntil;
  };

  const tripsByLabel = new Map<string, number>();
  const countTrip = (label: string): void => {
    stats.roundTrips++;
    tripsByLabel.set(label, (tripsByLabel.get(label) ?? 0) + 1);
  };

  const run = async (
    label: string,
    script: Script,
    keys: readonly string[],
    args: readonly string[],
  ): Promise<unknown[]> => {
    countTrip(label);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeoutError('redis command timed out')), commandTimeoutMs);
    });
    const call = async (): Promise<unknown> => {
      try {
        return await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
          // A restarted server (or another Cluster node) has not seen it: EVAL also caches it there.
          countTrip(label);
          return client.eval(script.source, keys.length, ...keys, ...args);
        }
        throw error;
      }
    };
    try {
      const reply = await Promise.race([call(), timeout]);
      if (!Array.isArray(reply)) {
        throw new TypeError('unexpected reply from a ky-vendors script');
      }
      return reply;
    } catch (error) {
      stats.errors++;
      offlineUntil = Date.now() + offlineMs;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  /** Reads the server's clock from a reply (ms) and keeps the offset to ours. */
  const clockOf = (reply: unknown[], sentAt: number): number => {
    const now = Number(reply[1]);
    offsetMs = now - (sentAt + Date.now()) / 2;
    return now;
  };

  /**
   * Applies a batch of changes in order to one value: the value after them, each change's answer
   * (or the error it threw, which stays its own), and the TTL the last change asked for.
   */
  const applyAll = (batch: readonly Pending[], current: unknown, now: number) => {
    let value = current;
    const outcomes: Outcome[] = [];
    for (const pending of batch) {
      try {
        const [next, result] = pending.change(value, now);
        value = next;
        outcomes.push({ok: true, result});
      } catch (error) {
        outcomes.push({ok: false, error});
      }
    }
    return {value, outcomes, ttlMs: batch.at(-1)?.ttlMs};
  };

  const applyLocally = (key: string, batch: readonly Pending[]): Outcome[] => {
    stats.fallbacks += batch.length;
    const now = serverNow();
    const found = mirror.get(key);
    const current = found === undefined || found.expiresAt <= now ? undefined : found.value;
    const {value, outcomes, ttlMs} = applyAll(batch, current, now);
    if (value === undefined) {
      mirror.delete(key);
    } else {
      remember(mirror, key, {
        value,
        version: undefined,
        expiresAt: now + (ttlMs ?? Infinity),
      });
    }
    return outcomes;
  };

  const applyShared = async (key: string, batch: readonly Pending[]): Promise<Outcome[]> => {
    if (!online()) {
      return applyLocally(key, batch);
    }
    const keys = [redisKeys(prefix, key).value];
    const label = batch[0]?.label ?? 'update';
    const known = mirror.get(key);
    let expected = known?.version ?? '?';
    let current = known?.value;
    /** Where `current` came from: the mirror, the server just now, or the mirror re-seeding a server that lost it. */
    let source: 'mirror' | 'server' | 'seed' = 'mirror';
    let now = serverNow();
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const sentAt = Date.now();
        let reply: unknown[];
        let applied: ReturnType<typeof applyAll> | undefined;
        const unchanged = expected !== '?' && source !== 'seed' ? applyAll(batch, current, now) : undefined;
        if (unchanged !== undefined && unchanged.value === current && source === 'server') {
          // The changes keep the value the server just sent: nothing to write.
          remember(mirror, key, {
            value: current,
            version: expected,
            expiresAt: mirror.get(key)?.expiresAt ?? Number.POSITIVE_INFINITY,
          });
          return unchanged.outcomes;
        }
        if (expected === '?' || (unchanged !== undefined && unchanged.value === current)) {
          // Unknown, or kept as the mirror has it: read (one round trip, no new version) and
          // decide again on the server's value.
          reply = await run(label, CAS_SCRIPT, keys, ['?', '', '0', '', '']);
        } else {
          applied = unchanged ?? applyAll(batch, current, now);
          const {value, ttlMs} = applied;
          const pause = pauseOf(value);
          const pace = rateOf(value);
          reply = await run(label, CAS_SCRIPT, keys, [
            expected,
            value === undefined ? '' : JSON.stringify(value),
            String(ttlMs === undefined ? 0 : Math.ceil(ttlMs)),
            pause === undefined ? '' : String(Math.ceil(pause)),
            pace === undefined ? '' : String(pace),
          ]);
        }
        now = clockOf(reply, sentAt);
        if (reply[0] === 1 && applied !== undefined) {
          const {value, ttlMs} = applied;
          // A delete is remembered too, with its version (the server keeps the tombstone for
          // TOMBSTONE_MS): the next write of the key needs no read first.
          remember(mirror, key, {
            value,
            version: String(reply[2]),
            expiresAt: now + (value === undefined ? TOMBSTONE_MS : (ttlMs ?? Infinity)),
          });
          if ((pauseOf(value) ?? 0) > now) {
            // This process paused the key: its lease must not outlive the pause.
            leases.delete(key);
          }
          return applied.outcomes;
        }
        if (applied !== undefined) {
          stats.conflicts++;
          if (attempt >= 2) {
            // Writers that keep colliding step apart, a little more each time.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
          }
        }
        expected = String(reply[3]);
        current = parse(reply[2]);
        source = 'server';
        const stale = mirror.get(key);
        if (expected === '0' && stale?.value !== undefined && stale.expiresAt > now) {
          // The server lost the key (a restart): resume from what this process last knew.
          current = stale.value;
          source = 'seed';
        }
      }
    } catch {
      // Redis failed or was slow: answered below from the mirror.
    }
    return applyLocally(key, batch);
  };

  /** Changes waiting per key, and the keys being written now. */
  const waiting = new Map<string, Pending[]>();
  const writing = new Set<string>();

  /**
   * Writes a key's waiting changes, batch after batch. Changes that arrive while a write is on
   * its way go together in the next one: one compare-and-set per batch instead of one per change,
   * and this process's writers never conflict with each other.
   */
  const drain = async (key: string): Promise<void> => {
    writing.add(key);
    try {
      for (let batch = waiting.get(key); batch !== undefined; batch = waiting.get(key)) {
        waiting.delete(key);
        const outcomes = await applyShared(key, batch);
        batch.forEach((pending, index) => {
          const outcome = outcomes[index];
          if (outcome?.ok === true) pending.resolve(outcome.result);
          else pending.reject(outcome?.error);
        });
      }
    } finally {
      writing.delete(key);
    }
  };

  const update: Store['update'] = <S, R>(
    key: string,
    change: (current: S | undefined, nowMs: number) => readonly [S | undefined, R],
    updateOptions: StoreUpdateOptions = {},
  ): Promise<R> => {
    const {ttlMs} = updateOptions;
    if (ttlMs !== undefined && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
      return Promise.reject(new TypeError(`\`ttlMs\` must be a positive number, got ${ttlMs}`));
    }
    stats.updates++;
    return new Promise<R>((resolve, reject) => {
      const pending: Pending = {
        change: change as Pending['change'],
        ttlMs,
        label: updateOptions.label ?? 'update',
        resolve: resolve as (result: unknown) => void,
        reject,
      };
      const batch = waiting.get(key);
      if (batch === undefined) waiting.set(key, [pending]);
      else batch.push(pending);
      if (!writing.has(key)) void drain(key);
    });
  };

  /** The GCRA interval of a rate, in whole microseconds (the script's arithmetic is integer). */
  const intervalUs = (ratePerSecond: number): number => Math.max(1, Math.round(1e6 / ratePerSecond));

  /**
   * Keeps the mirror of a key at the version an `admit` reply saw, so this process's next write of
   * it (what the limiter learned) lands at once instead of conflicting and retrying.
   */
  const freshen = (key: string, version: unknown, json: unknown): void => {
    if (typeof version !== 'string' && typeof version !== 'number') {
      return;
    }
    if (waiting.has(key) || writing.has(key)) {
      // A write of this key is on its way: it reads the fresh value itself if it conflicts.
      return;
    }
    remember(mirror, key, {
      value: parse(json),
      version: String(version),
      expiresAt: mirror.get(key)?.expiresAt ?? Infinity,
    });
  };

  const noteSharedRate = (key: string, ratePerSecond: number): void => {
    const now = Date.now();
    const average = sharedRates.get(key);
    if (average === undefined) {
      remember(sharedRates, key, {rate: ratePerSecond, at: now});
      return;
    }
    average.rate += (ratePerSecond - average.rate) * (1 - Math.exp(-(now - average.at) / AVERAGE_MS));
    average.at = now;
  };

  const admitLocally = (key: string, rate: Required<StoreRate>): number => {
    stats.fallbacks++;
    const nowUs = Math.round(serverNow() * 1000);
    // Without Redis a process paces at its share of the fleet's recent average rate, and stated
    // pauses still hold. What it learns alone does not move that pace: its state was learned from
    // the fleet's answers and would go on from this process's alone, two scales in one measure
    // (a cut measured on one process's answers, divided by the fleet again, would leave it a
    // fraction of its share and its work last to finish).
    const share = Math.max(1, fleetSizes.get(key) ?? 1);
    const ratePerSecond = (sharedRates.get(key)?.rate ?? rate.ratePerSecond) / share;
    const decision = gcraAdmit({
      nowUs,
      tatUs: localTat.get(key) ?? 0,
      intervalUs: intervalUs(ratePerSecond),
      burst: Math.max(1, (rate.burst * ratePerSecond) / rate.ratePerSecond),
      want: 1,
      reserveMs: rate.reserveMs,
      pauseUntilUs: Math.ceil(pauseOf(mirror.get(key)?.value) ?? 0) * 1000,
    });
    if (decision.granted > 0) {
      remember(localTat, key, decision.tatUs);
    }
    return decision.waitMs;
  };

  const admit: RedisStore['admit'] = async (key, rate) => {
    const {ratePerSecond, burst} = rate;
    const reserveMs = rate.reserveMs ?? 0;
    positive('ratePerSecond', ratePerSecond, false);
    positive('burst', burst, false);
    if (!(reserveMs >= 0 && Number.isFinite(reserveMs))) {
      throw new TypeError(`\`reserveMs\` must be a finite, non-negative number, got ${reserveMs}`);
    }
    stats.admits++;
    const lease = leases.get(key);
    if (
      lease !== undefined &&
      lease.left > 0 &&
      Date.now() < lease.expiresAt &&
      lease.ratePerSecond === ratePerSecond
    ) {
      lease.left--;
      stats.leaseHits++;
      return 0;
    }
    leases.delete(key);
    if (!online()) {
      return admitLocally(key, {ratePerSecond, burst, reserveMs});
    }
    const keys = redisKeys(prefix, key);
    const want = leaseSize({
      ratePerSecond,
      burst,
      fleetSize: fleetSizes.get(key) ?? 1,
      maxLease,
      leaseMs: LEASE_MS,
    });
    // Tokens of an expired lease go back, so a lease never costs the fleet capacity.
    const back = lease !== undefined && lease.ratePerSecond === ratePerSecond ? lease.left : 0;
    try {
      const reply = await run(
        'admit',
        ADMIT_SCRIPT,
        [keys.gcra, keys.value, keys.fleet],
        [
          String(intervalUs(ratePerSecond)),
          String(Math.max(1, burst)),
          String(want),
          String(back),
          processId,
          String(Math.floor(reserveMs)),
          mirror.get(key)?.version ?? '',
        ],
      );
      freshen(key, reply[4], reply[5]);
      const granted = Number(reply[0]);
      const waitMs = Number(reply[1]);
      remember(fleetSizes, key, Math.max(1, Number(reply[2])));
      const pacedUs = Number(reply[3]);
      noteSharedRate(key, pacedUs > 0 ? 1e6 / pacedUs : ratePerSecond);
      if (granted > 1 && waitMs === 0) {
        leases.set(key, {left: granted - 1, expiresAt: Date.now() + LEASE_MS, ratePerSecond});
      }
      return granted > 0 ? Math.max(0, waitMs) : Math.max(1, waitMs);
    } catch {
      return admitLocally(key, {ratePerSecond, burst, reserveMs});
    }
  };

  const store: RedisStore = {
    update,
    admit,
    pacing: fleetPacing,
    retryBudget: (budgetOptions) => createSharedRetryBudget({...budgetOptions, store}),
    circuitBreaker: (breakerOptions) => createSharedCircuitBreaker({...breakerOptions, store}),
    stats: () => Object.freeze({...stats, tripsByLabel: Object.freeze(Object.fromEntries(tripsByLabel))}),
    shared: () => online(),
  };
  return store;
};
