/**
 * A shared token store (Redis) that never fails a call: when the shared store does not answer, each process
 * keeps and locks tokens by itself (one token request per process and expiry instead of one in all), and goes
 * back to sharing as soon as it answers again, with no restart. A change of state is logged once, not once per
 * call. Every token this process writes is kept locally too, so an outage starts with the token it had.
 */
import type { Logger } from 'pino';
import type { TokenSlot } from './token-crypto.ts';
import { MemoryTokenStore, type StoredToken, type TokenLock, type TokenStore } from './token-store.ts';

export interface FallbackTokenStoreOptions {
  /** Whether the shared store can be asked now (ioredis: status `ready`); false goes straight to the local one. */
  readonly available: () => boolean;
  /** The per-process stand-in. Default: a MemoryTokenStore with its defaults. */
  readonly local?: MemoryTokenStore;
  /** Where state changes are logged. Default: none. */
  readonly logger?: Logger;
}

export class FallbackTokenStore implements TokenStore {
  private readonly local: MemoryTokenStore;
  private degraded = false;

  constructor(
    private readonly shared: TokenStore,
    private readonly options: FallbackTokenStoreOptions,
  ) {
    this.local = options.local ?? new MemoryTokenStore();
  }

  /** Whether tokens are kept per process now. */
  get usingFallback(): boolean {
    return this.degraded;
  }

  read(slot: TokenSlot): Promise<StoredToken | undefined> {
    return this.either(
      () => this.shared.read(slot),
      () => this.local.read(slot),
    );
  }

  async write(slot: TokenSlot, token: StoredToken): Promise<void> {
    await this.local.write(slot, token);
    await this.either(
      () => this.shared.write(slot, token),
      () => Promise.resolve(),
    );
  }

  async invalidate(slot: TokenSlot, value: string): Promise<boolean> {
    const here = await this.local.invalidate(slot, value);
    const there = await this.either(
      () => this.shared.invalidate(slot, value),
      () => Promise.resolve(false),
    );
    return here || there;
  }

  lock(slot: TokenSlot, ttlMs: number): Promise<TokenLock | undefined> {
    return this.either(
      () => this.shared.lock(slot, ttlMs),
      () => this.local.lock(slot, ttlMs),
    );
  }

  private async either<R>(shared: () => Promise<R>, local: () => Promise<R>): Promise<R> {
    if (!this.options.available()) {
      this.setDegraded(true, undefined);
      return local();
    }
    try {
      const result = await shared();
      this.setDegraded(false, undefined);
      return result;
    } catch (error) {
      this.setDegraded(true, error);
      return local();
    }
  }

  private setDegraded(degraded: boolean, error: unknown): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) {
      // The message only: an ioredis error can carry the command's arguments, sealed tokens among them.
      const reason = error instanceof Error ? error.message : error === undefined ? 'not connected' : String(error);
      this.options.logger?.warn({ reason }, 'shared OAuth tokens unreachable: each replica now asks for and keeps its own');
    } else {
      this.options.logger?.info('shared OAuth tokens reachable again');
    }
  }
}
