/**
 * `fleetPacing` as a store hands it to the limiter, without Redis: a store of its own with `admit`
 * paces through it only when it gives `fleetPacing`, and the core bundle carries none of it.
 */
import {describe, expect, test} from 'vitest';
import {measureBundle} from '../../scripts/bundle-size.ts';
import {createLimiter} from '../../src/policy/limiter/create-limiter.ts';
import {createMemoryStore} from '../../src/policy/store/memory-store.ts';
import type {Store, StoreRate} from '../../src/policy/store/store.ts';
import {fleetPacing} from '../../src/redis/index.ts';

/** A memory store with an `admit` that always admits, counting its calls and the updates per label. */
const countingStore = () => {
  const memory = createMemoryStore();
  const admits: StoreRate[] = [];
  const labels: string[] = [];
  const store: Store = {
    update: (key, change, options) => {
      labels.push(options?.label ?? 'update');
      return memory.update(key, change, options);
    },
    admit: async (_key, rate) => {
      admits.push(rate);
      return 0;
    },
  };
  return {store, admits, labels};
};

const acquireFive = async (limiter: ReturnType<typeof createLimiter>) => {
  for (let i = 0; i < 5; i++) {
    (await limiter.acquire('k', {deadlineAt: Date.now() + 10_000}))();
  }
};

describe('fleetPacing handed to the limiter by the store', () => {
  test('a store with admit but without pacing: every turn and answer is an update', async () => {
    const {store, admits, labels} = countingStore();
    // A burst of 20 at this rate: five turns, five updates.
    const limiter = createLimiter({store, openUntilThrottled: false, initialRatePerSecond: 1000});
    await acquireFive(limiter);
    await limiter.onSuccess('k', {sentAt: Date.now()});
    expect(admits).toEqual([]);
    expect(labels).toEqual([...Array(5).fill('limiter:admit'), 'limiter:learn']);
  });

  test('with fleetPacing: the first turn reads the key, the others go through admit at its rate', async () => {
    const {store, admits, labels} = countingStore();
    const limiter = createLimiter({store: {...store, pacing: fleetPacing}, openUntilThrottled: false});
    await acquireFive(limiter);
    expect(labels).toEqual(['limiter:admit']);
    expect(admits).toHaveLength(4);
    expect(admits[0]).toMatchObject({ratePerSecond: 10, reserveMs: 1000});
  });

  test('with fleetPacing: answers wait for a batch, and a read writes them first', async () => {
    const {store, labels} = countingStore();
    const limiter = createLimiter({store: {...store, pacing: fleetPacing}, openUntilThrottled: false});
    (await limiter.acquire('k'))();
    for (let i = 0; i < 5; i++) {
      await limiter.onSuccess('k', {sentAt: Date.now()});
    }
    expect(labels).toEqual(['limiter:admit']);
    expect((await limiter.state('k'))?.accepted).toBe(5);
    expect(labels).toEqual(['limiter:admit', 'limiter:learn', 'limiter:read']);
  });

  test('fleetPacing over a store without admit paces with updates', async () => {
    const {store, labels} = countingStore();
    const limiter = createLimiter({
      store: {update: store.update, pacing: fleetPacing},
      openUntilThrottled: false,
      initialRatePerSecond: 1000,
    });
    await acquireFive(limiter);
    expect(labels).toEqual(Array(5).fill('limiter:admit'));
  });

  test('an application without ky-vendors/redis does not ship it', {timeout: 60_000}, async () => {
    const {byInput} = await measureBundle("export {withVendor, upyun} from './src/index.ts';");
    expect(byInput['src/policy']).toBeGreaterThan(0);
    expect(byInput['src/redis']).toBeUndefined();
    // The Redis store itself is for Node (node:crypto); the pacing it hands over is not.
    const fleet = await measureBundle(
      "export {withVendor} from './src/index.ts'; export {fleetPacing} from './src/redis/fleet-pacing.ts';",
    );
    expect(fleet.byInput['src/redis']).toBeGreaterThan(0);
  });
});
