/**
 * The webhook deliveries already handled, by `webhook-id`, so that a redelivery (the sender did not see our
 * 204) is acknowledged and not acted on again: in memory, or in Redis so that a redelivery to another replica
 * is recognised too. Claiming is one atomic step (SET NX in Redis), so two replicas receiving the same
 * delivery at once act on it once between them.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisGate, UNAVAILABLE } from '../upstream/redis-gate.ts';

export interface DeliveryIds {
  /** Records `id` as handled for `rememberMs` from `now`; false when it already was (a redelivery). */
  claim(id: string, now: number, rememberMs: number): Promise<boolean>;
}

export interface MemoryDeliveryIdsOptions {
  /** Most ids remembered at once; past it the oldest are forgotten first. Default 10000. */
  readonly maxRemembered?: number;
}

export class MemoryDeliveryIds implements DeliveryIds {
  /** webhook-id -> when it may be forgotten (epoch ms). Insertion order is arrival order: oldest first. */
  private readonly handled = new Map<string, number>();
  private readonly maxRemembered: number;

  constructor(options: MemoryDeliveryIdsOptions = {}) {
    this.maxRemembered = options.maxRemembered ?? 10_000;
    if (!Number.isInteger(this.maxRemembered) || this.maxRemembered < 1) {
      throw new Error(`expected maxRemembered to be a whole number >= 1, got ${String(this.maxRemembered)}`);
    }
  }

  /** Ids remembered now. */
  get size(): number {
    return this.handled.size;
  }

  claim(id: string, now: number, rememberMs: number): Promise<boolean> {
    this.forgetExpired(now);
    if (this.handled.has(id)) return Promise.resolve(false);
    this.remember(id, now + rememberMs);
    return Promise.resolve(true);
  }

  /** Records `id` without asking (what the shared store already claimed), so a Redis outage later still knows it. */
  remember(id: string, until: number): void {
    this.handled.delete(id);
    while (this.handled.size >= this.maxRemembered) {
      const oldest = this.handled.keys().next();
      if (oldest.done) break;
      this.handled.delete(oldest.value);
    }
    this.handled.set(id, until);
  }

  private forgetExpired(now: number): void {
    for (const [id, until] of this.handled) {
      if (until > now) break;
      this.handled.delete(id);
    }
  }
}

export interface RedisDeliveryIdsOptions {
  /** Key prefix. Default `vendor-graph:webhook:`. */
  readonly prefix?: string;
}

export class RedisDeliveryIds implements DeliveryIds {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisDeliveryIdsOptions = {},
  ) {
    this.prefix = options.prefix ?? 'vendor-graph:webhook:';
  }

  async claim(id: string, _now: number, rememberMs: number): Promise<boolean> {
    const answer = await this.redis.set(this.key(id), '1', 'PX', Math.max(1, rememberMs), 'NX');
    return answer === 'OK';
  }

  private key(id: string): string {
    // Ids are verified, so they are the vendor's; a long one is still hashed to keep keys short.
    return this.prefix + (id.length <= 128 ? id : createHash('sha256').update(id).digest('base64url'));
  }
}

export interface SharedDeliveryIdsOptions extends RedisDeliveryIdsOptions, MemoryDeliveryIdsOptions {
  readonly logger?: Logger;
  /** Longest wait for Redis before the in-memory ids answer instead, ms. Default 250. */
  readonly timeoutMs?: number;
}

/**
 * Redis while it answers, this replica's memory when it does not: a Redis outage never refuses a delivery, it
 * only makes de-duplication per replica for a while. Every id claimed in Redis is also remembered here, so a
 * redelivery to this replica during an outage is still recognised.
 */
export class SharedDeliveryIds implements DeliveryIds {
  private readonly gate: RedisGate;
  private readonly shared: RedisDeliveryIds;
  readonly memory: MemoryDeliveryIds;

  constructor(redis: Redis, options: SharedDeliveryIdsOptions = {}) {
    this.gate = new RedisGate(redis, { name: 'webhook de-duplication', logger: options.logger, timeoutMs: options.timeoutMs });
    this.shared = new RedisDeliveryIds(redis, options);
    this.memory = new MemoryDeliveryIds(options);
  }

  get usingFallback(): boolean {
    return this.gate.usingFallback;
  }

  async claim(id: string, now: number, rememberMs: number): Promise<boolean> {
    const claimed = await this.gate.run(() => this.shared.claim(id, now, rememberMs));
    if (claimed === UNAVAILABLE) return this.memory.claim(id, now, rememberMs);
    this.memory.remember(id, now + rememberMs);
    return claimed;
  }
}
