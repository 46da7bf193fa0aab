/**
 * The shared budget's stand-in while Redis is away, and the way back: a replica back on the shared budget
 * keeps to its local share too for a grace period, since replicas still on their shares cannot be seen. The
 * shared side here is an in-memory store switched on and off, so every step is on a clock the test holds.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBucketStore } from '../../src/upstream/bucket-store.ts';
import { FallbackBucketStore, REJOIN_GRACE_MS } from '../../src/upstream/fallback-bucket-store.ts';
import type { RateSpec } from '../../src/upstream/rate-limit.ts';

const T = 1_700_000_000_000;
const LIMIT: RateSpec = { kind: 'window', limit: 10, windowMs: 1000 };
const KEY = 'carehq:test';

function store(replicas: () => number) {
  let available = true;
  const shared = new MemoryBucketStore();
  const fallback = new FallbackBucketStore(shared, { available: () => available, replicas });
  return {
    fallback,
    setAvailable: (value: boolean) => {
      available = value;
    },
    /** How many of `n` takes at `now` the store granted. */
    granted: async (n: number, now: number, key = KEY) => {
      let ok = 0;
      for (let i = 0; i < n; i += 1) if ((await fallback.take(key, LIMIT, now)).ok) ok += 1;
      return ok;
    },
  };
}

describe('the fallback rate budget', () => {
  it('while Redis is away, one of two replicas takes half the limit', async () => {
    const s = store(() => 2);
    s.setAvailable(false);
    expect(await s.granted(8, T)).toBe(5);
    expect(s.fallback.usingFallback).toBe(true);
  });

  it('back on the shared budget, a replica keeps to its share for the grace period, then takes the shared limit', async () => {
    const s = store(() => 2);
    s.setAvailable(false);
    expect(await s.granted(5, T)).toBe(5);
    // Redis answers again in the same window: the shared budget is fresh, but this replica's share is spent,
    // and the other replica may still be on its own share of this window.
    s.setAvailable(true);
    expect(await s.granted(5, T + 100)).toBe(0);
    expect(s.fallback.usingFallback).toBe(false);
    // A later window within the grace: the share again, not the shared limit.
    expect(await s.granted(10, T + 1000)).toBe(5);
    // Past the grace: the shared limit alone.
    const after = T + 100 + REJOIN_GRACE_MS + 1000;
    expect(await s.granted(12, after - (after % 1000))).toBe(10);
  });

  it('keeps the share it had while away though a Redis that came back empty lists this replica alone', async () => {
    let replicas = 2;
    const s = store(() => replicas);
    s.setAvailable(false);
    expect(await s.granted(1, T)).toBe(1);
    s.setAvailable(true);
    replicas = 1;
    // A budget first used in the grace (another vendor credential) starts at that share too.
    expect(await s.granted(10, T + 2000, 'carehq:other')).toBe(5);
  });

  it('hands Redis its local share scaled back by the replicas it shared with, though Redis now lists it alone', async () => {
    let replicas = 2;
    const s = store(() => replicas);
    s.setAvailable(false);
    expect(await s.granted(2, T)).toBe(2);
    replicas = 1;
    const resumed = s.fallback.resumeState(KEY);
    expect(resumed?.spec).toEqual({ ...LIMIT, limit: 10 });
    expect(resumed?.tokens).toBe(3);
  });

  it('a replica that never lost Redis takes the shared limit at once', async () => {
    const s = store(() => 2);
    expect(await s.granted(12, T)).toBe(10);
  });
});
