/**
 * The in-memory store (rate-limit.ts's TypeScript, the reference) and the Redis store (the same arithmetic in
 * Lua) run the same operations and must give the same answers and keep the same state, step by step. Times are
 * real epoch milliseconds, so a Lua number that lost precision would show.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBucketStore, type BucketStore } from '../../src/upstream/bucket-store.ts';
import { initialState, type BucketState, type RateSignal, type RateSpec } from '../../src/upstream/rate-limit.ts';
import { RedisBucketStore } from '../../src/upstream/redis-bucket-store.ts';

const T = 1_700_000_000_000;
const window = (limit: number, windowMs = 1000): RateSpec => ({ kind: 'window', limit, windowMs });
const bucket = (capacity: number, refillPerSecond: number): RateSpec => ({ kind: 'bucket', capacity, refillPerSecond });

type Step =
  | { readonly take: number }
  | { readonly snapshot: number }
  | { readonly observe: number; readonly signal: RateSignal; readonly others?: number };

interface Case {
  readonly name: string;
  readonly seed: RateSpec;
  readonly steps: readonly Step[];
  /** A start state for the budget, as the fallback store hands one over after Redis lost its copy. */
  readonly start?: (now: number) => BucketState;
}

const cases: readonly Case[] = [
  {
    name: 'a window spends its limit, then waits for the next one',
    seed: window(3),
    steps: [{ take: T }, { take: T + 1 }, { take: T + 2 }, { take: T + 3 }, { snapshot: T + 4 }, { take: T + 1000 }, { snapshot: T + 1000 }],
  },
  {
    name: 'a window adopts the limit and reset the vendor reports',
    seed: window(10),
    steps: [
      { take: T },
      { observe: T + 10, signal: { limit: 2, remaining: 1, resetAt: T + 400 } },
      { take: T + 20 },
      { take: T + 30 },
      { take: T + 400 },
      { snapshot: T + 400 },
    ],
  },
  {
    name: 'a remaining count for a window already over is ignored',
    seed: window(5),
    steps: [{ observe: T + 1001, signal: { remaining: 0, resetAt: T + 1000 } }, { take: T + 1001 }, { snapshot: T + 1001 }],
  },
  {
    name: 'a call at the window edge holds back a token of the next window',
    seed: window(2),
    steps: [{ take: T }, { take: T + 950 }, { snapshot: T + 1000 }, { take: T + 1001 }, { take: T + 1002 }],
  },
  {
    name: 'the carry is dropped when whole windows were missed',
    seed: window(2),
    steps: [{ take: T + 960 }, { take: T + 970 }, { snapshot: T + 2500 }, { take: T + 2990 }, { snapshot: T + 3000 }],
  },
  {
    name: 'a vendor window on other boundaries moves ours, less our other calls in flight',
    seed: window(10),
    steps: [
      { take: T + 100 },
      { observe: T + 120, signal: { limit: 10, remaining: 7, resetAt: T + 1300 }, others: 2 },
      { snapshot: T + 130 },
      { take: T + 1299 },
      { snapshot: T + 1300 },
    ],
  },
  {
    name: 'a window the vendor says is spent blocks until its reset',
    seed: window(10),
    steps: [{ observe: T + 5, signal: { remaining: 0, resetAt: T + 700.5 } }, { take: T + 6 }, { take: T + 701 }, { snapshot: T + 701 }],
  },
  {
    name: 'Retry-After blocks everything until it has passed, fractions included',
    seed: window(100),
    steps: [{ observe: T, signal: { retryAfterMs: 2500.25 } }, { take: T + 1200 }, { snapshot: T + 1200 }, { take: T + 2501 }],
  },
  {
    name: 'a bucket refills continuously at the announced rate and cost',
    seed: bucket(2, 1),
    steps: [
      { take: T },
      { take: T },
      { take: T },
      { observe: T, signal: { limit: 4, refillPerSecond: 4, remaining: 0, cost: 2 } },
      { take: T + 100 },
      { take: T + 500 },
      { snapshot: T + 500 },
    ],
  },
  {
    name: 'a bucket keeps fractional tokens exactly',
    seed: bucket(10, 3),
    steps: [
      { observe: T, signal: { remaining: 0 } },
      { take: T + 111 },
      { take: T + 333 },
      { take: T + 334 },
      { take: T + 777 },
      { snapshot: T + 1001 },
      { observe: T + 1002, signal: { refillPerSecond: 7, cost: 0.5 } },
      { take: T + 1003 },
    ],
  },
  {
    name: 'a bucket trusts a lower remaining count from the vendor',
    seed: bucket(10, 1),
    steps: [{ observe: T, signal: { remaining: 1 } }, { take: T }, { take: T }, { snapshot: T }],
  },
  {
    name: 'a budget starts from the state handed over, not the seed',
    seed: window(10),
    start: (now) => ({ ...initialState(window(10), now), tokens: 1, carry: 1, learned: true }),
    steps: [{ take: T + 10 }, { take: T + 20 }, { snapshot: T + 30 }, { take: T + 1000 }, { snapshot: T + 1000 }],
  },
  {
    name: 'a bucket starts from the state handed over',
    seed: bucket(5, 2),
    start: (now) => ({ ...initialState(bucket(5, 2), now - 250), tokens: 0.5 }),
    steps: [{ take: T }, { snapshot: T }, { take: T + 250 }],
  },
];

let redis: Redis;
beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await redis.quit();
});

async function run(store: BucketStore, key: string, seed: RateSpec, step: Step): Promise<unknown> {
  if ('take' in step) return store.take(key, seed, step.take);
  if ('snapshot' in step) return store.snapshot(key, seed, step.snapshot);
  await store.observe(key, seed, step.signal, step.observe, step.others ?? 0);
  return 'observed';
}

describe('the Redis store computes exactly what the in-memory store does', () => {
  it.each(cases)('$name', async ({ seed, steps, start }) => {
    const prefix = `test:budget-table:${randomUUID()}:`;
    const key = 'vendor:credential';
    const startState = start ? (_key: string, _seed: RateSpec, now: number) => start(now) : undefined;
    const memory = new MemoryBucketStore(startState ? { startState } : {});
    const lua = new RedisBucketStore(redis, { prefix, clock: 'caller', ...(startState ? { startState } : {}) });
    for (const [i, step] of steps.entries()) {
      const expected = await run(memory, key, seed, step);
      const actual = await run(lua, key, seed, step);
      expect({ step: i, answer: actual }).toEqual({ step: i, answer: expected });
      const stored = JSON.parse((await redis.get(prefix + key)) ?? 'null') as unknown;
      expect({ step: i, state: stored }).toEqual({ step: i, state: memory.peek(key) });
    }
  });
});
