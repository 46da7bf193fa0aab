/**
 * OAuth tokens and CareCloud's monthly quota shared through Redis (127.0.0.1:6379), end to end: gateways
 * over one set of simulators stand for replicas, each with its own Redis connection as separate processes
 * would have. What they share is counted where the vendor sees it: in the simulators' request logs.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.ts';
import { simulatedVendors, vendorOptions } from '../../src/server/vendor-options.ts';
import { startDemoSimulators, type DemoOptions, type DemoSimulators } from '../../src/simulators/demo.ts';
import { REDIS_FAIL_FAST } from '../../src/upstream/shared-budgets.ts';
import { sharedTokensAndQuotas } from '../../src/upstream/shared-tokens-quotas.ts';
import { gql, gqlData } from '../helpers/graphql.ts';
import { capturingLogger, expectNoSecrets } from '../helpers/secrets.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulators(options: DemoOptions = {}): Promise<{ sims: DemoSimulators; base: ReturnType<typeof vendorOptions> }> {
  const config = loadConfig({ CACHE_TTL_MS: '0' });
  const sims = await startDemoSimulators(simulatedVendors(config), options);
  cleanups.push(() => sims.close());
  return { sims, base: vendorOptions(config, sims) };
}

/**
 * A replica's own connection, with main.ts's options. Connected before use, as a replica behind a readiness
 * probe would be: until then every store falls back to this process alone, by design. The command timeout is
 * longer than main.ts's 1 s: on two busy shared cores a stalled event loop would otherwise fall back too.
 */
async function connect(): Promise<Redis> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, ...REDIS_FAIL_FAST, commandTimeout: 10_000 });
  cleanups.push(async () => redis.disconnect());
  await once(redis, 'ready');
  return redis;
}

/** A connection to a port nothing listens on: every command fails at once, as in an outage. */
function unreachable(): Redis {
  const redis = new Redis({ host: '127.0.0.1', port: 1, ...REDIS_FAIL_FAST, retryStrategy: () => 200 });
  redis.on('error', () => undefined);
  cleanups.push(async () => redis.disconnect());
  return redis;
}

/** One replica: a gateway on its own Redis connection. */
async function replica(base: ReturnType<typeof vendorOptions>, extra: Partial<GatewayOptions> & { logger?: Logger } = {}): Promise<Gateway> {
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    requestTimeoutMs: 15_000,
    ...base,
    ...extra,
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

const tokenCalls = (log: ReadonlyArray<{ method: string; path: string }>, path: string) => log.filter((e) => e.method === 'POST' && e.path === path).length;

/** Every string value and key name under `pattern`, as anyone with access to Redis could read them. */
async function redisContents(redis: Redis, pattern: string): Promise<string[]> {
  const keys = await redis.keys(pattern);
  const values = await Promise.all(keys.map(async (key) => ((await redis.type(key)) === 'string' ? String(await redis.get(key)) : '')));
  return [...keys, ...values];
}

const USERS = '{ users(first: 5, vendors: [CASEWARE, GENERIC]) { nodes { id } } }';

describe('OAuth tokens shared through Redis', () => {
  it('two gateways ask each token endpoint once between them for 20 concurrent queries, and Redis holds no token or secret in clear', async () => {
    const { sims, base } = await simulators();
    const inspector = await connect();
    // Only `redis` is given: the gateway shares tokens through it with no other option.
    const gateways = [await replica(base, { redis: await connect() }), await replica(base, { redis: await connect() })];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => gqlData<{ users: { nodes: unknown[] } }>(gateways[i % 2]!.url, USERS)));
    for (const result of results) expect(result.users.nodes).toHaveLength(5);

    const caseware = sims.caseware!;
    const generic = sims.generic!;
    const perGateway = JSON.stringify(gateways.map((g) => [g.vendors.caseware.tokenRequests, g.vendors.generic.tokenRequests]));
    expect(tokenCalls(caseware.log, 'auth/token'), `caseware, generic token requests per gateway: ${perGateway}`).toBe(1);
    expect(tokenCalls(generic.log, 'oauth/token'), `caseware, generic token requests per gateway: ${perGateway}`).toBe(1);
    // Both gateways called both vendors: the one token each was shared, not just one gateway's.
    for (const gateway of gateways) {
      expect(gateway.vendors.caseware.tokenRequests + gateway.vendors.generic.tokenRequests).toBeLessThanOrEqual(2);
    }
    expect(gateways.map((g) => g.vendors.caseware.tokenRequests).sort()).toEqual([0, 1]);
    expect(gateways.map((g) => g.vendors.generic.tokenRequests).sort()).toEqual([0, 1]);

    const bearers = [...caseware.log, ...generic.log]
      .map((e) => e.headers.authorization)
      .filter((h): h is string => typeof h === 'string' && h.startsWith('Bearer '))
      .map((h) => h.slice('Bearer '.length));
    expect(new Set(bearers).size).toBe(2);
    const stored = await redisContents(inspector, 'vendor-graph:token:*');
    expect(stored.length).toBeGreaterThanOrEqual(2);
    const secrets = [...new Set(bearers), caseware.credentials.clientSecret, caseware.credentials.clientId, generic.credentials.clientSecret, generic.credentials.clientId];
    // Everything the gateways wrote, under the default prefix they were given no other for.
    expectNoSecrets(await redisContents(inspector, 'vendor-graph:*'), secrets);
  });

  it('a gateway whose Redis is unreachable still serves, asks once per token, and says so once', async () => {
    const { sims, base } = await simulators();
    const { logger, lines } = capturingLogger('info');
    const gateway = await replica(base, { redis: unreachable(), logger });
    const results = await Promise.all(Array.from({ length: 10 }, () => gql(gateway.url, USERS)));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(tokenCalls(sims.caseware!.log, 'auth/token')).toBe(1);
    expect(tokenCalls(sims.generic!.log, 'oauth/token')).toBe(1);
    const notices = lines.filter((line) => line.includes('shared OAuth tokens unreachable'));
    expect(notices).toHaveLength(1);
  });
});

