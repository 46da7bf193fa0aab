/**
 * What each vendor turned out to support of the extensions we use beyond its docs (the README's "Beyond the
 * vendor docs"): `users?ids=`, a route to one record, repeated filters. A data source tries an extension while
 * its support is unknown or known good, checks the answer, and on a refusal (400, 404) or an answer that shows
 * it was ignored marks it unsupported; from then on it goes straight to the documented calls. The memory is per
 * process and, with Redis, shared, so one replica's discovery spares the others the failed try.
 *
 * The core never asks which vendor or extension it holds: keys are the vendors' own `vendor` + `extension`.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isProblem, UpstreamError } from './errors.ts';
import { SharedOrLocal } from './shared-or-local.ts';

export type Support = 'supported' | 'unsupported';

/** One verdict as `vendorStatus` shows it: `since` is when this process learnt it (epoch ms). */
export interface LearnedSupport {
  readonly extension: string;
  readonly support: Support;
  readonly since: number;
}

/** Where a replica shares what it learnt. */
export interface SharedCapabilityStore {
  read(key: string): Promise<Support | undefined>;
  write(key: string, support: Support): Promise<void>;
}

export interface CapabilitiesOptions {
  /** Shared with other replicas (Redis); without it the memory is this process's alone. Default none. */
  readonly shared?: SharedCapabilityStore | undefined;
  /** Whether the shared store can be asked now (ioredis: status `ready`). Default always. */
  readonly available?: () => boolean;
  /** Vendor and extension pairs remembered, at most; the oldest is forgotten first. Default 256. */
  readonly maxEntries?: number;
  /** Where each new verdict, and a change of the shared store's state, is logged. Default none. */
  readonly logger?: Logger | undefined;
  /** Epoch ms, for `since`. Default Date.now. */
  readonly now?: () => number;
}

export class Capabilities {
  private readonly known = new Map<string, { readonly support: Support; readonly since: number }>();
  private readonly maxEntries: number;
  private readonly route: SharedOrLocal | undefined;

  constructor(private readonly options: CapabilitiesOptions = {}) {
    this.maxEntries = options.maxEntries ?? 256;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new Error(`expected maxEntries to be a whole number of at least 1, got ${String(options.maxEntries)}`);
    }
    this.route = options.shared
      ? new SharedOrLocal({
          available: options.available ?? (() => true),
          logger: options.logger,
          lost: () => 'shared vendor capabilities unreachable: each replica now finds out for itself',
          back: 'shared vendor capabilities reachable again',
        })
      : undefined;
  }

  /** What is known of `extension` at `vendor`: undefined until a try has shown it. */
  async support(vendor: string, extension: string): Promise<Support | undefined> {
    const key = `${vendor}:${extension}`;
    const local = this.known.get(key)?.support;
    if (local !== undefined || !this.route || !this.options.shared) return local;
    const shared = this.options.shared;
    const found = await this.route.either(
      () => shared.read(key),
      () => Promise.resolve(undefined),
    );
    if (found !== undefined) this.keep(key, found);
    return found;
  }

  /** Records what a try showed, here and (with Redis) for every replica. */
  async remember(vendor: string, extension: string, support: Support): Promise<void> {
    const key = `${vendor}:${extension}`;
    if (this.known.get(key)?.support === support) return;
    this.keep(key, support);
    // Once per vendor, extension and verdict in a process: an operator sees why a vendor now costs more calls.
    if (support === 'unsupported') this.options.logger?.warn({ vendor, extension }, 'vendor extension not supported: using documented calls');
    else this.options.logger?.info({ vendor, extension }, 'vendor extension supported');
    const shared = this.options.shared;
    if (this.route && shared) {
      await this.route.either(
        () => shared.write(key, support),
        () => Promise.resolve(),
      );
    }
  }

  /** Everything this process knows, `vendor:extension` -> support (for status pages and tests). */
  snapshot(): Readonly<Record<string, Support>> {
    return Object.fromEntries([...this.known].map(([key, { support }]) => [key, support]));
  }

  /** What this process knows of `vendor`'s extensions, by name; a shared verdict counts from when it was read. */
  learned(vendor: string): LearnedSupport[] {
    const prefix = `${vendor}:`;
    return [...this.known]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, { support, since }]) => ({ extension: key.slice(prefix.length), support, since }))
      .sort((a, b) => a.extension.localeCompare(b.extension));
  }

  private keep(key: string, support: Support): void {
    this.known.delete(key);
    this.known.set(key, { support, since: (this.options.now ?? Date.now)() });
    // Maps keep insertion order: the first key is the one learnt longest ago.
    while (this.known.size > this.maxEntries) {
      const oldest = this.known.keys().next();
      if (oldest.done) break;
      this.known.delete(oldest.value);
    }
  }
}

export interface RedisCapabilityStoreOptions {
  /** Key prefix, so several gateways can share one Redis. Default `vendor-graph:capability:`. */
  readonly prefix?: string;
  /**
   * How long a verdict is kept in Redis, ms: a vendor may add (or drop) an extension, so replicas started a day
   * later try again. Default 86,400,000 (a day).
   */
  readonly ttlMs?: number;
}

export class RedisCapabilityStore implements SharedCapabilityStore {
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisCapabilityStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'vendor-graph:capability:';
    this.ttlMs = options.ttlMs ?? 86_400_000;
  }

  async read(key: string): Promise<Support | undefined> {
    const value = await this.redis.get(`${this.prefix}${key}`);
    return value === 'supported' || value === 'unsupported' ? value : undefined;
  }

  async write(key: string, support: Support): Promise<void> {
    await this.redis.set(`${this.prefix}${key}`, support, 'PX', this.ttlMs);
  }
}

/** The memory as the gateway builds it when given a Redis client. */
export function sharedCapabilities(redis: Redis, options: { readonly prefix?: string; readonly logger?: Logger } = {}): Capabilities {
  return new Capabilities({
    shared: new RedisCapabilityStore(redis, { prefix: `${options.prefix ?? 'vendor-graph:'}capability:` }),
    // Without this a command would wait in ioredis's offline queue (when enabled) instead of falling back.
    available: () => redis.status === 'ready',
    logger: options.logger,
  });
}

/**
 * Whether a failed call is the vendor refusing the extension itself: a 400 (an unknown parameter refused) or a
 * 404 (no such route). Anything else (429, 5xx, a timeout) says nothing about support.
 */
export function refusedExtension(error: unknown): boolean {
  return isProblem(error, 'bad_request') || isProblem(error, 'not_found');
}

/**
 * The answer when a vendor turned out not to support an extension a request cannot do without (a filter with no
 * documented equivalent): final, since only the vendor can change it. Becomes VENDOR_UNSUPPORTED for clients.
 */
export function unsupportedExtension(vendor: string, extension: string, message: string): UpstreamError {
  return new UpstreamError(vendor, { kind: 'unsupported', extension }, message, undefined, true);
}
