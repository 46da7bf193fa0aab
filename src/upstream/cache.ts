/**
 * The upstream response cache: a bounded in-memory LRU of parsed, frozen answers.
 *
 * - Bounded by bytes and by entries, so cache keys built from client input (a search string) cannot grow it
 *   past the bound; expired entries are swept on a timer, not only when read again.
 * - One representation per entry: the parsed JSON (frozen, so a reader cannot change what the next reader
 *   gets), or the raw bytes when the body is not JSON. A hit costs a map lookup: no serialisation, no copy.
 * - Entries are grouped by scope (one vendor credential's budget key), and invalidating a scope deletes its
 *   entries rather than orphaning them.
 *
 * With Redis, shared-response-cache.ts keeps this LRU in front and Redis behind it; the client pipeline sees
 * either through `UpstreamCache`.
 */
import { LRUCache } from 'lru-cache';
import type { UpstreamResponse } from './request.ts';
import { HeaderList } from './response-headers.ts';

/** What a lookup found, and what the answer of a miss must be stored with. */
export interface CacheLookup {
  readonly response: UpstreamResponse | undefined;
  /**
   * The scope's generation when the lookup was made (shared tier), undefined in memory alone. An answer stored
   * with a generation that an invalidation has since replaced is never served.
   */
  readonly generation: string | undefined;
}

/** The response cache as the client pipeline uses it: in memory alone, or in front of Redis. */
export interface UpstreamCache {
  lookup(scope: string, key: string): CacheLookup | Promise<CacheLookup>;
  /** Keeps `response` for `ttlMs`, under the generation its lookup gave. */
  store(scope: string, key: string, response: UpstreamResponse, ttlMs: number, generation: string | undefined): void;
  /** Drops every answer of one scope; resolves once every replica will miss them. Never rejects. */
  invalidate(scope: string): void | Promise<void>;
}

export interface ResponseCacheOptions {
  /** Bytes all entries may hold together. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Entries at most, whatever their size. Default 10,000. */
  readonly maxEntries?: number;
  /** How often expired entries are swept out, ms. Default 30,000. */
  readonly purgeIntervalMs?: number;
}

export const CACHE_DEFAULTS = Object.freeze({ maxBytes: 64 * 1024 * 1024, maxEntries: 10_000, purgeIntervalMs: 30_000 });

interface Entry {
  readonly scope: string;
  readonly response: UpstreamResponse;
  readonly size: number;
  /** The shared tier's generation this answer belongs to; undefined in memory alone or while Redis is away. */
  readonly generation: string | undefined;
}

/**
 * Parsed JSON takes more memory than its text; counting it at twice the bytes received keeps the byte bound
 * honest without walking every object.
 */
const PARSED_JSON_FACTOR = 2;
const EMPTY = new Uint8Array(0);
const MISS: CacheLookup = Object.freeze({ response: undefined, generation: undefined });

export class ResponseCache implements UpstreamCache {
  private readonly lru: LRUCache<string, Entry>;
  private readonly scopes = new Map<string, Set<string>>();
  private readonly purge: ReturnType<typeof setInterval>;

  constructor(options: ResponseCacheOptions = {}) {
    const { maxBytes, maxEntries, purgeIntervalMs } = { ...CACHE_DEFAULTS, ...options };
    for (const [name, value] of Object.entries({ maxBytes, maxEntries, purgeIntervalMs })) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`expected ${name} to be a whole number of at least 1, got ${String(value)}`);
    }
    this.lru = new LRUCache<string, Entry>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.size),
      dispose: (entry, key) => this.forget(entry.scope, key),
    });
    this.purge = setInterval(() => this.lru.purgeStale(), purgeIntervalMs);
    this.purge.unref();
  }

  get(scope: string, key: string): UpstreamResponse | undefined {
    return this.lru.get(`${scope}\u0000${key}`)?.response;
  }

  /** The answer and the generation it was stored under. */
  entry(scope: string, key: string): { readonly response: UpstreamResponse; readonly generation: string | undefined } | undefined {
    return this.lru.get(`${scope}\u0000${key}`);
  }

  lookup(scope: string, key: string): CacheLookup {
    const response = this.lru.get(`${scope}\u0000${key}`)?.response;
    return response ? { response, generation: undefined } : MISS;
  }

  store(scope: string, key: string, response: UpstreamResponse, ttlMs: number, generation: string | undefined): void {
    this.set(scope, key, response, ttlMs, generation);
  }

  /**
   * Keeps `response` for `ttlMs` and answers with the frozen copy kept; an answer larger than the whole cache
   * is not kept (and undefined is returned).
   */
  set(scope: string, key: string, response: UpstreamResponse, ttlMs: number, generation?: string): UpstreamResponse | undefined {
    const entry = toEntry(scope, response, key.length, generation);
    const full = `${scope}\u0000${key}`;
    this.lru.set(full, entry, { ttl: ttlMs });
    if (!this.lru.has(full)) return undefined;
    let keys = this.scopes.get(scope);
    if (!keys) {
      keys = new Set();
      this.scopes.set(scope, keys);
    }
    keys.add(full);
    return entry.response;
  }

  delete(scope: string, key: string): void {
    this.lru.delete(`${scope}\u0000${key}`);
  }

  /** Deletes every answer of one scope (after a write, or a webhook saying the vendor's data changed). */
  invalidate(scope: string): void {
    const keys = this.scopes.get(scope);
    if (!keys) return;
    for (const key of [...keys]) this.lru.delete(key);
    this.scopes.delete(scope);
  }

  get stats(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize };
  }

  /** Stops the sweep timer; the cache still answers. */
  close(): void {
    clearInterval(this.purge);
  }

  private forget(scope: string, key: string): void {
    const keys = this.scopes.get(scope);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.scopes.delete(scope);
  }
}

function toEntry(scope: string, response: UpstreamResponse, keyLength: number, generation: string | undefined): Entry {
  const headers = [...response.headers.entries()];
  const headerBytes = headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  const json = response.body !== undefined;
  const frozenHeaders = HeaderList.of(headers);
  const body = json ? deepFreeze(response.body) : undefined;
  const bytes = json ? undefined : response.bytes;
  let encoded: Uint8Array | undefined;
  const cached: UpstreamResponse = Object.freeze({
    status: response.status,
    headers: frozenHeaders,
    body,
    // A JSON answer keeps only its parsed form; the rare reader of its bytes gets them re-encoded.
    get bytes(): Uint8Array {
      if (bytes) return bytes;
      encoded ??= json ? new TextEncoder().encode(JSON.stringify(body)) : EMPTY;
      return encoded;
    },
  });
  const bodySize = json ? response.bytes.length * PARSED_JSON_FACTOR : response.bytes.length;
  return { scope, response: cached, size: bodySize + headerBytes + keyLength, generation };
}

/** Strings longer than this are rarely repeated values (ids, codes, enum-like words), and cost more to hash. */
const SHARED_STRING_MAX = 64;

/**
 * Freezes `value` and everything in it. Short strings repeated in it are kept once: JSON.parse makes a new
 * string for every value, so a page of 100 records held 100 copies of the same status, service and location
 * id for as long as it stayed cached (1 MiB over a walk of 10,000 enquiries).
 */
function deepFreeze<T>(value: T, strings: Map<string, string> = new Map()): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (typeof child === 'string') {
      if (child.length > SHARED_STRING_MAX) continue;
      const shared = strings.get(child);
      if (shared === undefined) strings.set(child, child);
      else record[key] = shared;
    } else deepFreeze(child, strings);
  }
  return Object.freeze(value);
}
