/**
 * TokenCache as replicas use it: two caches with one credential over one store stand for two replicas. The
 * same cases run over a store in memory (shared by both caches) and over Redis (each cache on its own
 * connection, as two processes would be). Then a shared store that fails: calls never do.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/upstream/clock.ts';
import { FallbackTokenStore } from '../../src/upstream/fallback-token-store.ts';
import { RedisTokenStore } from '../../src/upstream/redis-token-store.ts';
import { TokenCache, type IssuedToken } from '../../src/upstream/token-cache.ts';
import { tokenSlot, type TokenCredential } from '../../src/upstream/token-crypto.ts';
import { MemoryTokenStore, type StoredToken, type TokenLock, type TokenStore } from '../../src/upstream/token-store.ts';
import { capturingLogger } from '../helpers/secrets.ts';

const connections: Redis[] = [];
beforeAll(() => {
  for (let i = 0; i < 2; i += 1) connections.push(new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 }));
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LIFE_MS = 30 * 60 * 1000;

/** A token endpoint: counts requests, answers after `delayMs` with a new token each time. */
function tokenEndpoint(delayMs = 20) {
  const issued: string[] = [];
  let fail: Error | undefined;
  return {
    issued,
    failNext(error: Error) {
      fail = error;
    },
    issue: async (): Promise<IssuedToken> => {
      await sleep(delayMs);
      if (fail) {
        const error = fail;
        fail = undefined;
        throw error;
      }
      const value = `tok-${issued.length + 1}-${randomUUID()}`;
      issued.push(value);
      return { value, expiresAt: Date.now() + LIFE_MS };
    },
  };
}

function credential(): TokenCredential {
  return { vendor: 'generic', issuer: 'https://auth.example.test/oauth/token', clientId: `client-${randomUUID()}`, secret: `secret-${randomUUID()}` };
}

/** Two replicas' stores: one shared object in memory, or two Redis connections onto one prefix. */
type Stores = () => [TokenStore, TokenStore];

describe.each<[string, Stores]>([
  [
    'in memory',
    () => {
      const store = new MemoryTokenStore();
      return [store, store];
    },
  ],
  [
    'in Redis',
    () => {
      const prefix = `test:token:${randomUUID()}:`;
      return [new RedisTokenStore(connections[0]!, { prefix }), new RedisTokenStore(connections[1]!, { prefix })];
    },
  ],
])('tokens shared %s', (_name, stores) => {
  function replicas(endpoint: ReturnType<typeof tokenEndpoint>, options: { refreshBeforeMs?: number; lockMs?: number } = {}) {
    const cred = credential();
    const [a, b] = stores();
    const make = (store: TokenStore) => new TokenCache(endpoint.issue, systemClock, { ...options, store, credential: cred, pollMs: 10 });
    return { cred, stores: [a, b] as const, caches: [make(a), make(b)] as const };
  }

  it('20 concurrent callers on two replicas cost one token request, and all use that token', async () => {
    const endpoint = tokenEndpoint();
    const { caches } = replicas(endpoint);
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => caches[i % 2]!.get()));
    expect(endpoint.issued).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(endpoint.issued));
  });

  it('a 401 on a token another replica already replaced costs nothing, and leaves the new token stored', async () => {
    const endpoint = tokenEndpoint();
    const { caches, stores, cred } = replicas(endpoint);
    const [a, b] = caches;
    const first = await a.get();
    expect(await b.get()).toBe(first);
    // A's call with `first` is refused; A replaces it.
    expect(await a.refresh(first)).toBe(true);
    const second = await a.get();
    expect(second).not.toBe(first);
    // B's own call with `first` is refused too, later: it must take A's token, not throw it away.
    expect(await b.refresh(first)).toBe(true);
    expect(await b.get()).toBe(second);
    expect(endpoint.issued).toEqual([first, second]);
    expect((await stores[0].read(tokenSlot(cred)))?.value).toBe(second);
  });

  it('a hundred parallel 401s on one token across both replicas cost one token request', async () => {
    const endpoint = tokenEndpoint();
    const { caches } = replicas(endpoint);
    const stale = await caches[0].get();
    await caches[1].get();
    await Promise.all(Array.from({ length: 100 }, (_, i) => caches[i % 2]!.refresh(stale)));
    expect(endpoint.issued).toHaveLength(2);
    expect(await caches[0].get()).toBe(endpoint.issued[1]);
    expect(await caches[1].get()).toBe(endpoint.issued[1]);
  });

  it('replaces a token about to expire once, whichever replica notices first', async () => {
    const endpoint = tokenEndpoint();
    const { caches, stores, cred } = replicas(endpoint, { refreshBeforeMs: 60_000 });
    await stores[0].write(tokenSlot(cred), { value: 'tok-expiring-aaaaaaaa', expiresAt: Date.now() + 30_000 });
    const first = await caches[0].get();
    const second = await caches[1].get();
    // Alive but inside the refresh window: each replica takes it once, then one of them replaces it.
    expect([first, second]).toEqual(['tok-expiring-aaaaaaaa', 'tok-expiring-aaaaaaaa']);
    const next = await Promise.all([caches[0].get(), caches[1].get(), caches[0].get()]);
    expect(endpoint.issued).toHaveLength(1);
    expect(new Set(next)).toEqual(new Set(endpoint.issued));
  });

  it('a replica that takes the lock just after another stored a token uses that token', async () => {
    const endpoint = tokenEndpoint();
    const cred = credential();
    const [a, b] = stores();
    let opened: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (opened = resolve));
    // B finds no token, and reaches for the lock only once A has asked, stored and let go.
    const lateB: TokenStore = { read: (s) => b.read(s), write: (s, t) => b.write(s, t), invalidate: (s, v) => b.invalidate(s, v), lock: (s, ms) => gate.then(() => b.lock(s, ms)) };
    const replicaB = new TokenCache(endpoint.issue, systemClock, { store: lateB, credential: cred }).get();
    await sleep(20);
    const fromA = await new TokenCache(endpoint.issue, systemClock, { store: a, credential: cred }).get();
    opened();
    expect(await replicaB).toBe(fromA);
    expect(endpoint.issued).toEqual([fromA]);
  });

  it('waits for a replica that holds the lock, and takes over once the lock runs out', async () => {
    const endpoint = tokenEndpoint();
    const { caches, stores, cred } = replicas(endpoint, { lockMs: 5000 });
    // A replica took the lock and died before storing a token.
    const dead = await stores[1].lock(tokenSlot(cred), 300);
    expect(dead).toBeDefined();
    const started = Date.now();
    const token = await caches[0].get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(endpoint.issued).toEqual([token]);
  });

  it('a failed token request fails its callers, frees the lock, and the next caller asks again', async () => {
    const endpoint = tokenEndpoint();
    const { caches } = replicas(endpoint);
    endpoint.failNext(new Error('token endpoint down'));
    await expect(caches[0].get()).rejects.toThrow('token endpoint down');
    const started = Date.now();
    const token = await caches[1].get();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(endpoint.issued).toEqual([token]);
  });
});