describe("CareCloud's monthly quota shared through Redis", () => {
  const FILES = '{ files(first: 5) { totalCount } }';
  const STATUS = '{ vendorStatus { vendor quota { used remaining exhausted } } }';
  const quotaOf = async (url: string) =>
    (await gqlData<{ vendorStatus: Array<{ vendor: string; quota: unknown }> }>(url, STATUS)).vendorStatus.find((v) => v.vendor === 'CARECLOUD')?.quota;

  it('used up through one gateway is refused by another with no vendor call, and by a gateway started afresh', async () => {
    const { sims, base } = await simulators();
    const prefix = `test:${randomUUID()}:`;
    const options = (redis: Redis): Partial<GatewayOptions> => ({
      carecloud: { ...base.carecloud, monthlyQuota: 3 },
      core: sharedTokensAndQuotas(redis, { prefix }),
    });
    const a = await replica(base, options(await connect()));
    const b = await replica(base, options(await connect()));
    const carecloud = sims.carecloud!;

    for (let i = 0; i < 3; i += 1) expect((await gql(a.url, FILES)).errors).toBeUndefined();
    expect(carecloud.log).toHaveLength(3);
    expect(await quotaOf(b.url)).toEqual({ used: 3, remaining: 0, exhausted: true });

    const refused = await gql(b.url, FILES);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUOTA_EXHAUSTED', vendor: 'CARECLOUD' });
    expect(carecloud.log).toHaveLength(3);

    // A restart: both gone, a new gateway on a new connection to the same Redis.
    await b.close();
    await a.close();
    const c = await replica(base, options(await connect()));
    expect((await gql(c.url, FILES)).errors?.[0]?.extensions?.code).toBe('QUOTA_EXHAUSTED');
    expect(carecloud.log).toHaveLength(3);
    expect(await quotaOf(c.url)).toEqual({ used: 3, remaining: 0, exhausted: true });
  });

  it('counts calls through two gateways into one number', async () => {
    const { sims, base } = await simulators();
    const prefix = `test:${randomUUID()}:`;
    const options = (redis: Redis): Partial<GatewayOptions> => ({ core: sharedTokensAndQuotas(redis, { prefix }) });
    const gateways = [await replica(base, options(await connect())), await replica(base, options(await connect()))];
    // One at a time: identical concurrent reads would be answered by one call.
    for (let i = 0; i < 6; i += 1) await gqlData(gateways[i % 2]!.url, FILES);
    expect(sims.carecloud!.log).toHaveLength(6);
    expect(await quotaOf(gateways[0]!.url)).toMatchObject({ used: 6, exhausted: false });
    expect(await quotaOf(gateways[1]!.url)).toMatchObject({ used: 6, exhausted: false });
  });
});
