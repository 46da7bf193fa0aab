/**
 * Token stores: the same table of cases for the in-memory store and the Redis one (127.0.0.1:6379, a key
 * prefix per test), then what only Redis must also promise: nothing in it readable without the secret.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../src/upstream/redis-token-store.ts';
import { tokenSlot, type TokenCredential } from '../../src/upstream/token-crypto.ts';
import { MemoryTokenStore, type TokenStore } from '../../src/upstream/token-store.ts';
import { expectNoSecrets } from '../helpers/secrets.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await redis.quit();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function credential(overrides: Partial<TokenCredential> = {}): TokenCredential {
  return { vendor: 'caseware', issuer: 'https://example.test/api/', clientId: `client-${randomUUID()}`, secret: `secret-${randomUUID()}`, ...overrides };
}

const soon = (ms = 60_000) => Date.now() + ms;

describe.each<[string, () => TokenStore]>([
  ['in memory', () => new MemoryTokenStore()],
  ['in Redis', () => new RedisTokenStore(redis, { prefix: `test:token:${randomUUID()}:` })],
])('a token store %s', (_name, makeStore) => {
  it('gives back the token stored for a credential, and nothing for another', async () => {
    const store = makeStore();
    const slot = tokenSlot(credential());
    expect(await store.read(slot)).toBeUndefined();
    const token = { value: 'tok-one-aaaaaaaa', expiresAt: soon() };
    await store.write(slot, token);
    expect(await store.read(slot)).toEqual(token);
    expect(await store.read(tokenSlot(credential()))).toBeUndefined();
  });

  it('replaces a token with the next one written', async () => {
    const store = makeStore();
    const slot = tokenSlot(credential());
    await store.write(slot, { value: 'tok-old-aaaaaaaa', expiresAt: soon() });
    await store.write(slot, { value: 'tok-new-bbbbbbbb', expiresAt: soon() });
    expect((await store.read(slot))?.value).toBe('tok-new-bbbbbbbb');
  });

  it('forgets a token once it expires', async () => {
    const store = makeStore();
    const slot = tokenSlot(credential());
    await store.write(slot, { value: 'tok-brief-aaaaaaa', expiresAt: soon(80) });
    expect(await store.read(slot)).toBeDefined();
    await sleep(150);
    expect(await store.read(slot)).toBeUndefined();
  });

  it('invalidates a refused token only while it is still the one stored', async () => {
    const store = makeStore();
    const slot = tokenSlot(credential());
    await store.write(slot, { value: 'tok-refused-aaaa', expiresAt: soon() });
    await store.write(slot, { value: 'tok-replaced-bbb', expiresAt: soon() });
    expect(await store.invalidate(slot, 'tok-refused-aaaa')).toBe(false);
    expect((await store.read(slot))?.value).toBe('tok-replaced-bbb');
    expect(await store.invalidate(slot, 'tok-replaced-bbb')).toBe(true);
    expect(await store.read(slot)).toBeUndefined();
    expect(await store.invalidate(slot, 'tok-replaced-bbb')).toBe(false);
  });

  it('lets one holder at a time take a credential’s lock, per credential', async () => {
    const store = makeStore();
    const slot = tokenSlot(credential());
    const first = await store.lock(slot, 5000);
    expect(first).toBeDefined();
    expect(await store.lock(slot, 5000)).toBeUndefined();
    expect(await store.lock(tokenSlot(credential()), 5000)).toBeDefined();
    await first?.release();
    expect(await store.lock(slot, 5000)).toBeDefined();
  });

  it('frees a lock whose holder never released it once its time runs out, and the late holder cannot free its successor’s', async () => {
    const store = makeStore();
    const slot = tokenSlot(credential());
    const stalled = await store.lock(slot, 80);
    expect(stalled).toBeDefined();
    await sleep(150);
    const successor = await store.lock(slot, 5000);
    expect(successor).toBeDefined();
    await stalled?.release();
    expect(await store.lock(slot, 5000)).toBeUndefined();
    await successor?.release();
    expect(await store.lock(slot, 5000)).toBeDefined();
  });
});

describe('the in-memory token store', () => {
  it('keeps at most maxSlots credentials, dropping the least recently written', async () => {
    const store = new MemoryTokenStore({ maxSlots: 3 });
    const slots = Array.from({ length: 5 }, () => tokenSlot(credential()));
    for (const [i, slot] of slots.entries()) await store.write(slot, { value: `tok-${i}-aaaaaaaaaa`, expiresAt: soon() });
    expect(store.size).toBe(3);
    expect(await store.read(slots[0]!)).toBeUndefined();
    expect(await store.read(slots[1]!)).toBeUndefined();
    expect((await store.read(slots[4]!))?.value).toBe('tok-4-aaaaaaaaaa');
  });

  it.each([0, 1.5, -1])('refuses maxSlots %s', (maxSlots) => {
    expect(() => new MemoryTokenStore({ maxSlots })).toThrow(`expected maxSlots to be an integer >= 1, got ${maxSlots}`);
  });
});

describe('the Redis token store', () => {
  it('holds nothing a reader without the secret can use: no token, secret or client id, in values or key names', async () => {
    const prefix = `test:token:${randomUUID()}:`;
    const store = new RedisTokenStore(redis, { prefix });
    const cred = credential();
    const slot = tokenSlot(cred);
    const token = `tok-${randomUUID()}`;
    await store.write(slot, { value: token, expiresAt: soon() });
    await store.lock(slot, 5000);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(2);
    const values = await Promise.all(keys.map((key) => redis.get(key)));
    expectNoSecrets([...keys, ...values.map(String)], [token, cred.secret, cred.clientId]);
    // The key expires with the token, so nothing outlives it.
    const ttl = await redis.pttl(`${prefix}${slot.id}`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('reads nothing when the secret changed, or when a sealed token is moved to another credential', async () => {
    const prefix = `test:token:${randomUUID()}:`;
    const store = new RedisTokenStore(redis, { prefix });
    const cred = credential();
    const slot = tokenSlot(cred);
    await store.write(slot, { value: 'tok-sealed-aaaaa', expiresAt: soon() });
    expect(await store.read(tokenSlot({ ...cred, secret: 'rotated-secret-value' }))).toBeUndefined();

    const other = tokenSlot(credential({ secret: cred.secret }));
    await redis.set(`${prefix}${other.id}`, String(await redis.get(`${prefix}${slot.id}`)));
    expect(await store.read(other)).toBeUndefined();
    // A refusal that cannot be read cannot be matched, so it deletes nothing.
    expect(await store.invalidate(other, 'tok-sealed-aaaaa')).toBe(false);
  });
});