/** A shared store whose every call fails, as Redis does while it is away; `up` brings it back. */
class FlakyStore implements TokenStore {
  up = false;
  calls = 0;
  constructor(private readonly inner: TokenStore) {}
  private gate<R>(run: () => Promise<R>): Promise<R> {
    this.calls += 1;
    return this.up ? run() : Promise.reject(new Error('Connection is closed.'));
  }
  read(slot: Parameters<TokenStore['read']>[0]): Promise<StoredToken | undefined> {
    return this.gate(() => this.inner.read(slot));
  }
  write(slot: Parameters<TokenStore['write']>[0], token: StoredToken): Promise<void> {
    return this.gate(() => this.inner.write(slot, token));
  }
  invalidate(slot: Parameters<TokenStore['invalidate']>[0], value: string): Promise<boolean> {
    return this.gate(() => this.inner.invalidate(slot, value));
  }
  lock(slot: Parameters<TokenStore['lock']>[0], ttlMs: number): Promise<TokenLock | undefined> {
    return this.gate(() => this.inner.lock(slot, ttlMs));
  }
}

describe('tokens when the shared store fails', () => {
  it('keep flowing per process, are logged once per change, and are shared again when it is back', async () => {
    const endpoint = tokenEndpoint(5);
    const shared = new FlakyStore(new MemoryTokenStore());
    const { logger, lines } = capturingLogger('info');
    const store = new FallbackTokenStore(shared, { available: () => true, logger });
    const cred = credential();
    const cache = new TokenCache(endpoint.issue, systemClock, { store, credential: cred, pollMs: 10 });

    const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.get()));
    expect(new Set(tokens).size).toBe(1);
    expect(endpoint.issued).toHaveLength(1);
    expect(store.usingFallback).toBe(true);
    // A refusal while Redis is away still replaces the token, locally.
    await cache.refresh(tokens[0]);
    expect(endpoint.issued).toHaveLength(2);

    shared.up = true;
    const other = new TokenCache(endpoint.issue, systemClock, { store, credential: cred, pollMs: 10 });
    const shared0 = await other.get();
    expect(store.usingFallback).toBe(false);
    // Once back, a token stored there is seen by a second replica with no request of its own.
    const replica = new TokenCache(endpoint.issue, systemClock, { store: shared, credential: cred });
    expect(await replica.get()).toBe(shared0);

    const changes = lines.map((line) => JSON.parse(line) as { msg: string; reason?: string }).filter((l) => l.msg.includes('shared OAuth tokens'));
    expect(changes.map((l) => l.msg)).toEqual([
      'shared OAuth tokens unreachable: each replica now asks for and keeps its own',
      'shared OAuth tokens reachable again',
    ]);
    expect(changes[0]?.reason).toBe('Connection is closed.');
  });

  it('are not asked of the shared store at all while it reports itself unavailable', async () => {
    const endpoint = tokenEndpoint(5);
    const shared = new FlakyStore(new MemoryTokenStore());
    const store = new FallbackTokenStore(shared, { available: () => false });
    const cache = new TokenCache(endpoint.issue, systemClock, { store, credential: credential() });
    await cache.get();
    expect(shared.calls).toBe(0);
    expect(endpoint.issued).toHaveLength(1);
  });

  it('refuses a shared store without a credential to name the token by', () => {
    expect(() => new TokenCache(tokenEndpoint().issue, systemClock, { store: new MemoryTokenStore() })).toThrow(
      'expected a credential to name the token in its store, got none',
    );
  });
});
