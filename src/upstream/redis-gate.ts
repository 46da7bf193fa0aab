/**
 * How the stores that have a local stand-in (response cache, APQ, webhook ids) ask Redis: never while the
 * connection is down (ioredis's status says so at once), never longer than a short timeout, and not again for
 * a moment after a failure, so a Redis outage costs a request no waiting. A change of state is logged once,
 * not once per call.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisGateOptions {
  /** What the log lines name, e.g. `response cache`. */
  readonly name: string;
  readonly logger?: Logger | undefined;
  /** Longest wait for one answer before the local store answers instead, ms. Default 250. */
  readonly timeoutMs?: number | undefined;
  /** After a failure, how long the local store answers alone before Redis is asked again, ms. Default 1000. */
  readonly retryAfterMs?: number | undefined;
  /** Told when Redis answers again after a failure (to replay what it missed). Must not throw. */
  readonly onRecovered?: (() => void) | undefined;
}

/** What `run` resolves with when Redis was not asked or did not answer in time. */
export const UNAVAILABLE: unique symbol = Symbol('redis unavailable');

export class RedisGate {
  private degraded = false;
  private retryAt = 0;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;

  constructor(
    readonly redis: Redis,
    private readonly options: RedisGateOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 250;
    this.retryAfterMs = options.retryAfterMs ?? 1000;
    for (const [name, value] of Object.entries({ timeoutMs: this.timeoutMs, retryAfterMs: this.retryAfterMs })) {
      if (!Number.isInteger(value) || value < 0) throw new Error(`expected ${name} to be a whole number >= 0, got ${String(value)}`);
    }
  }

  /** Whether the local store is answering alone now. */
  get usingFallback(): boolean {
    return this.degraded;
  }

  /** Whether `run` would ask Redis now. */
  get available(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.retryAt;
  }

  /** `op`'s answer, or UNAVAILABLE; never rejects. */
  async run<T>(op: (redis: Redis) => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    if (this.redis.status !== 'ready') {
      this.fail(new Error(`Redis connection is ${this.redis.status}`), false);
      return UNAVAILABLE;
    }
    if (Date.now() < this.retryAt) return UNAVAILABLE;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis gave no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const answer = await Promise.race([op(this.redis), late]);
      this.recover();
      return answer;
    } catch (error) {
      this.fail(error, true);
      return UNAVAILABLE;
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(error: unknown, coolDown: boolean): void {
    // A disconnected client is known at once, so only an answer that failed or came late needs a pause.
    if (coolDown) this.retryAt = Date.now() + this.retryAfterMs;
    if (this.degraded) return;
    this.degraded = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger?.warn({ reason }, `${this.options.name}: Redis unreachable, this replica answers from its own memory until it is back`);
  }

  private recover(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.retryAt = 0;
    this.options.logger?.info(`${this.options.name}: Redis reachable again, shared with the other replicas`);
    this.options.onRecovered?.();
  }
}
