/**
 * The response cache with Redis: this replica's bounded LRU (cache.ts) in front, Redis behind it, shared by
 * every replica.
 *
 * Each scope (one vendor credential) has a generation in Redis: a random token that is part of every shared
 * entry's key and is replaced when the scope is invalidated (a write, a verified webhook). Local entries carry
 * the generation they were stored under. Every lookup is one Redis round trip (a script): it reads the
 * scope's generation, and only when the local copy is missing or from an older generation, the shared entry
 * too. So no replica serves an answer from before another replica's invalidation once that invalidation has
 * returned: the window is 0, paid for with one small Redis command per hit (no body crosses the wire on a
 * local hit, and nothing is parsed). A random token rather than a counter: a Redis that restarts empty
 * starts new generations that no old entry carries.
 *
 * Entries of a replaced generation are never read again; in Redis they expire at their TTL (CACHE_TTL_MS at
 * most, so Redis holds at most one TTL's worth of answers; give it a `maxmemory` with an LRU policy), and
 * locally they are dropped when next looked up, or by the LRU's own bound and sweep.
 *
 * Redis away or slow (redis-gate.ts): the local LRU answers alone, with no error and no wait. Invalidations
 * then reach only this replica; each is written to Redis as soon as it answers again, and until then the
 * other replicas may serve that scope's answers for up to their TTL. Entries stored meanwhile are kept
 * locally only and are not trusted once Redis is back.
 *
 * Plain ioredis rather than Keyv with @keyv/redis: that adapter (5.x) runs on node-redis, a second client and
 * connection with its own offline queue and reconnect rules, where the gateway already has one ioredis client
 * with fail-fast options; and a generation check must be atomic with the read, which is one Lua script here.
 * The scripts build keys from their arguments, so this needs one Redis, not a cluster.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { Logger } from 'pino';
import { ResponseCache, type CacheLookup, type UpstreamCache } from './cache.ts';
import { RedisGate, UNAVAILABLE } from './redis-gate.ts';
import type { UpstreamResponse } from './request.ts';
import { HeaderList } from './response-headers.ts';
import { parseJson } from './transport.ts';

export interface SharedResponseCacheOptions {
  /** Prefix of every key. Default `vendor-graph:cache:`. */
  readonly prefix?: string;
  /** Largest answer shared through Redis, bytes; a larger one is kept in this replica's memory only. Default 1 MiB. */
  readonly maxSharedBytes?: number;
  /** Longest wait for Redis on one lookup before the local LRU answers alone, ms. Default 250. */
  readonly timeoutMs?: number;
  /** After Redis failed, how long the local LRU answers alone before Redis is asked again, ms. Default 1000. */
  readonly retryAfterMs?: number;
  readonly logger?: Logger;
}

export const SHARED_CACHE_DEFAULTS = Object.freeze({ prefix: 'vendor-graph:cache:', maxSharedBytes: 1024 * 1024 });

/**
 * KEYS[1] the scope's generation; ARGV: a fresh generation (used if the scope has none), the local copy's
 * generation (or ''), the entries' key prefix, the entry's hash. Answers {generation}, or {generation, entry,
 * ms to live} when the local copy is missing or stale and Redis has the entry.
 */
const LOOKUP = `
local gen = redis.call('GET', KEYS[1])
if not gen then
  gen = ARGV[1]
  redis.call('SET', KEYS[1], gen)
end
if gen == ARGV[2] then return {gen} end
local key = ARGV[3] .. gen .. ':' .. ARGV[4]
local value = redis.call('GET', key)
if not value then return {gen} end
return {gen, value, redis.call('PTTL', key)}
`;

