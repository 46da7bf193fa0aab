/**
 * Two gateway replicas over one set of simulators and one Redis act as one: a write through one is seen by a
 * read through the other at once (with answers cached for ten minutes), a query registered by hash through
 * one runs by hash through the other, and a webhook redelivered to the other is not acted on twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Gateway } from '../../src/server/gateway.ts';
import { simulatedVendors } from '../../src/server/vendor-options.ts';
import { startDemoSimulators, type DemoSimulators } from '../../src/simulators/demo.ts';
import { signWebhook } from '../../src/simulators/generic/webhooks.ts';
import { callsTo, startReplica } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';
import { failFastClient, ready, uniquePrefix } from '../helpers/redis.ts';

const TEN_MINUTES = 600_000;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Replicas {
  readonly sims: DemoSimulators;
  readonly a: Gateway;
  readonly b: Gateway;
  /** Signs webhook deliveries as the Generic API does, with the secret both replicas accept. */
  readonly key: Buffer;
}

async function twoReplicas(): Promise<Replicas> {
  const config = loadConfig({ CACHE_TTL_MS: String(TEN_MINUTES) });
  const sims = await startDemoSimulators(simulatedVendors(config));
  cleanups.push(() => sims.close());
  const key = randomBytes(24);
  const redisPrefix = uniquePrefix();
  const start = async () => {
    const redis = failFastClient();
    cleanups.push(() => redis.disconnect());
    await ready(redis);
    const gateway = await startReplica(config, sims, { redis, redisPrefix, genericWebhooks: { secrets: [`whsec_${key.toString('base64')}`] } });
    cleanups.push(() => gateway.close());
    return gateway;
  };
  return { sims, a: await start(), b: await start(), key };
}

const LIST = '{ users(first: 100, vendors: [GENERIC]) { nodes { email } } }';

async function listed(gateway: Gateway): Promise<string[]> {
  const data = await gqlData<{ users: { nodes: Array<{ email: string }> } }>(gateway.url, LIST);
  return data.users.nodes.map((node) => node.email);
}

function userReads(sims: DemoSimulators): number {
  return callsTo(sims.generic?.log ?? [], 'users');
}

function deliver(gateway: Gateway, key: Buffer, id: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: { email: 'someone@example.org' } });
  return fetch(new URL('/webhooks/generic', gateway.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(key, id, timestamp, body),
    },
    body,
  });
}

async function post(gateway: Gateway, body: unknown): Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

describe('two replicas sharing one Redis', () => {
  it('share cached answers, and a write through one is seen by a read through the other at once', async () => {
    const { sims, a, b } = await twoReplicas();
    const before = await listed(b);
    const reads = userReads(sims);
    // Cached for ten minutes, and shared: neither replica asks the vendor again.
    expect(await listed(b)).toEqual(before);
    expect(await listed(a)).toEqual(before);
    expect(userReads(sims)).toBe(reads);

    const created = await gql<{ createUsers: { createdCount: number } }>(
      a.url,
      'mutation($input: [CreateUserInput!]!) { createUsers(input: $input) { createdCount } }',
      { input: [{ email: 'shared.cache@example.org', firstName: 'Shared', lastName: 'Cache' }] },
    );
    expect(created.data?.createUsers.createdCount).toBe(1);

    expect(await listed(b)).toContain('shared.cache@example.org');
    expect(before).not.toContain('shared.cache@example.org');
    expect(userReads(sims)).toBe(reads + 1);
    expect(await listed(a)).toContain('shared.cache@example.org');
    expect(userReads(sims)).toBe(reads + 1);
  });

  it('run by hash through one replica a query registered through the other', async () => {
    const { a, b } = await twoReplicas();
    const query = '{ users(first: 2, vendors: [GENERIC]) { nodes { email } } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash };

    const unknown = await post(b, { extensions: { persistedQuery } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await post(a, { query, extensions: { persistedQuery } });
    expect(registered.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50)); // Apollo stores the query after answering

    const byHash = await post(b, { extensions: { persistedQuery } });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
  });

  it('answer a webhook redelivered to the other replica with 204 and act on it once', async () => {
    const { sims, a, b, key } = await twoReplicas();
    await listed(b);
    const actedOnByB = vi.spyOn(b.vendors.generic.upstream, 'invalidate');

    expect((await deliver(a, key, 'msg_shared')).status).toBe(204);
    // a's invalidation reached b: b reads the vendor again, once, and caches that.
    const reads = userReads(sims);
    await listed(b);
    await listed(b);
    expect(userReads(sims)).toBe(reads + 1);

    expect((await deliver(b, key, 'msg_shared')).status).toBe(204);
    expect(actedOnByB).not.toHaveBeenCalled();
    await listed(b);
    expect(userReads(sims)).toBe(reads + 1);

    expect((await deliver(b, key, 'msg_new')).status).toBe(204);
    expect(actedOnByB).toHaveBeenCalledTimes(1);
    await listed(b);
    expect(userReads(sims)).toBe(reads + 2);
  });
});
