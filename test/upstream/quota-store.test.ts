/**
 * Quota stores: the same table of cases in memory and in Redis (127.0.0.1:6379, a key prefix per test), the
 * memory store's bound, and the fallback that keeps counting through a Redis outage and pays back after it.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FallbackQuotaStore } from '../../src/upstream/fallback-quota-store.ts';
import { MemoryQuotaStore, type QuotaCount, type QuotaPeriod, type QuotaStore } from '../../src/upstream/quota-store.ts';
import { RedisQuotaStore } from '../../src/upstream/redis-quota-store.ts';
import { capturingLogger } from '../helpers/secrets.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await redis.quit();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const march: QuotaPeriod = { id: '2026-03', keepUntil: Date.now() + 60_000 };
const april: QuotaPeriod = { id: '2026-04', keepUntil: Date.now() + 60_000 };

describe.each<[string, () => QuotaStore]>([
  ['in memory', () => new MemoryQuotaStore()],
  ['in Redis', () => new RedisQuotaStore(redis, { prefix: `test:quota:${randomUUID()}:` })],
])('a quota store %s', (_name, makeStore) => {
  it('counts from nothing, per key and per period', async () => {
    const store = makeStore();
    expect(await store.read('carecloud:abc', march)).toEqual({ used: 0, refused: false });
    expect(await store.add('carecloud:abc', march, 1)).toEqual({ used: 1, refused: false });
    expect(await store.add('carecloud:abc', march, 2)).toEqual({ used: 3, refused: false });
    expect(await store.read('carecloud:abc', march)).toEqual({ used: 3, refused: false });
    expect(await store.read('carecloud:abc', april)).toEqual({ used: 0, refused: false });
    expect(await store.read('carecloud:def', march)).toEqual({ used: 0, refused: false });
  });

  it('loses no call when many are counted at once', async () => {
    const store = makeStore();
    await Promise.all(Array.from({ length: 50 }, () => store.add('carecloud:abc', march, 1)));
    expect((await store.read('carecloud:abc', march)).used).toBe(50);
  });

  it("remembers the vendor's refusal for the period only", async () => {
    const store = makeStore();
    await store.refuse('carecloud:abc', march);
    expect(await store.read('carecloud:abc', march)).toEqual({ used: 0, refused: true });
    expect(await store.add('carecloud:abc', march, 1)).toEqual({ used: 1, refused: true });
    expect(await store.read('carecloud:abc', april)).toEqual({ used: 0, refused: false });
  });

  it('drops a count once its keep-until has passed', async () => {
    const store = makeStore();
    const brief: QuotaPeriod = { id: '2026-05', keepUntil: Date.now() + 80 };
    await store.add('carecloud:abc', brief, 4);
    await store.refuse('carecloud:abc', brief);
    expect(await store.read('carecloud:abc', brief)).toEqual({ used: 4, refused: true });
    await sleep(150);
    expect(await store.read('carecloud:abc', brief)).toEqual({ used: 0, refused: false });
  });
});

describe('the in-memory quota store', () => {
  it('keeps at most maxEntries key and period pairs, dropping the least recently changed', async () => {
    const store = new MemoryQuotaStore({ maxEntries: 3 });
    for (let i = 0; i < 5; i += 1) await store.add(`carecloud:${i}`, march, 1);
    expect(store.size).toBe(3);
    expect((await store.read('carecloud:0', march)).used).toBe(0);
    expect((await store.read('carecloud:4', march)).used).toBe(1);
  });

  it.each([0, 2.5])('refuses maxEntries %s', (maxEntries) => {
    expect(() => new MemoryQuotaStore({ maxEntries })).toThrow(`expected maxEntries to be an integer >= 1, got ${maxEntries}`);
  });
});

describe('the Redis quota store', () => {
  it('keeps a count in one key per key and period, expiring when the period is long over', async () => {
    const prefix = `test:quota:${randomUUID()}:`;
    const keepUntil = Date.now() + 40 * 24 * 3600 * 1000;
    await new RedisQuotaStore(redis, { prefix }).add('carecloud:abc', { id: '2026-03', keepUntil }, 1);
    expect(await redis.get(`${prefix}carecloud:abc:2026-03`)).toBe('1');
    expect(Math.abs((await redis.pexpiretime(`${prefix}carecloud:abc:2026-03`)) - keepUntil)).toBeLessThan(2);
  });
});

/** A shared store that fails every call while `up` is false, as Redis does while it is away. */
class FlakyQuotaStore implements QuotaStore {
  up = true;
  constructor(readonly inner: QuotaStore) {}
  private gate<R>(run: () => Promise<R>): Promise<R> {
    return this.up ? run() : Promise.reject(new Error('Connection is closed.'));
  }
  add(key: string, period: QuotaPeriod, calls: number): Promise<QuotaCount> {
    return this.gate(() => this.inner.add(key, period, calls));
  }
  refuse(key: string, period: QuotaPeriod): Promise<void> {
    return this.gate(() => this.inner.refuse(key, period));
  }
  read(key: string, period: QuotaPeriod): Promise<QuotaCount> {
    return this.gate(() => this.inner.read(key, period));
  }
}

describe('quota counts when the shared store fails', () => {
  it('go on from the last shared count, are paid back once it is back, and each change is logged once', async () => {
    const shared = new FlakyQuotaStore(new RedisQuotaStore(redis, { prefix: `test:quota:${randomUUID()}:` }));
    const { logger, lines } = capturingLogger('info');
    const store = new FallbackQuotaStore(shared, { available: () => true, logger });
    // Another replica counted 5; this one counts 2 and reads the shared 7.
    await shared.inner.add('carecloud:abc', march, 5);
    await store.add('carecloud:abc', march, 1);
    expect(await store.add('carecloud:abc', march, 1)).toEqual({ used: 7, refused: false });

    shared.up = false;
    for (let i = 0; i < 3; i += 1) await store.add('carecloud:abc', march, 1);
    expect(await store.read('carecloud:abc', march)).toEqual({ used: 10, refused: false });
    await store.refuse('carecloud:abc', march);
    expect(store.usingFallback).toBe(true);
    expect(store.owedPairs).toBe(1);

    // Meanwhile the other replica counted 1 more; the outage's 3 calls and the refusal land on top.
    await shared.inner.add('carecloud:abc', march, 1);
    shared.up = true;
    expect(await store.read('carecloud:abc', march)).toEqual({ used: 11, refused: true });
    expect(store.owedPairs).toBe(0);
    expect(store.usingFallback).toBe(false);

    const changes = lines.map((line) => JSON.parse(line) as { msg: string }).filter((l) => l.msg.includes('shared quota counts'));
    expect(changes.map((l) => l.msg)).toEqual([
      'shared quota counts unreachable: each replica now counts on from the last count it saw',
      'shared quota counts reachable again',
    ]);
  });

  it('owe at most maxOwed key and period pairs', async () => {
    const shared = new FlakyQuotaStore(new MemoryQuotaStore());
    shared.up = false;
    const store = new FallbackQuotaStore(shared, { available: () => true, maxOwed: 2 });
    for (let i = 0; i < 5; i += 1) await store.add(`carecloud:${i}`, march, 1);
    expect(store.owedPairs).toBe(2);
    shared.up = true;
    await store.read('carecloud:0', march);
    expect((await shared.inner.read('carecloud:4', march)).used).toBe(1);
    expect((await shared.inner.read('carecloud:0', march)).used).toBe(0);
  });
});
