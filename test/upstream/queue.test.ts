import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryBucketStore } from '../../src/upstream/bucket-store.ts';
import { isProblem } from '../../src/upstream/errors.ts';
import { RateQueue, type Priority } from '../../src/upstream/queue.ts';
import type { RateSpec } from '../../src/upstream/rate-limit.ts';

const clock = { now: () => Date.now() };
const spec: RateSpec = { kind: 'window', limit: 2, windowMs: 1000 };

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

function acquire(queue: RateQueue, priority: Priority, order: string[], label: string, deadline = 60_000) {
  return queue.acquire('k', spec, { priority, deadline, vendor: 'test' }).then((permit) => {
    order.push(label);
    permit.release();
  });
}

describe('the rate queue', () => {
  it('lets one call out until the first response says what the budget really is', async () => {
    const queue = new RateQueue(new MemoryBucketStore(), clock);
    const first = await queue.acquire('k', { kind: 'window', limit: 10, windowMs: 1000 }, { priority: 'interactive', deadline: 5000, vendor: 'test' });
    let second = false;
    void queue.acquire('k', spec, { priority: 'interactive', deadline: 5000, vendor: 'test' }).then(() => (second = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(second).toBe(false);
    await queue.observe('k', spec, { limit: 10 });
    first.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBe(true);
  });

  it('waits for the next window instead of failing, serving interactive calls before background ones', async () => {
    const queue = new RateQueue(new MemoryBucketStore(), clock);
    await queue.observe('k', spec, {});
    const order: string[] = [];
    const done = Promise.all([
      acquire(queue, 'background', order, 'b1'),
      acquire(queue, 'background', order, 'b2'),
      acquire(queue, 'background', order, 'b3'),
      acquire(queue, 'interactive', order, 'i1'),
      acquire(queue, 'interactive', order, 'i2'),
    ]);
    // b1 went first (nothing else was waiting); from then on waiting interactive calls jump the line.
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['b1', 'i1']);
    expect(queue.depth('k')).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(order).toEqual(['b1', 'i1', 'i2', 'b2']);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(order).toEqual(['b1', 'i1', 'i2', 'b2', 'b3']);
  });

  it('fails a call with rate_limited and a hint once its deadline cannot be met', async () => {
    const queue = new RateQueue(new MemoryBucketStore(), clock);
    await queue.observe('k', spec, { retryAfterMs: 5000 });
    const error = await queue.acquire('k', spec, { priority: 'interactive', deadline: 1000, vendor: 'test' }).catch((e: unknown) => e);
    expect(isProblem(error, 'rate_limited')).toBe(true);
    expect(isProblem(error, 'rate_limited') && error.problem.retryAfterMs).toBe(5000);
  });

  it.each([
    [{ limit: 3 }, 3],
    [{ limit: 30 }, 30],
    [{ limit: 500 }, 64],
    [{}, 64],
  ])('lets as many calls be in flight as the learned budget has per window (%j -> %i), up to maxConcurrent', async (signal, expected) => {
    const queue = new RateQueue(new MemoryBucketStore(), clock);
    // Tokens to spare in this window whatever the signal says, so only the concurrency holds calls back.
    const big: RateSpec = { kind: 'window', limit: 1000, windowMs: 60_000 };
    await queue.observe('k', big, signal);
    const held: Array<{ release(): void }> = [];
    for (let i = 0; i < 80; i += 1) void queue.acquire('k', big, { priority: 'interactive', deadline: 50_000, vendor: 'test' }).then((p) => held.push(p));
    await vi.advanceTimersByTimeAsync(10);
    expect(held).toHaveLength(expected);
    held.splice(0).forEach((p) => p.release());
  });

  it('keeps calls waiting, not failing, while the budget store throws, and serves them once it answers', async () => {
    const store = new MemoryBucketStore();
    let broken = true;
    const flaky = {
      take: (...args: Parameters<MemoryBucketStore['take']>) => (broken ? Promise.reject(new Error('store down')) : store.take(...args)),
      observe: (...args: Parameters<MemoryBucketStore['observe']>) => store.observe(...args),
      snapshot: (...args: Parameters<MemoryBucketStore['snapshot']>) => store.snapshot(...args),
    };
    const queue = new RateQueue(flaky, clock);
    let served = false;
    void queue.acquire('k', spec, { priority: 'interactive', deadline: 5000, vendor: 'test' }).then(() => (served = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(served).toBe(false);
    expect(queue.depth('k')).toBe(1);
    broken = false;
    await vi.advanceTimersByTimeAsync(150);
    expect(served).toBe(true);
  });

  it('rejects a bad option with a clear message', () => {
    expect(() => new RateQueue(new MemoryBucketStore(), clock, { maxConcurrent: 0 })).toThrow(
      'expected maxConcurrent to be a whole number of at least 1, got 0',
    );
  });
});
