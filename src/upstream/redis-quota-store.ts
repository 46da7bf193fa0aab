/**
 * Quota counts in Redis, one counter key per key and period (INCRBY, atomic however many replicas count at
 * once) and one flag key for the vendor's refusal. Both expire at the period's `keepUntil`, which the caller sets past the
 * period's end, so a period's count outlives the period on replicas whose clocks run a little behind and then
 * cleans itself up.
 */
import type { Redis } from 'ioredis';
import type { QuotaCount, QuotaPeriod, QuotaStore } from './quota-store.ts';

export interface RedisQuotaStoreOptions {
  /** Key prefix, so several gateways can share one Redis. Default `vendor-graph:quota:`. */
  readonly prefix?: string;
}

export class RedisQuotaStore implements QuotaStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisQuotaStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'vendor-graph:quota:';
  }

  async add(key: string, period: QuotaPeriod, calls: number): Promise<QuotaCount> {
    const counter = this.counter(key, period);
    const results = await this.redis
      .multi()
      .incrby(counter, calls)
      .pexpireat(counter, Math.ceil(period.keepUntil))
      .get(`${counter}:refused`)
      .exec();
    const [added, , refused] = repliesOf(results);
    return { used: Number(added?.[1]), refused: refused?.[1] === '1' };
  }

  async refuse(key: string, period: QuotaPeriod): Promise<void> {
    const flag = `${this.counter(key, period)}:refused`;
    // SET .. PXAT would need Redis 6.2; a transaction does the same on any version.
    repliesOf(await this.redis.multi().set(flag, '1').pexpireat(flag, Math.ceil(period.keepUntil)).exec());
  }

  async read(key: string, period: QuotaPeriod): Promise<QuotaCount> {
    const counter = this.counter(key, period);
    const [used, refused] = await this.redis.mget(counter, `${counter}:refused`);
    return { used: Number(used ?? 0), refused: refused === '1' };
  }

  private counter(key: string, period: QuotaPeriod): string {
    return `${this.prefix}${key}:${period.id}`;
  }
}

type ExecResult = Array<[error: Error | null, result: unknown]> | null;

/** A transaction's replies, or the first error in it: ioredis resolves a MULTI whose commands failed. */
function repliesOf(results: ExecResult): Array<[error: Error | null, result: unknown]> {
  if (!results) throw new Error('the quota transaction was discarded');
  const error = results.find(([e]) => e !== null)?.[0];
  if (error) throw error;
  return results;
}
