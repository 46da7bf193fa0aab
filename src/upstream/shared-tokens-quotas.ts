/**
 * OAuth tokens and long-period quotas shared through Redis, as the gateway builds them when it is given a
 * Redis client: each Redis store behind a per-process fallback, so that a Redis outage never fails a call.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { FallbackQuotaStore } from './fallback-quota-store.ts';
import { FallbackTokenStore } from './fallback-token-store.ts';
import { RedisQuotaStore } from './redis-quota-store.ts';
import { RedisTokenStore } from './redis-token-store.ts';

export interface SharedTokensAndQuotas {
  readonly tokens: FallbackTokenStore;
  readonly quotas: FallbackQuotaStore;
}

export interface SharedTokensAndQuotasOptions {
  /** Prefix of every key, so several deployments can share one Redis. Default `vendor-graph:`. */
  readonly prefix?: string;
  /** Where state changes are logged. Default: none. */
  readonly logger?: Logger;
}

export function sharedTokensAndQuotas(redis: Redis, options: SharedTokensAndQuotasOptions = {}): SharedTokensAndQuotas {
  const prefix = options.prefix ?? 'vendor-graph:';
  // Without this a command would wait in ioredis's offline queue (when enabled) instead of falling back.
  const available = () => redis.status === 'ready';
  const logger = options.logger ? { logger: options.logger } : {};
  return {
    tokens: new FallbackTokenStore(new RedisTokenStore(redis, { prefix: `${prefix}token:` }), { available, ...logger }),
    quotas: new FallbackQuotaStore(new RedisQuotaStore(redis, { prefix: `${prefix}quota:` }), { available, ...logger }),
  };
}
