/**
 * The store of Apollo's automatic persisted queries (APQ: a client sends a query once with its sha256, then
 * the hash alone): bounded in memory, and in Redis too when the gateway has one, so that a query registered
 * through one replica runs by hash through any other.
 *
 * A hash names one query text forever, so a copy held in memory is never stale: memory answers first, and
 * Redis is asked only on a local miss. Redis failing or slow is a miss there, never an error (Apollo would
 * fail the request on a rejected `get`): the client then sends the full query again, as APQ intends.
 *
 * Apollo's default store is its InMemoryLRUCache, 30 MiB shared with its other caches; this one has its
 * own bound. A small class over ioredis rather than Keyv with @apollo/utils.keyvadapter and @keyv/redis: see
 * upstream/shared-response-cache.ts for why the gateway keeps to its one ioredis client.
 */
import type { PersistedQueryOptions } from '@apollo/server';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { RedisGate, UNAVAILABLE } from '../upstream/redis-gate.ts';

type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;

export interface PersistedQueryStoreOptions {
  /** Characters of query text kept in memory, all entries together. Default 8 MiB. */
  readonly maxBytes?: number;
  /** Queries kept in memory at most. Default 10,000. */
  readonly maxEntries?: number;
  /** How long a registered query is kept, seconds (Apollo passes none unless configured). Default 86,400 (a day). */
  readonly ttlSeconds?: number;
  /** Shared with every replica when set. Default: memory alone. */
  readonly redis?: Redis | undefined;
  /** Prefix of the keys in Redis (Apollo's own keys start `apq:`). Default `vendor-graph:`. */
  readonly prefix?: string;
  /** Longest wait for Redis before a lookup counts as a miss, ms. Default 250. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export const PERSISTED_QUERY_DEFAULTS = Object.freeze({ maxBytes: 8 * 1024 * 1024, maxEntries: 10_000, ttlSeconds: 86_400, prefix: 'vendor-graph:' });

/** Apollo's keys are `apq:` and a sha256 in hex; a client can send any string as the hash, so longer is a miss. */
const MAX_KEY_LENGTH = 128;

export class PersistedQueryStore implements KeyValueCache {
  private readonly memory: LRUCache<string, string>;
  private readonly gate: RedisGate | undefined;
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(options: PersistedQueryStoreOptions = {}) {
    const { maxBytes, maxEntries, ttlSeconds, prefix } = { ...PERSISTED_QUERY_DEFAULTS, ...options };
    for (const [name, value] of Object.entries({ maxBytes, maxEntries, ttlSeconds })) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`expected ${name} to be a whole number of at least 1, got ${String(value)}`);
    }
    this.memory = new LRUCache({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (value, key) => Math.max(1, value.length + key.length) });
    this.ttlSeconds = ttlSeconds;
    this.prefix = prefix;
    this.gate = options.redis
      ? new RedisGate(options.redis, { name: 'persisted queries', logger: options.logger, timeoutMs: options.timeoutMs })
      : undefined;
  }

  /** Queries held in memory now. */
  get size(): number {
    return this.memory.size;
  }

  async get(key: string): Promise<string | undefined> {
    if (key.length > MAX_KEY_LENGTH) return undefined;
    const local = this.memory.get(key);
    if (local !== undefined || !this.gate) return local;
    const shared = await this.gate.run((redis) => redis.get(this.prefix + key));
    if (shared === UNAVAILABLE || shared === null) return undefined;
    this.memory.set(key, shared, { ttl: this.ttlSeconds * 1000 });
    return shared;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (key.length > MAX_KEY_LENGTH) return;
    const ttlSeconds = options?.ttl ? Math.min(options.ttl, this.ttlSeconds) : this.ttlSeconds;
    this.memory.set(key, value, { ttl: ttlSeconds * 1000 });
    await this.gate?.run((redis) => redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.round(ttlSeconds))));
  }

  async delete(key: string): Promise<boolean> {
    const deleted = this.memory.delete(key);
    await this.gate?.run((redis) => redis.del(this.prefix + key));
    return deleted;
  }
}
