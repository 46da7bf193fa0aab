/**
 * Handled webhook ids, in memory and shared through Redis, answer the same cases alike; shared, two replicas
 * claim one delivery once between them, and a Redis outage falls back to memory without an error.
 */
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDeliveryIds, SharedDeliveryIds, type DeliveryIds } from '../../src/server/webhook-ids.ts';
import { failFastClient, freePort, ready, startRedisServer, stopRedisServer, uniquePrefix } from '../helpers/redis.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function client(port?: number): Promise<Redis> {
  const redis = failFastClient(port);
  cleanups.push(() => redis.disconnect());
  await ready(redis);
  return redis;
}

const DAY = 24 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stores: Array<[string, () => Promise<DeliveryIds>]> = [
  ['in memory', () => Promise.resolve(new MemoryDeliveryIds())],
  ['shared through Redis', async () => new SharedDeliveryIds(await client(), { prefix: uniquePrefix() })],
];

describe.each(stores)('handled webhook ids, %s', (_name, make) => {
  it('claims an id once: a redelivery is refused', async () => {
    const ids = await make();
    expect(await ids.claim('msg_1', Date.now(), DAY)).toBe(true);
    expect(await ids.claim('msg_1', Date.now(), DAY)).toBe(false);
    expect(await ids.claim('msg_2', Date.now(), DAY)).toBe(true);
  });

  it('forgets an id once it has been remembered long enough', async () => {
    const ids = await make();
    expect(await ids.claim('msg_short', Date.now(), 40)).toBe(true);
    await sleep(100);
    expect(await ids.claim('msg_short', Date.now(), 40)).toBe(true);
  });

  it('takes ids of any length', async () => {
    const ids = await make();
    const long = `msg_${'x'.repeat(500)}`;
    expect(await ids.claim(long, Date.now(), DAY)).toBe(true);
    expect(await ids.claim(long, Date.now(), DAY)).toBe(false);
    expect(await ids.claim(`${long}y`, Date.now(), DAY)).toBe(true);
  });
});

describe('handled webhook ids in memory', () => {
  it('keeps at most maxRemembered, forgetting the oldest first', async () => {
    const ids = new MemoryDeliveryIds({ maxRemembered: 100 });
    for (let i = 0; i < 1_000; i += 1) await ids.claim(`msg_${i}`, Date.now(), DAY);
    expect(ids.size).toBe(100);
    expect(await ids.claim('msg_999', Date.now(), DAY)).toBe(false);
    expect(await ids.claim('msg_0', Date.now(), DAY)).toBe(true);
  });
});

describe('handled webhook ids shared through Redis', () => {
  it('two replicas given one delivery at once act on it once between them', async () => {
    const prefix = uniquePrefix();
    const a = new SharedDeliveryIds(await client(), { prefix });
    const b = new SharedDeliveryIds(await client(), { prefix });
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('msg_same', Date.now(), DAY)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await a.claim('msg_other', Date.now(), DAY)).toBe(true);
    expect(await b.claim('msg_other', Date.now(), DAY)).toBe(false);
  });

  describe('when Redis goes away', () => {
    let server: ChildProcess | undefined;
    afterEach(async () => {
      if (server) await stopRedisServer(server);
      server = undefined;
    });

    it('claims in memory, still knowing the ids it claimed in Redis, and shares again once Redis is back', async () => {
      const port = await freePort();
      server = await startRedisServer(port);
      const redis = await client(port);
      const ids = new SharedDeliveryIds(redis, { prefix: 'p:' });
      expect(await ids.claim('msg_before', Date.now(), DAY)).toBe(true);
      await stopRedisServer(server);
      for (let i = 0; i < 50 && redis.status === 'ready'; i += 1) await sleep(20);

      expect(await ids.claim('msg_before', Date.now(), DAY)).toBe(false);
      expect(await ids.claim('msg_during', Date.now(), DAY)).toBe(true);
      expect(await ids.claim('msg_during', Date.now(), DAY)).toBe(false);
      expect(ids.usingFallback).toBe(true);

      server = await startRedisServer(port);
      await ready(redis);
      const other = new SharedDeliveryIds(await client(port), { prefix: 'p:' });
      expect(await ids.claim('msg_after', Date.now(), DAY)).toBe(true);
      expect(await other.claim('msg_after', Date.now(), DAY)).toBe(false);
      expect(ids.usingFallback).toBe(false);
    }, 15_000);
  });
});
