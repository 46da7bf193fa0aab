/**
 * The response cache in memory alone and in front of Redis answer the same cases alike; with Redis, what one
 * replica invalidates no other serves, and a Redis that is away or hung costs no error and no wait.
 */
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseCache, type ResponseCacheOptions, type UpstreamCache } from '../../src/upstream/cache.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';
import { SharedResponseCache, type SharedResponseCacheOptions } from '../../src/upstream/shared-response-cache.ts';
import { failFastClient, freePort, ready, startRedisServer, stopRedisServer, uniquePrefix } from '../helpers/redis.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function json(value: unknown): UpstreamResponse {
  const text = JSON.stringify(value);
  return { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: JSON.parse(text) as unknown, bytes: new TextEncoder().encode(text) };
}

function raw(bytes: number[]): UpstreamResponse {
  return { status: 200, headers: new Headers({ 'content-type': 'application/octet-stream' }), body: undefined, bytes: new Uint8Array(bytes) };
}

function client(port?: number): Redis {
  const redis = failFastClient(port);
  cleanups.push(() => redis.disconnect());
  return redis;
}

/** One replica's cache: its own LRU, over the given Redis client and prefix. */
function sharedReplica(redis: Redis, prefix: string, options: SharedResponseCacheOptions & ResponseCacheOptions = {}): SharedResponseCache {
  const cache = new SharedResponseCache(redis, new ResponseCache(options), { prefix, ...options });
  cleanups.push(() => cache.close());
  return cache;
}

function memoryReplica(options: ResponseCacheOptions = {}): ResponseCache {
  const cache = new ResponseCache(options);
  cleanups.push(() => cache.close());
  return cache;
}

