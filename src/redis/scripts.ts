/**
 * @module The Lua scripts of the Redis store: compare-and-set of a JSON value, and GCRA admission.
 * Both read the clock with `TIME` on the server, so workers' clocks do not matter.
 */
import {createHash} from 'node:crypto';

/** A script's source and its SHA-1, for `EVALSHA`. */
export type Script = {readonly source: string; readonly sha: string};

const script = (source: string): Script => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});

/**
 * Compare-and-set. KEYS[1] the value hash. ARGV: expected version (`?` to only read), the next
 * JSON value (empty to delete), TTL in ms (`0`: none), the pause in ms (empty: none), the rate
 * per second `admit` paces the key at (empty: none). Pause and rate sit in fields of their own,
 * so the GCRA script reads them without parsing JSON.
 * Returns `{1, nowMs, newVersion}` when written, else `{0, nowMs, value|false, version}`:
 * the fresh read the caller retries with. A delete keeps the version (a tombstone), so a writer
 * that read an absent key cannot overwrite a newer absent-again key unnoticed.
 */
export const CAS_SCRIPT = script(`
local t = redis.call('TIME')
local now = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
local ver = redis.call('HGET', KEYS[1], 'ver') or '0'
if ARGV[1] ~= ver then
  return {0, now, redis.call('HGET', KEYS[1], 'val') or false, ver}
end
local next = tostring(tonumber(ver) + 1)
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], 'val', 'pause', 'rate')
  redis.call('HSET', KEYS[1], 'ver', next)
  redis.call('PEXPIRE', KEYS[1], 600000)
  return {1, now, next}
end
redis.call('HSET', KEYS[1], 'val', ARGV[2], 'ver', next)
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], 'pause')
else
  redis.call('HSET', KEYS[1], 'pause', ARGV[4])
end
if ARGV[5] == '' then
  redis.call('HDEL', KEYS[1], 'rate')
else
  redis.call('HSET', KEYS[1], 'rate', ARGV[5])
end
if ARGV[3] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('PERSIST', KEYS[1])
end
return {1, now, next}
`);

/**
 * GCRA admission, the same decision as `gcraAdmit()` on the server's clock. KEYS: the GCRA key,
 * the value hash (its `pause` and `rate` fields), the fleet set. ARGV: the emission interval in
 * integer microseconds, the burst, how many tokens to take now (a lease), the tokens given back
 * from an unused lease, this process's id, how long a wait may be to reserve a token (ms), and
 * the version of the value hash the caller has.
 * The key's stored `rate`, when it has one, replaces the caller's interval (the burst keeps its
 * length in time): every process paces at the rate last written, not the one it last read.
 * Returns `{granted, waitMs, fleetSize, intervalUs, version, value}`: tokens to spend now
 * (`waitMs` 0), one token reserved for after `waitMs`, or `granted` 0: ask again after `waitMs`;
 * the interval paced at; and the value hash's version and JSON when the caller's version is not
 * the current one (so its next compare-and-set does not start from a stale version). Integer arithmetic throughout: a
 * fractional interval once made `floor((now + interval - tat) / interval)` 0 with one token due.
 */
export const ADMIT_SCRIPT = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local back = tonumber(ARGV[4])
local reserve = tonumber(ARGV[6])
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 5000000)
redis.call('PEXPIRE', KEYS[3], 10000)
local fleet = redis.call('ZCARD', KEYS[3])
local span = math.floor(burst * interval)
local fields = redis.call('HMGET', KEYS[2], 'pause', 'rate', 'ver', 'val')
local ver = fields[3] or '0'
local fresh = {}
if ver ~= ARGV[7] then
  fresh = {ver, fields[4] or false}
end
local stored = tonumber(fields[2] or '0') or 0
if stored > 0 then
  interval = math.max(1, math.floor(1000000 / stored + 0.5))
  if span < interval then
    span = interval
  end
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') - back * interval
if tat < now then
  tat = now
end
local at = tat + interval - span
if at < now then
  at = now
end
local pause = (tonumber(fields[1] or '0') or 0) * 1000
if pause > at then
  at = pause
end
local wait = math.ceil((at - now) / 1000)
local granted = 1
if wait > 0 then
  if wait > reserve then
    return {0, wait, fleet, interval, fresh[1] or false, fresh[2] or false}
  end
  if at > tat then
    tat = at
  end
else
  granted = math.floor((now + span - tat) / interval)
  if granted > want then
    granted = want
  end
  if granted < 1 then
    granted = 1
  end
end
tat = tat + granted * interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
return {granted, wait, fleet, interval, fresh[1] or false, fresh[2] or false}
`);
