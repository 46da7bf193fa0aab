/**
 * Per-client request limits (CLIENT_REQUESTS_PER_MINUTE): each principal (`key:<name>`, `jwt:<sub>`, or
 * `anonymous`) may make so many requests in each clock minute to the routes that act for it (/graphql, the
 * /files routes). Past that it gets HTTP 429 with `Retry-After` (seconds to the next minute) and no vendor is
 * called. One client over its limit never limits another: each has its own count.
 *
 * Fixed windows (floor(now / window)), because the count is then one integer per client and window, which
 * Redis updates in one atomic script and memory holds in one Map entry. The price is a burst of up to twice
 * the limit across a minute's boundary, which a per-minute limit meant against floods can afford.
 *
 * Counts live in Redis when the gateway has one, so that every replica sees one count per client; in memory
 * otherwise. When Redis fails or is slow, the in-memory count takes over (with a warning): a Redis outage
 * never refuses a request and never crashes the gateway, it only makes the limit per replica for a while.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Principal } from '../domain/access.ts';
import { errorBody } from './error-body.ts';
import { requestIdOf } from './request-id.ts';

/** The default of CLIENT_REQUESTS_PER_MINUTE. */
export const DEFAULT_CLIENT_REQUESTS_PER_MINUTE = 600;

export interface WindowRule {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length, ms. */
  readonly windowMs: number;
}

export type LimitVerdict =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

/** Where the counts live. Both implementations answer the same cases alike (test/server/client-limits.test.ts). */
export interface ClientLimitStore {
  /** Counts one request of `client` in the window holding `now` (epoch ms), and says if it is within the limit. */
  hit(client: string, rule: WindowRule, now: number): Promise<LimitVerdict>;
}

function verdict(count: number, rule: WindowRule, window: number, now: number): LimitVerdict {
  if (count <= rule.limit) return { allowed: true, remaining: rule.limit - count };
  return { allowed: false, retryAfterMs: Math.max(1, (window + 1) * rule.windowMs - now) };
}

export interface MemoryClientLimitStoreOptions {
  /** Clients counted at once; past it the least recently seen is forgotten (and starts afresh). Default 10000. */
  readonly maxClients?: number;
}

export class MemoryClientLimitStore implements ClientLimitStore {
  /** Least recently seen first: every hit moves its client to the end. */
  private readonly counts = new Map<string, { window: number; count: number }>();
  private readonly maxClients: number;

  constructor(options: MemoryClientLimitStoreOptions = {}) {
    const maxClients = options.maxClients ?? 10_000;
    if (!Number.isInteger(maxClients) || maxClients < 1) {
      throw new Error(`expected maxClients to be a whole number of at least 1, got ${String(maxClients)}`);
    }
    this.maxClients = maxClients;
  }

  /** Clients counted now. */
  get size(): number {
    return this.counts.size;
  }

  hit(client: string, rule: WindowRule, now: number): Promise<LimitVerdict> {
    const window = Math.floor(now / rule.windowMs);
    const found = this.counts.get(client);
    const entry = found && found.window === window ? found : { window, count: 0 };
    entry.count += 1;
    this.counts.delete(client);
    this.counts.set(client, entry);
    for (const oldest of this.counts.keys()) {
      if (this.counts.size <= this.maxClients) break;
      this.counts.delete(oldest);
    }
    return Promise.resolve(verdict(entry.count, rule, window, now));
  }
}

/** One atomic step: count the request, and give a new window's key a lifetime just past the window's end. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

export interface RedisClientLimitStoreOptions {
  /** Key prefix, so several gateways can share one Redis. Default `vendor-graph:client-limit:`. */
  readonly prefix?: string;
}

