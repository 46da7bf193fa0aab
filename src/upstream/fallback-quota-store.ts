/**
 * A shared quota store (Redis) that never fails a call: when the shared store does not answer, this process
 * counts on from the last shared count it saw, and owes the calls it counted meanwhile; when the shared
 * store answers again they are added there first, so a Redis outage loses none of the vendor's count. A
 * change of state is logged once, not once per call.
 */
import type { Logger } from 'pino';
import { MemoryQuotaStore, type QuotaCount, type QuotaPeriod, type QuotaStore } from './quota-store.ts';
import { SharedOrLocal } from './shared-or-local.ts';

export interface FallbackQuotaStoreOptions {
  /** Whether the shared store can be asked now (ioredis: status `ready`); false goes straight to the local one. */
  readonly available: () => boolean;
  /** The per-process stand-in, kept level with the shared counts it sees. Default: a MemoryQuotaStore. */
  readonly local?: MemoryQuotaStore;
  /** Key and period pairs with calls owed to the shared store, at most; the oldest is dropped first. Default 100. */
  readonly maxOwed?: number;
  /** Where state changes are logged. Default: none. */
  readonly logger?: Logger;
}

interface Owed {
  readonly key: string;
  period: QuotaPeriod;
  calls: number;
  refused: boolean;
}

export class FallbackQuotaStore implements QuotaStore {
  private readonly local: MemoryQuotaStore;
  private readonly owed = new Map<string, Owed>();
  private readonly maxOwed: number;
  private readonly route: SharedOrLocal;

  constructor(
    private readonly shared: QuotaStore,
    private readonly options: FallbackQuotaStoreOptions,
  ) {
    this.local = options.local ?? new MemoryQuotaStore();
    this.maxOwed = options.maxOwed ?? 100;
    this.route = new SharedOrLocal({
      available: options.available,
      logger: options.logger,
      lost: () => 'shared quota counts unreachable: each replica now counts on from the last count it saw',
      back: 'shared quota counts reachable again',
    });
  }

  /** Whether quotas are counted in this process now. */
  get usingFallback(): boolean {
    return this.route.usingFallback;
  }

  /** Key and period pairs whose calls the shared store has yet to hear of. */
  get owedPairs(): number {
    return this.owed.size;
  }

  add(key: string, period: QuotaPeriod, calls: number): Promise<QuotaCount> {
    return this.either(
      async () => this.level(key, period, await this.shared.add(key, period, calls)),
      () => {
        this.owe(key, period).calls += calls;
        return this.local.add(key, period, calls);
      },
    );
  }

  refuse(key: string, period: QuotaPeriod): Promise<void> {
    return this.either(
      async () => {
        await this.shared.refuse(key, period);
        await this.local.refuse(key, period);
      },
      () => {
        this.owe(key, period).refused = true;
        return this.local.refuse(key, period);
      },
    );
  }

  read(key: string, period: QuotaPeriod): Promise<QuotaCount> {
    return this.either(
      async () => this.level(key, period, await this.shared.read(key, period)),
      () => this.local.read(key, period),
    );
  }

  /** The shared count, once the local one stands at least as high (so an outage starts from it). */
  private level(key: string, period: QuotaPeriod, count: QuotaCount): QuotaCount {
    this.local.raise(key, period, count);
    return count;
  }

  private owe(key: string, period: QuotaPeriod): Owed {
    const id = `${key}\0${period.id}`;
    const owed = this.owed.get(id) ?? { key, period, calls: 0, refused: false };
    if (period.keepUntil > owed.period.keepUntil) owed.period = period;
    this.owed.delete(id);
    this.owed.set(id, owed);
    for (const oldest of this.owed.keys()) {
      if (this.owed.size <= this.maxOwed) break;
      this.owed.delete(oldest);
    }
    return owed;
  }

  /** Pays what the outage owed to the shared store; each part is forgotten once paid, so none is paid twice. */
  private async settle(): Promise<void> {
    for (const [id, owed] of this.owed) {
      if (owed.calls > 0) await this.shared.add(owed.key, owed.period, owed.calls);
      owed.calls = 0;
      if (owed.refused) await this.shared.refuse(owed.key, owed.period);
      this.owed.delete(id);
    }
  }

  /** The shared store first settles what it is owed from an outage, so no call counted meanwhile is lost. */
  private either<R>(shared: () => Promise<R>, local: () => Promise<R>): Promise<R> {
    return this.route.either(async () => {
      if (this.owed.size > 0) await this.settle();
      return shared();
    }, local);
  }

}
