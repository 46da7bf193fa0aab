/**
 * Start-up of the shared budgets: a replica whose Redis client is still connecting must not begin alone on a
 * local budget (it would spend the whole vendor limit next to replicas already sharing it), and a replica whose
 * Redis is away must still start, soon, on local budgets.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateSpec } from '../../src/upstream/rate-limit.ts';
import { REDIS_FAIL_FAST, sharedBudgets } from '../../src/upstream/shared-budgets.ts';

const spec: RateSpec = { kind: 'window', limit: 10, windowMs: 1000 };
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(port = 6379): Redis {
  const redis = new Redis({ host: '127.0.0.1', port, ...REDIS_FAIL_FAST });
  redis.on('error', () => undefined);
  cleanups.push(() => redis.disconnect());
  return redis;
}

describe('shared budgets at start-up', () => {
  it('wait for a connecting client, then count the replicas already there and share their budget', async () => {
    const key = `test:replicas:${randomUUID()}`;
    const first = await sharedBudgets(client(), { replicas: { key } });
    cleanups.push(() => first.stop());
    // Made and used at once, as main.ts does: the client has not connected yet.
    const second = await sharedBudgets(client(), { replicas: { key } });
    cleanups.push(() => second.stop());
    expect(second.replicas.alive).toBe(2);
    const budget = `test:budget:${randomUUID()}`;
    await first.store.take(budget, spec, 5_000_000);
    await second.store.take(budget, spec, 5_000_000);
    expect(second.store.usingFallback).toBe(false);
    expect(await first.store.snapshot(budget, spec, 5_000_000)).toMatchObject({ remaining: 8 });
  });

  it('start on local budgets soon when Redis does not answer', async () => {
    const started = Date.now();
    // Port 1 refuses connections on loopback.
    const budgets = await sharedBudgets(client(1), { connectWaitMs: 300, replicas: { key: `test:replicas:${randomUUID()}` } });
    cleanups.push(() => budgets.stop());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await budgets.store.take(`test:budget:${randomUUID()}`, spec, 5_000_000)).toEqual({ ok: true });
    expect(budgets.store.usingFallback).toBe(true);
  });
});
