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
 * JSON value (empty to delete), TTL in ms (`0`: none), the pause in ms (empty: none).
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
  redis.call('HDEL', KEYS[1], 'val', 'pause')
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
if ARGV[3] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('PERSIST', KEYS[1])
end
return {1, now, next}
`);

/**
 * GCRA admission of up to `want` requests at once (a lease). KEYS: the GCRA key, the value hash
 * (its `pause` field), the fleet set. ARGV: the emission interval in microseconds, the burst,
 * how many tokens to take, the tokens given back from an unused lease, this process's id.
 * Returns `{granted, waitMs, fleetSize}`: `granted` is 0 when the caller must wait `waitMs`.
 */
export const ADMIT_SCRIPT = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local back = tonumber(ARGV[4])
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 5000000)
redis.call('PEXPIRE', KEYS[3], 10000)
local fleet = redis.call('ZCARD', KEYS[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if back > 0 then
  tat = tat - back * interval
end
if tat < now then
  tat = now
end
local pause = tonumber(redis.call('HGET', KEYS[2], 'pause') or '0') * 1000
if pause > now then
  return {0, math.ceil((pause - now) / 1000), fleet}
end
local granted = math.floor((now + burst * interval - tat) / interval)
if granted > want then
  granted = want
end
if granted < 1 then
  return {0, math.max(1, math.ceil((tat + interval - burst * interval - now) / 1000)), fleet}
end
tat = tat + granted * interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
return {granted, 0, fleet}
`);
