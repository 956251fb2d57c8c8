import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {describe, expect, test} from 'vitest';
import {redact} from '../../src/core/redact.ts';
import {
  MAX_SECRETS_PER_OWNER,
  MAX_UNOWNED_SECRETS,
  registeredSecretCount,
  registerSecret,
} from '../../src/core/secret-registry.ts';
import {brightdataAuth} from '../../src/vendors/brightdata/brightdata-auth.ts';
import {supametasAuth} from '../../src/vendors/supametas/supametas-auth.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects until the finalizers ran (they run on a later turn than the collection). */
const collect = async (): Promise<void> => {
  for (let round = 0; round < 10; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('the secret registry', () => {
  test('a live owner’s value stays redacted however many other owners register theirs', () => {
    const hooks = brightdataAuth({apiKey: 'bd_live_kept_0123456789abcdef'});
    for (let index = 0; index < 10_000; index++) {
      registerSecret(`tenant-${index}-secret-value`, {owner: {}});
    }
    expect(redact('key bd_live_kept_0123456789abcdef refused')).toBe('key [REDACTED] refused');
    expect(hooks.beforeRequest).toHaveLength(1);
  });

  test('does not grow without bound: values of collected owners are forgotten', async () => {
    await collect();
    const baseline = registeredSecretCount();
    (() => {
      for (let index = 0; index < 2_000; index++) {
        supametasAuth({accessKey: `ak_short_lived_${index}_abcdef`});
      }
    })();
    expect(registeredSecretCount()).toBeGreaterThanOrEqual(baseline + 2_000);
    await collect();
    expect(registeredSecretCount()).toBeLessThanOrEqual(baseline + 10);
  });

  test('one owner keeps its most recent values (a helper refreshing tokens)', () => {
    const owner = {};
    for (let index = 0; index <= MAX_SECRETS_PER_OWNER; index++) {
      registerSecret(`rotating-token-${String(index).padStart(3, '0')}`, {owner});
    }
    expect(redact('rotating-token-000')).toBe('rotating-token-000');
    expect(redact(`rotating-token-${String(MAX_SECRETS_PER_OWNER).padStart(3, '0')}`)).toBe('[REDACTED]');
    expect(redact('rotating-token-001')).toBe('[REDACTED]');
  });

  test('a value shared by two owners stays while either lives', () => {
    const first = {};
    const second = {};
    const forgetFirst = registerSecret('shared-credential-01', {owner: first});
    registerSecret('shared-credential-01', {owner: second});
    forgetFirst();
    expect(redact('shared-credential-01')).toBe('[REDACTED]');
  });

  test('values without an owner stay until unregistered, and are capped with a RangeError', () => {
    const forget = registerSecret('pinned-credential-xyz');
    expect(redact('pinned-credential-xyz')).toBe('[REDACTED]');
    forget();
    expect(redact('pinned-credential-xyz')).toBe('pinned-credential-xyz');
    const forgets = Array.from({length: MAX_UNOWNED_SECRETS}, (_, index) =>
      registerSecret(`pinned-${index}-abcdef`),
    );
    expect(() => registerSecret('one-too-many-abcdef')).toThrow(RangeError);
    for (const release of forgets) release();
    expect(() => registerSecret('now-it-fits-abcdef')()).not.toThrow();
  });

  test('short values are ignored: they would cut words out of messages', () => {
    registerSecret('abc', {owner: {}});
    expect(redact('abc def')).toBe('abc def');
  });
});
