/**
 * A shared token store (Redis) that never fails a call: when the shared store does not answer, each process
 * keeps and locks tokens by itself (one token request per process and expiry instead of one in all), and goes
 * back to sharing as soon as it answers again, with no restart. A change of state is logged once, not once per
 * call. Every token this process writes is kept locally too, so an outage starts with the token it had.
 */
import type { Logger } from 'pino';
import type { TokenSlot } from './token-crypto.ts';
import { SharedOrLocal } from './shared-or-local.ts';
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
  private readonly route: SharedOrLocal;

  constructor(
    private readonly shared: TokenStore,
    private readonly options: FallbackTokenStoreOptions,
  ) {
    this.local = options.local ?? new MemoryTokenStore();
    this.route = new SharedOrLocal({
      available: options.available,
      logger: options.logger,
      lost: () => 'shared OAuth tokens unreachable: each replica now asks for and keeps its own',
      back: 'shared OAuth tokens reachable again',
    });
  }

  /** Whether tokens are kept per process now. */
  get usingFallback(): boolean {
    return this.route.usingFallback;
  }

  read(slot: TokenSlot): Promise<StoredToken | undefined> {
    return this.route.either(
      () => this.shared.read(slot),
      () => this.local.read(slot),
    );
  }

  async write(slot: TokenSlot, token: StoredToken): Promise<void> {
    await this.local.write(slot, token);
    await this.route.either(
      () => this.shared.write(slot, token),
      () => Promise.resolve(),
    );
  }

  async invalidate(slot: TokenSlot, value: string): Promise<boolean> {
    const here = await this.local.invalidate(slot, value);
    const there = await this.route.either(
      () => this.shared.invalidate(slot, value),
      () => Promise.resolve(false),
    );
    return here || there;
  }

  lock(slot: TokenSlot, ttlMs: number): Promise<TokenLock | undefined> {
    return this.route.either(
      () => this.shared.lock(slot, ttlMs),
      () => this.local.lock(slot, ttlMs),
    );
  }


}
