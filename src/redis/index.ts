/**
 * @module `ky-vendors/redis`: shared state in Redis, so a fleet of processes shares one vendor
 * quota, one retry budget and one circuit breaker per key.
 */
export {
  createSharedCircuitBreaker,
  type SharedCircuitBreaker,
  type SharedCircuitBreakerOptions,
} from '../policy/shared/create-shared-circuit-breaker.ts';
export {
  createSharedRetryBudget,
  type SharedRetryBudget,
  type SharedRetryBudgetOptions,
} from '../policy/shared/create-shared-retry-budget.ts';
export {
  createRedisStore,
  type RedisStore,
  type RedisStoreOptions,
  type RedisStoreStats,
} from './create-redis-store.ts';
export {fleetPacing} from './fleet-pacing.ts';
export {type RedisKeys, redisKeys} from './redis-keys.ts';
