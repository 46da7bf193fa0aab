/**
 * Where long-period quota counts live (CareCloud's calls per calendar month). In memory by default (one
 * process, lost on restart); a shared store (Redis) keeps one count per key and period for every replica and
 * across restarts. The vendor-specific policy (which calls count, when a period turns) stays with the vendor.
 */
import { systemClock, type Clock } from './clock.ts';

export interface QuotaCount {
  /** Calls counted in the period so far. */
  readonly used: number;
  /** Whether the vendor refused a call for want of quota in the period. */
  readonly refused: boolean;
}

/** One period a quota counts over. */
export interface QuotaPeriod {
  /** Names the period, e.g. `2026-03`. */
  readonly id: string;
  /** Epoch ms after which its count may be dropped: past the period's end. */
  readonly keepUntil: number;
}

export interface QuotaStore {
  /** Adds `calls` to `key`'s count for `period`; resolves the new count. */
  add(key: string, period: QuotaPeriod, calls: number): Promise<QuotaCount>;
  /** Marks `key`'s `period` as refused by the vendor. */
  refuse(key: string, period: QuotaPeriod): Promise<void>;
  read(key: string, period: QuotaPeriod): Promise<QuotaCount>;
}

export interface MemoryQuotaStoreOptions {
  /** Key and period pairs kept at most; the least recently changed is dropped first. Default 1000. */
  readonly maxEntries?: number;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

interface Entry {
  used: number;
  refused: boolean;
  keepUntil: number;
}

const NOTHING: QuotaCount = Object.freeze({ used: 0, refused: false });

export class MemoryQuotaStore implements QuotaStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly clock: Clock;

  constructor(options: MemoryQuotaStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new Error(`expected maxEntries to be an integer >= 1, got ${String(options.maxEntries)}`);
    }
    this.clock = options.clock ?? systemClock;
  }

  /** Pairs held now, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  add(key: string, period: QuotaPeriod, calls: number): Promise<QuotaCount> {
    const entry = this.entry(key, period);
    entry.used += calls;
    return Promise.resolve(countOf(entry));
  }

  refuse(key: string, period: QuotaPeriod): Promise<void> {
    this.entry(key, period).refused = true;
    return Promise.resolve();
  }

  read(key: string, period: QuotaPeriod): Promise<QuotaCount> {
    const entry = this.live(`${key}\0${period.id}`);
    return Promise.resolve(entry ? countOf(entry) : NOTHING);
  }

  /** Raises `key`'s count for `period` to at least `count`: how a fallback keeps up with the shared store. */
  raise(key: string, period: QuotaPeriod, count: QuotaCount): void {
    const entry = this.entry(key, period);
    entry.used = Math.max(entry.used, count.used);
    entry.refused ||= count.refused;
  }

  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.keepUntil <= this.clock.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  private entry(key: string, period: QuotaPeriod): Entry {
    const id = `${key}\0${period.id}`;
    const entry = this.live(id) ?? { used: 0, refused: false, keepUntil: period.keepUntil };
    entry.keepUntil = Math.max(entry.keepUntil, period.keepUntil);
    this.entries.delete(id);
    this.entries.set(id, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return entry;
  }
}

function countOf(entry: Entry): QuotaCount {
  return { used: entry.used, refused: entry.refused };
}
