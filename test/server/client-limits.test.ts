/**
 * Per-client request limits: the same table of cases against the in-memory store and the Redis one
 * (127.0.0.1:6379, a fresh key prefix per test), the in-memory store's bound, and the fall back to memory
 * when Redis fails.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FallbackLimitStore,
  MemoryClientLimitStore,
  RedisClientLimitStore,
  type ClientLimitStore,
  type WindowRule,
} from '../../src/server/client-limits.ts';
import { capturingLogger } from '../helpers/secrets.ts';

let redis: Redis;

beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await redis.quit();
});

const MINUTE: WindowRule = { limit: 3, windowMs: 60_000 };
/** A minute's start, far from epoch 0 so that windows are realistic numbers. */
const T = 29_000_000 * 60_000;

type Hit = readonly [client: string, at: number];
type Expected = true | { retryAfterMs: number };

const CASES: ReadonlyArray<readonly [string, WindowRule, readonly Hit[], readonly Expected[]]> = [
  ['allows up to the limit, then refuses until the window ends', MINUTE, [['a', T], ['a', T + 1], ['a', T + 2], ['a', T + 10_000]], [true, true, true, { retryAfterMs: 50_000 }]],
  ['keeps refusing within the window', MINUTE, [['a', T], ['a', T], ['a', T], ['a', T + 59_000], ['a', T + 59_999]], [true, true, true, { retryAfterMs: 1000 }, { retryAfterMs: 1 }]],
  ['starts afresh in the next window', MINUTE, [['a', T], ['a', T], ['a', T], ['a', T + 1], ['a', T + 60_000]], [true, true, true, { retryAfterMs: 59_999 }, true]],
  ['counts each client alone', MINUTE, [['a', T], ['a', T], ['a', T], ['a', T], ['b', T], ['c', T + 5]], [true, true, true, { retryAfterMs: 60_000 }, true, true]],
  ['a limit of one', { limit: 1, windowMs: 1000 }, [['a', T + 250], ['a', T + 500], ['a', T + 1000]], [true, { retryAfterMs: 500 }, true]],
];

const stores: ReadonlyArray<readonly [string, () => ClientLimitStore]> = [
  ['in memory', () => new MemoryClientLimitStore()],
  ['in Redis', () => new RedisClientLimitStore(redis, { prefix: `test:client-limit:${randomUUID()}:` })],
];

describe.each(stores)('per-client limits %s', (_name, makeStore) => {
  it.each(CASES)('%s', async (_case, rule, hits, expected) => {
    const store = makeStore();
    const verdicts = [];
    for (const [client, at] of hits) verdicts.push(await store.hit(client, rule, at));
    expect(verdicts.map((v) => (v.allowed ? true : { retryAfterMs: v.retryAfterMs }))).toEqual(expected);
  });

  it('counts every one of many requests at once', async () => {
    const store = makeStore();
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => store.hit('a', { limit: 20, windowMs: 60_000 }, T)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(20);
  });
});

describe('the in-memory store', () => {
  it('holds at most maxClients, forgetting the least recently seen', async () => {
    const store = new MemoryClientLimitStore({ maxClients: 100 });
    await store.hit('old', MINUTE, T);
    await store.hit('old', MINUTE, T);
    await store.hit('old', MINUTE, T);
    await store.hit('busy', MINUTE, T);
    for (let i = 0; i < 250; i += 1) {
      await store.hit(`client-${i}`, MINUTE, T);
      if (i % 10 === 0) await store.hit('busy', MINUTE, T + 1); // seen again: stays
    }
    expect(store.size).toBe(100);
    // `old` was forgotten, so it starts afresh; `busy` was not, so its count went on.
    expect(await store.hit('old', MINUTE, T)).toEqual({ allowed: true, remaining: 2 });
    expect((await store.hit('busy', MINUTE, T)).allowed).toBe(false);
  });

  it('refuses a bound that is not a whole number of at least 1', () => {
    expect(() => new MemoryClientLimitStore({ maxClients: 0 })).toThrow('expected maxClients to be a whole number of at least 1, got 0');
  });
});

describe('when Redis fails', () => {
  it('counts in memory instead, warns once, and never fails a request', async () => {
    const down = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    const { logger, lines } = capturingLogger('warn');
    const store = new FallbackLimitStore(new RedisClientLimitStore(down), new MemoryClientLimitStore(), logger);
    const verdicts = [];
    for (let i = 0; i < 4; i += 1) verdicts.push(await store.hit('a', MINUTE, T));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    const warnings = lines.filter((line) => line.includes('Redis failed'));
    expect(warnings).toHaveLength(1);
    down.disconnect();
  });

  it('counts in memory when Redis does not answer in time', async () => {
    const slow: ClientLimitStore = { hit: () => new Promise(() => undefined) };
    const { logger } = capturingLogger('warn');
    const store = new FallbackLimitStore(slow, new MemoryClientLimitStore(), logger, { timeoutMs: 20 });
    const started = Date.now();
    expect(await store.hit('a', MINUTE, T)).toEqual({ allowed: true, remaining: 2 });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
