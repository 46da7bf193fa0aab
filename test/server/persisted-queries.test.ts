/**
 * The APQ store in memory and in front of Redis answers the same cases alike; with Redis a query registered
 * through one replica is found by another, and Redis failing is a miss, never an error.
 */
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { PersistedQueryStore, type PersistedQueryStoreOptions } from '../../src/server/persisted-queries.ts';
import { failFastClient, freePort, ready, uniquePrefix } from '../helpers/redis.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function client(port?: number): Promise<Redis> {
  const redis = failFastClient(port);
  cleanups.push(() => redis.disconnect());
  if (port === undefined) await ready(redis);
  return redis;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hash = (n: number) => `apq:${n.toString(16).padStart(64, '0')}`;

const setups: Array<[string, (options?: PersistedQueryStoreOptions) => Promise<PersistedQueryStore>]> = [
  ['in memory', (options) => Promise.resolve(new PersistedQueryStore(options))],
  ['in memory and Redis', async (options) => new PersistedQueryStore({ ...options, redis: await client(), prefix: uniquePrefix() })],
];

describe.each(setups)('persisted queries, %s', (_name, make) => {
  it('answers a registered query by its hash, and nothing for an unknown one', async () => {
    const store = await make();
    await store.set(hash(1), '{ __typename }');
    expect(await store.get(hash(1))).toBe('{ __typename }');
    expect(await store.get(hash(2))).toBeUndefined();
  });

  it('treats a hash far longer than a sha256 as unknown, and does not keep it', async () => {
    const store = await make();
    const long = `apq:${'f'.repeat(10_000)}`;
    await store.set(long, '{ __typename }');
    expect(await store.get(long)).toBeUndefined();
  });

  it('forgets a query after the TTL it was registered with', async () => {
    const store = await make();
    await store.set(hash(3), '{ a }', { ttl: 1 });
    expect(await store.get(hash(3))).toBe('{ a }');
    await sleep(1100);
    expect(await store.get(hash(3))).toBeUndefined();
  });

  it('keeps at most maxEntries in memory however many queries clients register', async () => {
    const store = await make({ maxEntries: 50 });
    for (let i = 0; i < 500; i += 1) await store.set(hash(i), `{ q${i} }`);
    expect(store.size).toBe(50);
  });

  it('keeps at most maxBytes of query text in memory', async () => {
    const store = await make({ maxBytes: 10_000 });
    for (let i = 0; i < 100; i += 1) await store.set(hash(i), `{ ${'x'.repeat(1000)} }`);
    expect(store.size).toBeLessThanOrEqual(10);
    expect(store.size).toBeGreaterThanOrEqual(8);
  });
});

describe('persisted queries shared through Redis', () => {
  it('a query registered through one replica is found by another', async () => {
    const prefix = uniquePrefix();
    const a = new PersistedQueryStore({ redis: await client(), prefix });
    const b = new PersistedQueryStore({ redis: await client(), prefix });
    await a.set(hash(7), '{ viewer { id } }');
    expect(await b.get(hash(7))).toBe('{ viewer { id } }');
    expect(b.size).toBe(1);
  });

  it('with Redis unreachable, misses what only Redis held and still answers from memory, without an error', async () => {
    const dead = await client(await freePort());
    const store = new PersistedQueryStore({ redis: dead, prefix: uniquePrefix() });
    expect(await store.get(hash(8))).toBeUndefined();
    await store.set(hash(9), '{ here }');
    expect(await store.get(hash(9))).toBe('{ here }');
  });
});
