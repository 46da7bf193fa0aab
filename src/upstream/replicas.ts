/**
 * Replicas announce themselves in Redis with a heartbeat, so each knows how many are alive: when Redis goes
 * away, each one falls back to limit ÷ (replicas seen alive last) of every vendor budget, and together they
 * stay within the vendor's limit.
 *
 * One sorted set holds every replica's last beat, scored by Redis's own clock (replicas' clocks may differ);
 * beats older than the TTL are dropped in the same script that counts.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface ReplicaRegistryOptions {
  /** Key of the sorted set. Default `vendor-graph:replicas`. */
  readonly key?: string;
  /** How often this replica beats, ms. Default 5000. */
  readonly intervalMs?: number;
  /** A replica unheard of for this long is gone, ms. Default 15000 (three missed beats). */
  readonly ttlMs?: number;
  /** This replica's id. Default: a random UUID. */
  readonly id?: string;
  readonly logger?: Logger;
}

const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl * 4)
return redis.call('ZCARD', KEYS[1])
`;

export class ReplicaRegistry {
  readonly id: string;
  private readonly key: string;
  private readonly intervalMs: number;
  private readonly ttlMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private seen = 1;
  private reachable = true;

  constructor(
    private readonly redis: Redis,
    private readonly options: ReplicaRegistryOptions = {},
  ) {
    this.id = options.id ?? randomUUID();
    this.key = options.key ?? 'vendor-graph:replicas';
    this.intervalMs = options.intervalMs ?? 5000;
    this.ttlMs = options.ttlMs ?? 15_000;
  }

  /** Replicas alive at the last beat that reached Redis, this one included; 1 until then. */
  get alive(): number {
    return this.seen;
  }

  /** Beats now and then on a timer that does not keep the process alive. */
  async start(): Promise<void> {
    await this.beat();
    this.timer ??= setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops beating and leaves the set, so the others stop counting this replica at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.zrem(this.key, this.id).catch(() => undefined);
  }

  async beat(): Promise<void> {
    try {
      const count = Number(await this.redis.eval(BEAT, 1, this.key, this.id, String(this.ttlMs)));
      this.seen = Math.max(1, count);
      if (!this.reachable) this.options.logger?.info({ replicas: this.seen }, 'replica heartbeat: Redis reachable again');
      this.reachable = true;
    } catch (error) {
      // Keeps the last count: it is what the fallback budgets divide by while Redis is away.
      if (this.reachable) this.options.logger?.warn({ err: error, replicas: this.seen }, 'replica heartbeat: Redis unreachable');
      this.reachable = false;
    }
  }
}
