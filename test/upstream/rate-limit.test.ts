import { describe, expect, it } from 'vitest';
import { initialState, observe, snapshotOf, take } from '../../src/upstream/rate-limit.ts';

describe('fixed-window budgets', () => {
  it('spends the limit, then waits for the window the vendor names', () => {
    const state = initialState({ kind: 'window', limit: 3, windowMs: 1000 }, 0);
    expect([take(state, 0), take(state, 1), take(state, 2)].every((r) => r.ok)).toBe(true);
    expect(take(state, 3)).toEqual({ ok: false, waitMs: 997 });
    expect(take(state, 1000).ok).toBe(true);
  });

  it('adopts the vendor limit and window from headers', () => {
    const state = initialState({ kind: 'window', limit: 10, windowMs: 1000 }, 0);
    take(state, 0);
    observe(state, { limit: 2, remaining: 1, resetAt: 400 }, 10);
    expect(take(state, 20).ok).toBe(true);
    expect(take(state, 30)).toEqual({ ok: false, waitMs: 370 });
    expect(take(state, 400).ok).toBe(true);
    expect(snapshotOf(state, 400)).toMatchObject({ limit: 2, remaining: 1, learned: true });
  });

  it('ignores a remaining count that belongs to a window already over', () => {
    const state = initialState({ kind: 'window', limit: 5, windowMs: 1000 }, 0);
    observe(state, { remaining: 0, resetAt: 1000 }, 1001);
    expect(take(state, 1001).ok).toBe(true);
  });

  it('holds back a token of the next window for a call sent at the edge of this one', () => {
    const state = initialState({ kind: 'window', limit: 2, windowMs: 1000 }, 0);
    take(state, 0);
    take(state, 950);
    expect(snapshotOf(state, 1000).remaining).toBe(1);
  });

  it('Retry-After blocks everything until it has passed', () => {
    const state = initialState({ kind: 'window', limit: 100, windowMs: 1000 }, 0);
    observe(state, { retryAfterMs: 2500 }, 0);
    expect(take(state, 1200)).toEqual({ ok: false, waitMs: 1300 });
    expect(take(state, 2500).ok).toBe(true);
  });
});

describe('token buckets', () => {
  it('refills continuously at the announced rate and cost', () => {
    const state = initialState({ kind: 'bucket', capacity: 2, refillPerSecond: 1 }, 0);
    take(state, 0);
    take(state, 0);
    expect(take(state, 0)).toEqual({ ok: false, waitMs: 1000 });
    observe(state, { limit: 4, refillPerSecond: 4, remaining: 0, cost: 2 }, 0);
    expect(take(state, 100)).toEqual({ ok: false, waitMs: 400 });
    expect(take(state, 500).ok).toBe(true);
    expect(snapshotOf(state, 500)).toMatchObject({ limit: 4, remaining: 0 });
  });

  it('trusts the vendor when it says fewer tokens are left than we think', () => {
    const state = initialState({ kind: 'bucket', capacity: 10, refillPerSecond: 1 }, 0);
    observe(state, { remaining: 1 }, 0);
    expect(take(state, 0).ok).toBe(true);
    expect(take(state, 0).ok).toBe(false);
  });
});
