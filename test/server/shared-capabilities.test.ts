/**
 * Two gateway replicas sharing one Redis, over strict simulators: what one learns about a vendor's missing
 * extension, the other knows without trying it.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startGateway, type Gateway } from '../../src/server/gateway.ts';
import { simulatedVendors, vendorOptions } from '../../src/server/vendor-options.ts';
import { startDemoSimulators } from '../../src/simulators/demo.ts';
import { gqlData } from '../helpers/graphql.ts';
import { failFastClient, ready, uniquePrefix } from '../helpers/redis.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const OWNERS = '{ leads(first: 30) { nodes { vendorId owner { vendorId } } } }';

describe('capabilities shared through Redis', () => {
  it('a replica does not try ids= once another replica found the Generic API ignores it', async () => {
    const config = loadConfig({ CACHE_TTL_MS: '0' });
    const sims = await startDemoSimulators(simulatedVendors(config), { strict: true });
    cleanups.push(() => sims.close());
    const redisPrefix = uniquePrefix();
    const redis = failFastClient();
    cleanups.push(() => redis.disconnect());
    await ready(redis);
    const start = async (): Promise<Gateway> => {
      const gateway = await startGateway({ port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }), requestTimeoutMs: 15_000, redis, redisPrefix, ...vendorOptions(config, sims) });
      cleanups.push(() => gateway.close());
      return gateway;
    };
    const [a, b] = [await start(), await start()];
    const log = sims.generic?.log ?? [];
    const triedIds = (from: number) => log.slice(from).filter((e) => e.path === 'users' && new URLSearchParams(e.query).has('ids')).length;

    const first = await gqlData<{ leads: { nodes: Array<{ vendorId: string; owner: { vendorId: string } | null }> } }>(a.url, OWNERS);
    expect(triedIds(0)).toBeGreaterThan(0);
    expect(await redis.get(`${redisPrefix}capability:generic:users?ids`)).toBe('unsupported');

    const before = log.length;
    const second = await gqlData<typeof first>(b.url, OWNERS);
    expect(second).toEqual(first);
    expect(triedIds(before)).toBe(0);
    // Every owner is the lead's OwnerUserID, whichever way it was found.
    for (const node of second.leads.nodes) expect(node.owner?.vendorId ?? null).toBe(sims.clinicea?.store.leads.get(node.vendorId)?.OwnerUserID ?? null);
  });
});
