/**
 * The rate budgets replicas share through Redis, as main.ts and the tests build them: the Redis store behind
 * a local fallback, with the replica heartbeat the fallback divides by.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { FallbackBucketStore } from './fallback-bucket-store.ts';
import { RedisBucketStore, type RedisBucketStoreOptions } from './redis-bucket-store.ts';
import { ReplicaRegistry, type ReplicaRegistryOptions } from './replicas.ts';

export interface SharedBudgets {
  readonly store: FallbackBucketStore;
  readonly replicas: ReplicaRegistry;
  /** Leaves the replica set; the store keeps answering (locally) until the process ends. */
  stop(): Promise<void>;
}

export interface SharedBudgetsOptions {
  readonly logger?: Logger;
  readonly budgets?: RedisBucketStoreOptions;
  readonly replicas?: ReplicaRegistryOptions;
  /**
   * How long start-up waits for the connection to Redis, ms. Default 3000. A replica that served before its
   * client connected would count itself alone and spend a whole vendor budget locally, next to replicas
   * already drawing on the shared one; if Redis is still away after this, it serves on local budgets.
   */
  readonly connectWaitMs?: number;
}

export async function sharedBudgets(redis: Redis, options: SharedBudgetsOptions = {}): Promise<SharedBudgets> {
  await connected(redis, options.connectWaitMs ?? 3000);
  const replicas = new ReplicaRegistry(redis, { ...options.replicas, ...(options.logger ? { logger: options.logger } : {}) });
  await replicas.start();
  // The Redis store asks the fallback where a budget Redis lost should resume; the fallback is made just after,
  // and is only asked once calls flow.
  const ref: { fallback?: FallbackBucketStore } = {};
  const shared = new RedisBucketStore(redis, { ...options.budgets, startState: (key) => ref.fallback?.resumeState(key) });
  const store = new FallbackBucketStore(shared, {
    available: () => redis.status === 'ready',
    replicas: () => replicas.alive,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  ref.fallback = store;
  return { store, replicas, stop: () => replicas.stop() };
}

/**
 * ioredis options for state that has a local fallback: fail a command at once while disconnected (no offline
 * queue, one retry) and never wait long on a hung server, so a Redis outage costs the queue nothing.
 */
export const REDIS_FAIL_FAST = Object.freeze({ maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1000 });

/** Resolves once `redis` is ready, or after `waitMs` whatever its state; never rejects. */
function connected(redis: Redis, waitMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    redis.once('ready', done);
  });
}