/** Stores the entry only if its generation is still the scope's: an answer read before an invalidation is dropped. */
const STORE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', ARGV[2], ARGV[3], 'PX', ARGV[4])
return 1
`;

// The commands defineCommand adds at run time; the Buffer variant keeps a body's bytes as they are.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    vendorGraphCacheLookupBuffer(
      generationKey: string,
      fresh: string,
      local: string,
      entryPrefix: string,
      hash: string,
    ): Result<[Buffer, Buffer?, number?], Context>;
    vendorGraphCacheStore(generationKey: string, generation: string, entryKey: string, payload: Buffer, ttlMs: string): Result<number, Context>;
  }
}

export class SharedResponseCache implements UpstreamCache {
  private readonly gate: RedisGate;
  private readonly prefix: string;
  private readonly maxSharedBytes: number;
  /**
   * Scopes invalidated while Redis could not be told; their new generation is written as soon as it answers.
   * Bounded by the number of vendor credentials, not by traffic.
   */
  private readonly unshared = new Set<string>();
  private readonly onReady = () => {
    if (this.unshared.size > 0) void this.share();
  };

  constructor(
    private readonly redis: Redis,
    /** The bounded in-memory tier in front (its size is set by CACHE_MAX_BYTES). */
    readonly local: ResponseCache,
    options: SharedResponseCacheOptions = {},
  ) {
    const { prefix, maxSharedBytes } = { ...SHARED_CACHE_DEFAULTS, ...options };
    if (!Number.isInteger(maxSharedBytes) || maxSharedBytes < 1) {
      throw new Error(`expected maxSharedBytes to be a whole number of at least 1, got ${String(maxSharedBytes)}`);
    }
    this.prefix = prefix;
    this.maxSharedBytes = maxSharedBytes;
    this.gate = new RedisGate(redis, {
      name: 'response cache',
      logger: options.logger,
      timeoutMs: options.timeoutMs,
      retryAfterMs: options.retryAfterMs,
      onRecovered: this.onReady,
    });
    // Both may be defined by another cache on the same client: defining again changes nothing.
    redis.defineCommand('vendorGraphCacheLookup', { numberOfKeys: 1, lua: LOOKUP });
    redis.defineCommand('vendorGraphCacheStore', { numberOfKeys: 1, lua: STORE });
    redis.on('ready', this.onReady);
  }

  /** Whether the local LRU answers alone now (Redis failed or is away). */
  get usingFallback(): boolean {
    return this.gate.usingFallback;
  }

  async lookup(scope: string, key: string): Promise<CacheLookup> {
    if (this.unshared.size > 0) await this.share();
    const entry = this.local.entry(scope, key);
    // Until Redis has this replica's invalidation, its entries of the scope are older than what we know.
    if (this.unshared.has(scope)) return { response: entry?.response, generation: undefined };
    const found = await this.gate.run((redis) =>
      redis.vendorGraphCacheLookupBuffer(this.generationKey(scope), newGeneration(), entry?.generation ?? '', this.entryPrefix(), entryHash(scope, key)),
    );
    if (found === UNAVAILABLE) return { response: entry?.response, generation: undefined };
    const [raw, payload, ttlMs] = found;
    const generation = raw.toString();
    if (entry && entry.generation === generation) return { response: entry.response, generation };
    if (entry) this.local.delete(scope, key);
    const response = payload && typeof ttlMs === 'number' && ttlMs > 0 ? decode(payload) : undefined;
    if (!response || ttlMs === undefined) return { response: undefined, generation };
    return { response: this.local.set(scope, key, response, ttlMs, generation) ?? response, generation };
  }

  store(scope: string, key: string, response: UpstreamResponse, ttlMs: number, generation: string | undefined): void {
    this.local.set(scope, key, response, ttlMs, generation);
    // Read while Redis was away: the generation it belongs to is unknown, so it stays here.
    if (generation === undefined) return;
    const payload = encode(response);
    if (payload.length > this.maxSharedBytes) return;
    const entryKey = `${this.entryPrefix()}${generation}:${entryHash(scope, key)}`;
    void this.gate.run((redis) => redis.vendorGraphCacheStore(this.generationKey(scope), generation, entryKey, payload, String(Math.max(1, Math.round(ttlMs)))));
  }

  async invalidate(scope: string): Promise<void> {
    this.local.invalidate(scope);
    this.unshared.add(scope);
    await this.share();
  }

  /** Stops listening to the Redis client (which stays open: it is the caller's). */
  close(): void {
    this.redis.off('ready', this.onReady);
    this.local.close();
  }

  /** Gives each scope invalidated here a new generation in Redis; what Redis cannot take now stays pending. */
  private async share(): Promise<void> {
    for (const scope of [...this.unshared]) {
      const done = await this.gate.run((redis) => redis.set(this.generationKey(scope), newGeneration()));
      if (done === UNAVAILABLE) return;
      this.unshared.delete(scope);
    }
  }

  private generationKey(scope: string): string {
    return `${this.prefix}generation:${scope}`;
  }

  private entryPrefix(): string {
    return `${this.prefix}entry:`;
  }
}

function newGeneration(): string {
  return randomBytes(12).toString('base64url');
}

/** Keys built from client input (a search string) stay short in Redis. */
function entryHash(scope: string, key: string): string {
  return createHash('sha256').update(scope).update('\u0000').update(key).digest('base64url');
}

/**
 * One line of JSON (status, headers), a newline, then the body's bytes as received: no base64, and a JSON
 * body is parsed on the other side exactly as the replica that fetched it parsed it.
 */
function encode(response: UpstreamResponse): Buffer {
  const meta = JSON.stringify({ s: response.status, h: [...response.headers.entries()] });
  return Buffer.concat([Buffer.from(`${meta}\n`, 'utf8'), response.bytes]);
}

function decode(payload: Buffer): UpstreamResponse | undefined {
  const end = payload.indexOf(0x0a);
  if (end < 0) return undefined;
  try {
    const { s, h } = (JSON.parse(payload.subarray(0, end).toString('utf8')) ?? {}) as { s?: unknown; h?: unknown };
    if (typeof s !== 'number' || !Array.isArray(h)) return undefined;
    const headers = HeaderList.of(h as Array<[string, string]>);
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset + end + 1, payload.length - end - 1);
    return { status: s, headers, body: parseJson(bytes, headers), bytes };
  } catch {
    // Not written by this version of the gateway: a miss, not an error.
    return undefined;
  }
}

/**
 * The response cache a gateway runs with: `given` (default: a new in-memory LRU), with Redis behind it when
 * there is one. A cache that is not the plain LRU is taken as it is.
 */
export function responseCacheFor(given: UpstreamCache | undefined, redis: Redis | undefined, options: SharedResponseCacheOptions = {}): UpstreamCache {
  if (!redis || (given !== undefined && !(given instanceof ResponseCache))) return given ?? new ResponseCache();
  return new SharedResponseCache(redis, given ?? new ResponseCache(), options);
}