/** Looks up and, on a miss, stores `response` as the client pipeline does. */
async function readThrough(cache: UpstreamCache, scope: string, key: string, response: UpstreamResponse, ttlMs = 60_000): Promise<UpstreamResponse> {
  const found = await cache.lookup(scope, key);
  if (found.response) return found.response;
  cache.store(scope, key, response, ttlMs, found.generation);
  return response;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const setups: Array<[string, (options?: ResponseCacheOptions) => Promise<UpstreamCache>]> = [
  ['memory alone', (options) => Promise.resolve(memoryReplica(options))],
  [
    'memory in front of Redis',
    async (options) => {
      const redis = client();
      await ready(redis);
      return sharedReplica(redis, uniquePrefix(), options);
    },
  ],
];

describe.each(setups)('the response cache, %s', (_name, make) => {
  it('misses, then answers what was stored, frozen so no reader changes what the next one sees', async () => {
    const cache = await make();
    expect((await cache.lookup('carehq|k', 'https://x/a')).response).toBeUndefined();
    await readThrough(cache, 'carehq|k', 'https://x/a', json({ items: [{ id: 1 }] }));
    const hit = (await cache.lookup('carehq|k', 'https://x/a')).response;
    expect(hit?.body).toEqual({ items: [{ id: 1 }] });
    expect(Object.isFrozen(hit?.body)).toBe(true);
    expect(new TextDecoder().decode(hit?.bytes)).toBe('{"items":[{"id":1}]}');
  });

  it('keeps the bytes of an answer that is not JSON', async () => {
    const cache = await make();
    await readThrough(cache, 'carecloud|k', 'https://x/file', raw([1, 2, 3, 10, 0]));
    const hit = (await cache.lookup('carecloud|k', 'https://x/file')).response;
    expect([...(hit?.bytes ?? [])]).toEqual([1, 2, 3, 10, 0]);
    expect(hit?.body).toBeUndefined();
  });

  it('drops a scope on invalidation, leaves other scopes alone, and caches the scope again afterwards', async () => {
    const cache = await make();
    for (let i = 0; i < 5; i += 1) {
      await readThrough(cache, 'carehq|k', `https://x/${i}`, json({ i }));
      await readThrough(cache, 'generic|k', `https://y/${i}`, json({ i }));
    }
    await cache.invalidate('carehq|k');
    expect((await cache.lookup('carehq|k', 'https://x/1')).response).toBeUndefined();
    expect((await cache.lookup('generic|k', 'https://y/1')).response?.body).toEqual({ i: 1 });
    await readThrough(cache, 'carehq|k', 'https://x/1', json({ again: true }));
    expect((await cache.lookup('carehq|k', 'https://x/1')).response?.body).toEqual({ again: true });
  });

  it('forgets an answer once its TTL has passed', async () => {
    const cache = await make();
    await readThrough(cache, 'carehq|k', 'https://x/short', json({ short: true }), 40);
    expect((await cache.lookup('carehq|k', 'https://x/short')).response).toBeDefined();
    await sleep(120);
    expect((await cache.lookup('carehq|k', 'https://x/short')).response).toBeUndefined();
  });

  it('keeps at most maxEntries in memory however many distinct keys clients send', async () => {
    const cache = await make({ maxEntries: 50 });
    for (let i = 0; i < 400; i += 1) await readThrough(cache, 'carehq|k', `https://x/?search=${i}`, json({ i }));
    const local = cache instanceof SharedResponseCache ? cache.local : (cache as ResponseCache);
    expect(local.stats.entries).toBe(50);
    expect((await cache.lookup('carehq|k', 'https://x/?search=399')).response?.body).toEqual({ i: 399 });
  });
});

describe('the response cache shared through Redis', () => {
  it('a second replica answers from Redis what the first stored; a local hit is the very same frozen object', async () => {
    const prefix = uniquePrefix();
    const [ra, rb] = [client(), client()];
    await Promise.all([ready(ra), ready(rb)]);
    const a = sharedReplica(ra, prefix);
    const b = sharedReplica(rb, prefix);
    await readThrough(a, 'carehq|k', 'https://x/list', json({ page: 1 }));
    await sleep(20); // the shared copy is written without delaying the answer
    const fromRedis = (await b.lookup('carehq|k', 'https://x/list')).response;
    expect(fromRedis?.body).toEqual({ page: 1 });
    expect((await b.lookup('carehq|k', 'https://x/list')).response).toBe(fromRedis);
    expect(b.local.stats.entries).toBe(1);
  });

  it("one replica's invalidation is a miss at once on another that held the answer in memory", async () => {
    const prefix = uniquePrefix();
    const [ra, rb] = [client(), client()];
    await Promise.all([ready(ra), ready(rb)]);
    const a = sharedReplica(ra, prefix);
    const b = sharedReplica(rb, prefix);
    await readThrough(b, 'generic|k', 'https://y/users', json({ users: ['old'] }));
    expect((await b.lookup('generic|k', 'https://y/users')).response).toBeDefined();
    await a.invalidate('generic|k');
    expect((await b.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
    // ... and the stale copy is gone from b's memory, not merely skipped.
    expect(b.local.stats.entries).toBe(0);
  });

  it("an answer read before another replica's invalidation is never served after it", async () => {
    const prefix = uniquePrefix();
    const [ra, rb] = [client(), client()];
    await Promise.all([ready(ra), ready(rb)]);
    const a = sharedReplica(ra, prefix);
    const b = sharedReplica(rb, prefix);
    const before = await b.lookup('generic|k', 'https://y/users');
    await a.invalidate('generic|k');
    b.store('generic|k', 'https://y/users', json({ users: ['from before the write'] }), 60_000, before.generation);
    await sleep(20);
    expect((await a.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
    expect((await b.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
  });

  it('keeps an answer larger than maxSharedBytes in the replica that read it only', async () => {
    const prefix = uniquePrefix();
    const [ra, rb] = [client(), client()];
    await Promise.all([ready(ra), ready(rb)]);
    const a = sharedReplica(ra, prefix, { maxSharedBytes: 1000 });
    const b = sharedReplica(rb, prefix, { maxSharedBytes: 1000 });
    await readThrough(a, 'carehq|k', 'https://x/big', json({ text: 'x'.repeat(2000) }));
    await readThrough(a, 'carehq|k', 'https://x/small', json({ text: 'x' }));
    await sleep(20);
    expect((await a.lookup('carehq|k', 'https://x/big')).response).toBeDefined();
    expect((await b.lookup('carehq|k', 'https://x/big')).response).toBeUndefined();
    expect((await b.lookup('carehq|k', 'https://x/small')).response).toBeDefined();
  });

  describe('with a Redis of its own that goes away', () => {
    let server: ChildProcess | undefined;
    afterEach(async () => {
      if (server) await stopRedisServer(server);
      server = undefined;
    });

    it('serves from memory with no error, logs once per change, and shares its invalidations when Redis returns', async () => {
      const port = await freePort();
      server = await startRedisServer(port);
      const lines: Array<{ level: number; msg: string }> = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
          done();
        },
      });
      const [ra, rb] = [client(port), client(port)];
      await Promise.all([ready(ra), ready(rb)]);
      const a = sharedReplica(ra, 'p:', { logger: pino({ level: 'info' }, sink) });
      const b = sharedReplica(rb, 'p:');
      await readThrough(a, 'generic|k', 'https://y/users', json({ users: ['old'] }));
      await readThrough(b, 'generic|k', 'https://y/users', json({ users: ['old'] }));

      await stopRedisServer(server);
      for (let i = 0; i < 50 && ra.status === 'ready'; i += 1) await sleep(20);
      const started = Date.now();
      for (let i = 0; i < 20; i += 1) expect((await a.lookup('generic|k', 'https://y/users')).response?.body).toEqual({ users: ['old'] });
      await readThrough(a, 'generic|k', 'https://y/other', json({ other: true }));
      expect((await a.lookup('generic|k', 'https://y/other')).response?.body).toEqual({ other: true });
      // A write on a while Redis is away reaches a's memory at once ...
      await a.invalidate('generic|k');
      expect((await a.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(500);
      expect(a.usingFallback).toBe(true);

      // ... and b as soon as Redis is back (Redis came back empty: no old entry is trusted either).
      server = await startRedisServer(port);
      for (let i = 0; i < 100 && (ra.status !== 'ready' || rb.status !== 'ready'); i += 1) await sleep(20);
      await sleep(50);
      expect((await b.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
      expect((await a.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
      expect(a.usingFallback).toBe(false);
      const changes = lines.filter((line) => line.msg.startsWith('response cache'));
      expect(changes.map((line) => line.level)).toEqual([40, 30]);
    }, 15_000);

    it('shares an invalidation made while Redis was away with a replica whose entries Redis still holds', async () => {
      const port = await freePort();
      server = await startRedisServer(port);
      const [ra, rb] = [client(port), client(port)];
      await Promise.all([ready(ra), ready(rb)]);
      const a = sharedReplica(ra, 'p:');
      const b = sharedReplica(rb, 'p:');
      await readThrough(b, 'generic|k', 'https://y/users', json({ users: ['old'] }));
      // Only a loses Redis (its connection closes; the server stays up with b's entries).
      const ended = new Promise((resolve) => ra.once('end', resolve));
      ra.disconnect();
      await ended;
      await a.invalidate('generic|k');
      expect((await b.lookup('generic|k', 'https://y/users')).response).toBeDefined();
      await ra.connect();
      await sleep(50);
      expect((await b.lookup('generic|k', 'https://y/users')).response).toBeUndefined();
    }, 15_000);

    it('answers from memory within its timeout while Redis is hung', async () => {
      const port = await freePort();
      server = await startRedisServer(port);
      const redis = client(port);
      const admin = client(port);
      await Promise.all([ready(redis), ready(admin)]);
      const cache = sharedReplica(redis, 'p:', { timeoutMs: 100 });
      await readThrough(cache, 'carehq|k', 'https://x/a', json({ a: 1 }));
      await admin.client('PAUSE', 1500, 'ALL');
      const started = Date.now();
      expect((await cache.lookup('carehq|k', 'https://x/a')).response?.body).toEqual({ a: 1 });
      expect((await cache.lookup('carehq|k', 'https://x/a')).response?.body).toEqual({ a: 1 });
      expect(Date.now() - started).toBeLessThan(800);
      expect(cache.usingFallback).toBe(true);
    }, 15_000);
  });
});
