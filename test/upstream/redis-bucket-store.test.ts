/**
 * The shared budget over a real Redis (127.0.0.1:6379, which CI starts): two stores, as two replicas would
 * hold, draw on one budget.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBucketStore } from '../../src/upstream/redis-bucket-store.ts';
import { initialState, type RateSpec } from '../../src/upstream/rate-limit.ts';

const spec: RateSpec = { kind: 'window', limit: 10, windowMs: 1000 };
/** Fixed times, so the answers are exact; the default clock is Redis's own. */
const CALLER = { clock: 'caller' } as const;
let a: Redis;
let b: Redis;

beforeAll(() => {
  a = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
  b = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await a.quit();
  await b.quit();
});

describe('rate budgets shared through Redis', () => {
  it('two replicas hammering one budget get exactly its limit between them', async () => {
    const key = `test:${randomUUID()}`;
    const now = 5_000_000;
    const replicas = [new RedisBucketStore(a, CALLER), new RedisBucketStore(b, CALLER)];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => replicas[i % 2]!.take(key, spec, now)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, waitMs: 1000 });
  });

  it('what one replica learns from the vendor, the other obeys', async () => {
    const key = `test:${randomUUID()}`;
    const now = 7_000_200;
    await new RedisBucketStore(a, CALLER).observe(key, spec, { limit: 2, remaining: 0, resetAt: now + 800 }, now);
    expect(await new RedisBucketStore(b, CALLER).take(key, spec, now + 10)).toEqual({ ok: false, waitMs: 790 });
    const snapshot = await new RedisBucketStore(b, CALLER).snapshot(key, spec, now + 10);
    expect(snapshot).toMatchObject({ limit: 2, remaining: 0, learned: true });
  });

  it('three replicas taking 600 times at once never fail for contention and share the limit exactly', async () => {
    const key = `test:${randomUUID()}`;
    const now = 9_000_000;
    const c = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
    try {
      const replicas = [new RedisBucketStore(a, CALLER), new RedisBucketStore(b, CALLER), new RedisBucketStore(c, CALLER)];
      const wide: RateSpec = { kind: 'window', limit: 100, windowMs: 1000 };
      const results = await Promise.all(Array.from({ length: 600 }, (_, i) => replicas[i % 3]!.take(key, wide, now)));
      expect(results.filter((r) => r.ok)).toHaveLength(100);
    } finally {
      await c.quit();
    }
  });

  it('asks for a start state only when Redis has no budget, and starts from it', async () => {
    const key = `test:${randomUUID()}`;
    const now = 11_000_000;
    const asked: string[] = [];
    const store = new RedisBucketStore(a, {
      ...CALLER,
      startState: (k, seed, at) => {
        asked.push(k);
        return { ...initialState(seed, at), tokens: 1 };
      },
    });
    expect(await store.take(key, spec, now)).toEqual({ ok: true });
    expect(await store.take(key, spec, now)).toEqual({ ok: false, waitMs: 1000 });
    expect(asked).toEqual([key]);
  });

  it('keeps working after Redis forgets its scripts (a restart)', async () => {
    const key = `test:${randomUUID()}`;
    const store = new RedisBucketStore(a, CALLER);
    expect(await store.take(key, spec, 13_000_000)).toEqual({ ok: true });
    await b.script('FLUSH');
    expect(await store.snapshot(key, spec, 13_000_000)).toMatchObject({ remaining: 9, limit: 10 });
  });

  it('runs on Redis time by default, whatever time the caller passes', async () => {
    const key = `test:${randomUUID()}`;
    const before = Date.now();
    const store = new RedisBucketStore(a, { prefix: 'test:clock:' });
    expect(await store.take(key, spec, 42)).toEqual({ ok: true });
    const after = Date.now();
    const state = JSON.parse((await a.get(`test:clock:${key}`)) ?? '{}') as { refilledAt: number; windowEndsAt: number };
    // Redis runs on this machine: its clock and ours agree to well within a second.
    expect(state.refilledAt).toBeGreaterThan(before - 1000);
    expect(state.refilledAt).toBeLessThan(after + 1000);
    expect(state.windowEndsAt % 1000).toBe(0);
  });
});