export class RedisClientLimitStore implements ClientLimitStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisClientLimitStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'vendor-graph:client-limit:';
  }

  async hit(client: string, rule: WindowRule, now: number): Promise<LimitVerdict> {
    // Without this a command waits in ioredis's offline queue until the connection is back.
    const status = this.redis.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') throw new Error(`Redis connection is ${status}`);
    const window = Math.floor(now / rule.windowMs);
    const ttlMs = (window + 1) * rule.windowMs - now + 1000;
    const count = Number(await this.redis.eval(HIT_SCRIPT, 1, `${this.prefix}${client}:${window}`, String(ttlMs)));
    if (!Number.isFinite(count)) throw new Error('Redis answered the client-limit script with something other than a count');
    return verdict(count, rule, window, now);
  }
}

export interface FallbackLimitStoreOptions {
  /** How long to wait for the shared store before counting in memory instead, ms. Default 250. */
  readonly timeoutMs?: number;
  /** Least time between two warnings about the shared store, ms. Default 60000. */
  readonly warnEveryMs?: number;
}

/** The shared store while it answers, the in-memory one when it fails or is slow; never an error. */
export class FallbackLimitStore implements ClientLimitStore {
  private lastWarnedAt = Number.NEGATIVE_INFINITY;
  private readonly timeoutMs: number;
  private readonly warnEveryMs: number;

  constructor(
    private readonly shared: ClientLimitStore,
    private readonly local: ClientLimitStore,
    private readonly logger: Logger,
    options: FallbackLimitStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 250;
    this.warnEveryMs = options.warnEveryMs ?? 60_000;
  }

  async hit(client: string, rule: WindowRule, now: number): Promise<LimitVerdict> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.shared.hit(client, rule, now), late]);
    } catch (error) {
      if (Date.now() - this.lastWarnedAt >= this.warnEveryMs) {
        this.lastWarnedAt = Date.now();
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn({ reason }, 'per-client request limits: Redis failed, counting in this process until it is back');
      }
      return this.local.hit(client, rule, now);
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface ClientLimitOptions {
  /** Requests per minute per client. Default 600. */
  readonly requestsPerMinute?: number;
  /** Shared counts between replicas. Default: in memory. */
  readonly redis?: Redis;
  /** The in-memory store (also Redis's stand-in while it is down). Default: 10,000 clients at most. */
  readonly memory?: MemoryClientLimitStore;
  readonly logger: Logger;
  /** The caller, as the rest of the request sees it; a rejection (bad credentials) is left to the route. */
  readonly principalFor: (req: IncomingMessage) => Promise<Principal>;
  /** Epoch ms. Default Date.now. */
  readonly now?: () => number;
}

/**
 * The check the HTTP server runs before a route that acts for a client. Resolves true to go on; false once
 * it has answered 429 itself.
 */
export function clientLimitGate(options: ClientLimitOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const limit = options.requestsPerMinute ?? DEFAULT_CLIENT_REQUESTS_PER_MINUTE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`expected clientRequestsPerMinute to be a whole number of at least 1, got ${String(limit)}`);
  }
  const rule: WindowRule = { limit, windowMs: 60_000 };
  const memory = options.memory ?? new MemoryClientLimitStore();
  const store = options.redis ? new FallbackLimitStore(new RedisClientLimitStore(options.redis), memory, options.logger) : memory;
  const now = options.now ?? Date.now;

  return async (req, res) => {
    // A CORS preflight carries no credentials and does no work: it is not a request to count.
    if (req.method === 'OPTIONS') return true;
    let client: string;
    try {
      client = (await options.principalFor(req)).id;
    } catch {
      return true; // no principal: the route answers 401 itself
    }
    const answer = await store.hit(client, rule, now());
    if (answer.allowed) return true;
    const retryAfter = Math.ceil(answer.retryAfterMs / 1000);
    const requestId = requestIdOf(req);
    options.logger.debug({ client, retryAfter, requestId }, 'client over its request limit');
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
    res.end(JSON.stringify(errorBody(`too many requests: at most ${limit} a minute per client; try again in ${retryAfter} s`, { code: 'RATE_LIMITED', retryAfter }, requestId)));
    return false;
  };
}
