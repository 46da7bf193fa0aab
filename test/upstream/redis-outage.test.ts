/**
 * Redis goes away mid-load and comes back: two gateway replicas sharing one CareHQ budget through a Redis the
 * test runs on its own port keep serving (no crash, under 1% failed requests), and once Redis is back their
 * calls together stay within the vendor's limit again.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startGateway, type Gateway } from '../../src/server/gateway.ts';
import { simulatedVendors, vendorOptions } from '../../src/server/vendor-options.ts';
import { startDemoSimulators, type DemoSimulators } from '../../src/simulators/demo.ts';
import { REDIS_FAIL_FAST, sharedBudgets, type SharedBudgets } from '../../src/upstream/shared-budgets.ts';
import { gql } from '../helpers/graphql.ts';
import { freePort, startRedisServer, stopRedisServer } from '../helpers/redis.ts';

const LIMIT = 20;
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});




/** Calls the simulator saw in each of its one-second windows (epoch-aligned, as CareHQ counts) within [from, to). */
function perWindow(log: ReadonlyArray<{ at: number; path: string }>, from: number, to: number): number[] {
  const counts: number[] = [];
  for (let start = Math.ceil(from / 1000) * 1000; start + 1000 <= to; start += 1000) {
    counts.push(log.filter((entry) => entry.path.startsWith('care-enquiries') && entry.at >= start && entry.at < start + 1000).length);
  }
  return counts;
}

describe('a Redis outage', () => {
  it('costs no replica and under 1% of requests, and the shared limit holds again once Redis is back', async () => {
    const port = await freePort();
    let redisServer = await startRedisServer(port);
    cleanups.push(() => stopRedisServer(redisServer));

    const config = loadConfig({ CACHE_TTL_MS: '0' });
    const sims: DemoSimulators = await startDemoSimulators(simulatedVendors(config), { carehq: { perSecond: LIMIT } });
    cleanups.push(() => sims.close());
    const options = vendorOptions(config, sims);
    const replicas: Array<{ gateway: Gateway; budgets: SharedBudgets }> = [];
    for (let i = 0; i < 2; i += 1) {
      const redis = new Redis({ port, ...REDIS_FAIL_FAST, retryStrategy: () => 100 });
      redis.on('error', () => undefined);
      cleanups.push(() => redis.disconnect());
      const budgets = await sharedBudgets(redis, { replicas: { key: `test:replicas:${port}`, intervalMs: 200, ttlMs: 1000 } });
      cleanups.push(() => budgets.stop());
      const gateway = await startGateway({
        port: 0,
        host: '127.0.0.1',
        logger: pino({ level: 'silent' }),
        requestTimeoutMs: 20_000,
        core: { store: budgets.store },
        redis,
        ...options,
        carehq: { ...options.carehq, requestsPerSecond: LIMIT },
      });
      cleanups.push(() => gateway.close());
      replicas.push({ gateway, budgets });
    }
    // Each learns of the other at its next heartbeat.
    for (let i = 0; i < 60 && replicas.some((r) => r.budgets.replicas.alive !== 2); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(replicas.map((r) => r.budgets.replicas.alive)).toEqual([2, 2]);

    const results: Array<{ ok: boolean; at: number }> = [];
    const started = Date.now();
    let stop = false;
    let n = 0;
    const worker = async (url: string) => {
      while (!stop) {
        n += 1;
        // Distinct page sizes and offsets: no two requests share one vendor call.
        const answer = await gql<{ enquiries: { nodes: unknown[] } }>(url, `{ enquiries(first: ${1 + (n % 50)}, filter: { search: "${n % 7}" }) { nodes { id } } }`).catch(() => undefined);
        results.push({ ok: !!answer?.data?.enquiries && !answer.errors, at: Date.now() });
      }
    };
    const load = replicas.flatMap(({ gateway }) => Array.from({ length: 4 }, () => worker(gateway.url)));

    await new Promise((resolve) => setTimeout(resolve, 1500));
    await stopRedisServer(redisServer);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(replicas.every((r) => r.budgets.store.usingFallback)).toBe(true);
    redisServer = await startRedisServer(port);
    const restarted = Date.now();
    // Each replica reconnects on its own (ioredis retries every 100 ms here), and on a busy machine one can take
    // over a second longer than the other. The one back first keeps to its share for a grace period
    // (fallback-bucket-store.ts), so the limit holds from the restart on, whichever reconnects first; the
    // windows that show work kept flowing are read once both are back.
    for (let i = 0; i < 200 && replicas.some((r) => r.budgets.store.usingFallback); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(replicas.some((r) => r.budgets.store.usingFallback)).toBe(false);
    const back = Date.now();
    // At least two whole vendor windows after the second the replicas get to settle, however long Redis took
    // to start: a fixed sleep left one window, some runs, for the checks below.
    const settled = Math.ceil((back + 1000) / 1000) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(3500, settled + 2500 - Date.now())));
    stop = true;
    await Promise.all(load);

    expect(replicas.some((r) => r.budgets.store.usingFallback)).toBe(false);
    const failed = results.filter((r) => !r.ok).length;
    expect(results.length).toBeGreaterThan(50);
    expect(failed / results.length).toBeLessThan(0.01);
    // Both replicas still answer.
    for (const { gateway } of replicas) expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
    // From a second after Redis restarted, the vendor refuses nothing: its own count of each window
    // (made when a call arrives) never passed the limit. The log's times are taken as answers leave, so a
    // window read from them may be off by a call at its edges, and only shows that work kept near the limit.
    const log = sims.carehq?.log ?? [];
    expect(log.filter((entry) => entry.at >= restarted + 1000 && entry.status === 429)).toHaveLength(0);
    const windows = perWindow(log, back + 1000, Date.now());
    expect(windows.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...windows)).toBeGreaterThan(LIMIT / 2);
    // ... and work kept flowing while Redis was away.
    expect(results.filter((r) => r.ok && r.at > started + 2000 && r.at < back).length).toBeGreaterThan(5);
  }, 60_000);
});
