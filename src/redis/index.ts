/**
 * @module `ky-vendors/redis`: shared state in Redis, so a fleet of processes shares one vendor quota.
 */
export {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
  type RedisStoreStats,
} from './create-redis-store.ts';
export {fleetPacing} from './fleet-pacing.ts';
export {type RedisKeys, redisKeys} from './redis-keys.ts';
