/**
 * The shared budget over a real Redis (127.0.0.1:6379, which CI starts): two stores, as two replicas would
 * hold, draw on one budget.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBucketStore } from '../../src/upstream/redis-bucket-store.ts';
import type { RateSpec } from '../../src/upstream/rate-limit.ts';

const spec: RateSpec = { kind: 'window', limit: 10, windowMs: 1000 };
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
    const replicas = [new RedisBucketStore(a), new RedisBucketStore(b)];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => replicas[i % 2]!.take(key, spec, now)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, waitMs: 1000 });
  });

  it('what one replica learns from the vendor, the other obeys', async () => {
    const key = `test:${randomUUID()}`;
    const now = 7_000_200;
    await new RedisBucketStore(a).observe(key, spec, { limit: 2, remaining: 0, resetAt: now + 800 }, now);
    expect(await new RedisBucketStore(b).take(key, spec, now + 10)).toEqual({ ok: false, waitMs: 790 });
    const snapshot = await new RedisBucketStore(b).snapshot(key, spec, now + 10);
    expect(snapshot).toMatchObject({ limit: 2, remaining: 0, learned: true });
  });
});
