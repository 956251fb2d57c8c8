/**
 * @module The registry of credential values that every redaction cuts out, scoped to their owners.
 */

/** Shorter values would cut ordinary words out of messages; no real credential is this short. */
const MIN_SECRET_LENGTH = 6;

/**
 * Values registered without an owner stay until unregistered; past this many, registering one
 * more throws, so a loop that registers rotating tokens without an owner fails loudly instead of
 * growing the registry for ever.
 */
export const MAX_UNOWNED_SECRETS = 1024;

/**
 * Values one owner keeps: its credentials and, for a helper that refreshes tokens, the most recent
 * ones. A refresh past this many forgets that owner's oldest value (a token expired long ago);
 * no other owner's registrations ever push a value out.
 */
export const MAX_SECRETS_PER_OWNER = 64;

/** Live owners per value: a value is redacted while any of them is alive. */
const owners = new Map<string, number>();
/** What each live owner registered, oldest first. */
const byOwner = new WeakMap<object, string[]>();
const unowned = new Set<string>();

const release = (value: string): void => {
  const count = (owners.get(value) ?? 0) - 1;
  if (count > 0) {
    owners.set(value, count);
  } else {
    owners.delete(value);
  }
};

/** When an owner is collected, its values stop being redacted (nothing can send them any more). */
// Pure: a bundle that never registers a secret (only redacts) drops the registry.
const collected = /* @__PURE__ */ new FinalizationRegistry<readonly string[]>((values) => {
  for (const value of values) release(value);
});

/** How a secret is kept. */
export type RegisterSecretOptions = {
  /**
   * The object whose lifetime bounds the registration: the value is redacted while `owner` is
   * alive, and forgotten once it is garbage-collected. The auth helpers pass the hook function
   * that sends the credential, so it stays redacted for as long as any ky instance can send it.
   * Without an owner the value stays until the returned function is called.
   * @default undefined
   * @example
   * ```ts
   * const sign = (request: Request) => request.headers.set('x-api-key', key);
   * registerSecret(key, {owner: sign});
   * ```
   */
  readonly owner?: object;
};

/**
 * Registers a credential value so it is cut out of every text this library shows: error
 * messages, stacks, `toJSON()`, `util.inspect`, URLs, envelopes and event payloads. The vendors'
 * auth helpers call it; call it yourself for credentials you put in headers by hand. Values
 * shorter than 6 characters are ignored. Returns a function that unregisters the value (for this
 * owner).
 *
 * @throws {RangeError} when more than 1,024 values are registered without an owner.
 * @example
 * ```ts
 * const forget = registerSecret(process.env.VENDOR_TOKEN ?? '');
 * registerSecret(tenant.apiKey, {owner: tenantClient});
 * ```
 */
export const registerSecret = (value: string, options: RegisterSecretOptions = {}): (() => void) => {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) {
    return () => {};
  }
  const {owner} = options;
  if (owner === undefined) {
    if (!unowned.has(value) && unowned.size >= MAX_UNOWNED_SECRETS) {
      throw new RangeError(
        `More than ${MAX_UNOWNED_SECRETS} secrets registered without an owner: pass \`{owner}\` or call the function \`registerSecret()\` returns once a value is retired`,
      );
    }
    unowned.add(value);
    return () => {
      unowned.delete(value);
    };
  }
  let values = byOwner.get(owner);
  if (values === undefined) {
    values = [];
    byOwner.set(owner, values);
    // The array, not the owner, is held: the registry must not keep the owner alive.
    collected.register(owner, values);
  }
  const ownValues = values;
  if (!ownValues.includes(value)) {
    ownValues.push(value);
    owners.set(value, (owners.get(value) ?? 0) + 1);
    if (ownValues.length > MAX_SECRETS_PER_OWNER) {
      const oldest = ownValues.shift();
      if (oldest !== undefined) release(oldest);
    }
  }
  return () => {
    const index = ownValues.indexOf(value);
    if (index !== -1) {
      ownValues.splice(index, 1);
      release(value);
    }
  };
};

/** Every value currently registered (the redaction's view of the registry). */
export const registeredSecrets = (): IterableIterator<string> =>
  (function* () {
    yield* owners.keys();
    for (const value of unowned) {
      if (!owners.has(value)) yield value;
    }
  })();

/** How many distinct values are registered (a test seam for the registry's bound). */
export const registeredSecretCount = (): number => {
  let count = owners.size;
  for (const value of unowned) {
    if (!owners.has(value)) count++;
  }
  return count;
};
