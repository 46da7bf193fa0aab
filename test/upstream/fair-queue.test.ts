import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryBucketStore } from '../../src/upstream/bucket-store.ts';
import { isProblem } from '../../src/upstream/errors.ts';
import { FairQueue, type Priority } from '../../src/upstream/fair-queue.ts';
import { RateQueue } from '../../src/upstream/queue.ts';
import type { RateSpec } from '../../src/upstream/rate-limit.ts';

interface Item {
  readonly client: string;
  readonly priority: Priority;
  readonly label: string;
}

const item = (client: string, label: string, priority: Priority = 'interactive'): Item => ({ client, priority, label });

/** Serves everything in the queue, as the rate queue would with an endless budget. */
function drain(queue: FairQueue<Item>): string[] {
  const order: string[] = [];
  for (let next = queue.peek(); next; next = queue.peek()) {
    queue.served(next);
    order.push(next.label);
  }
  return order;
}

describe('the fair queue', () => {
  it('serves clients in turn, each line first come first served', () => {
    const queue = new FairQueue<Item>({ maxWaiting: 100, maxWaitingPerClient: 100 });
    for (const label of ['a1', 'a2', 'a3', 'a4']) queue.push(item('a', label));
    queue.push(item('b', 'b1'));
    queue.push(item('c', 'c1'));
    queue.push(item('b', 'b2'));
    expect(drain(queue)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(queue.size).toBe(0);
  });

  it("puts a client's interactive calls before its background ones, without taking another client's turn", () => {
    const queue = new FairQueue<Item>({ maxWaiting: 100, maxWaitingPerClient: 100 });
    queue.push(item('a', 'a-bg1', 'background'));
    queue.push(item('a', 'a-bg2', 'background'));
    queue.push(item('b', 'b-bg1', 'background'));
    queue.push(item('a', 'a-i1'));
    expect(drain(queue)).toEqual(['a-i1', 'b-bg1', 'a-bg1', 'a-bg2']);
  });

  it('lets a client that gave up a waiter keep its turn', () => {
    const queue = new FairQueue<Item>({ maxWaiting: 100, maxWaitingPerClient: 100 });
    const a1 = item('a', 'a1');
    queue.push(a1);
    queue.push(item('a', 'a2'));
    queue.push(item('b', 'b1'));
    queue.remove(a1);
    expect(drain(queue)).toEqual(['a2', 'b1']);
  });

  it.each([
    ['the whole queue', { maxWaiting: 3, maxWaitingPerClient: 3 }, ['a', 'b', 'c', 'd'], 'queue_full'],
    ["one client's share", { maxWaiting: 10, maxWaitingPerClient: 2 }, ['a', 'a', 'a'], 'client_full'],
  ] as const)('refuses a waiter past %s and keeps nothing of it', (_name, limits, clients, refusal) => {
    const queue = new FairQueue<Item>(limits);
    const results = clients.map((client, i) => queue.push(item(client, `${client}${i}`)));
    expect(results.at(-1)).toBe(refusal);
    expect(results.slice(0, -1).every((r) => r === 'queued')).toBe(true);
    expect(queue.size).toBe(clients.length - 1);
    // Another client still gets in past one client's cap.
    if (refusal === 'client_full') expect(queue.push(item('b', 'b'))).toBe('queued');
  });
});

describe('the rate queue, shared by clients', () => {
  const clock = { now: () => Date.now() };
  const spec: RateSpec = { kind: 'window', limit: 2, windowMs: 1000 };

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("serves a late client's one call after one turn of another client's burst, not after the whole burst", async () => {
    const queue = new RateQueue(new MemoryBucketStore(), clock);
    await queue.observe('k', spec, {});
    const order: string[] = [];
    const take = (client: string, label: string) =>
      queue.acquire('k', spec, { priority: 'interactive', client, deadline: 60_000, vendor: 'test' }).then((permit) => {
        order.push(`${label}@${Date.now()}`);
        permit.release();
      });
    const burst = Array.from({ length: 10 }, (_, i) => take('key:a', `a${i + 1}`));
    await vi.advanceTimersByTimeAsync(200);
    const late = take('key:b', 'b1');
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([...burst, late]);
    // Two calls a second: a1 and a2 used the first window; in the next one A has its turn, then B.
    expect(order.slice(0, 4)).toEqual(['a1@0', 'a2@0', 'a3@1000', 'b1@1000']);
    expect(order).toHaveLength(11);
  });

  it('fails a call at once with rate_limited when its client already fills its share of the waiting room', async () => {
    const queue = new RateQueue(new MemoryBucketStore(), clock, { maxWaiting: 10, maxWaitingPerClient: 3 });
    await queue.observe('k', spec, { remaining: 0, resetAt: 1000 });
    const wait = (client: string) => queue.acquire('k', spec, { priority: 'interactive', client, deadline: 60_000, vendor: 'test' });
    const waiting = [wait('key:a'), wait('key:a'), wait('key:a')];
    const refused = await wait('key:a').catch((e: unknown) => e);
    expect(isProblem(refused, 'rate_limited')).toBe(true);
    expect(isProblem(refused, 'rate_limited') && refused.final).toBe(true);
    expect(queue.depth('k')).toBe(3);
    // Another client is not refused because of A.
    const other = wait('key:b');
    expect(queue.depth('k')).toBe(4);
    // Each is released as soon as it is granted: the learned budget (2 a window) allows 2 in flight.
    const done = Promise.all([...waiting, other].map((granted) => granted.then((permit) => permit.release())));
    await vi.advanceTimersByTimeAsync(3000);
    await done;
  });

  it('still fails a waiting call at its deadline', async () => {
    const queue = new RateQueue(new MemoryBucketStore(), clock);
    await queue.observe('k', spec, { remaining: 0, resetAt: 5000 });
    const error = queue.acquire('k', spec, { priority: 'interactive', client: 'key:a', deadline: 1000, vendor: 'test' }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(isProblem(await error, 'rate_limited')).toBe(true);
    expect(queue.depth('k')).toBe(0);
  });
});
