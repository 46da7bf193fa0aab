/**
 * `vendorEvents` over graphql-ws on /graphql, end to end: a real websocket to a gateway on the simulators.
 * Events come from the gateway's own writes and from the Generic simulator's signed webhooks, need the entity
 * type's read scope, and cross replicas through Redis.
 */
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.ts';
import { changeEvent } from '../../src/domain/events.ts';
import type { User } from '../../src/domain/user.ts';
import type { Gateway } from '../../src/server/gateway.ts';
import { simulatedVendors } from '../../src/server/vendor-options.ts';
import { startDemoSimulators } from '../../src/simulators/demo.ts';
import type { GenericTokenResponse } from '../../src/vendors/generic/wire.ts';
import type { GenericSimulator } from '../../src/simulators/generic/server.ts';
import { apiKey, issueKey } from '../helpers/auth.ts';
import { stacksPerTest, startReplica } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';
import { failFastClient, freePort, ready, startRedisServer, stopRedisServer, uniquePrefix } from '../helpers/redis.ts';
import { subscribe, untilSubscribed, wsUrl, type Feed } from '../helpers/subscriptions.ts';

const USER_EVENTS = `subscription { vendorEvents(entityType: USER) {
  type vendor entityType source occurredAt entity { id ... on User { email firstName vendor } }
} }`;

interface UserEvent {
  vendorEvents: { type: string; vendor: string; entityType: string; source: string; occurredAt: string; entity: { id: string; email: string; firstName: string; vendor: string } };
}

const CREATE_USERS = `mutation($input: [CreateUserInput!]!) { createUsers(input: $input) { createdCount results { user { id } } } }`;

const ownStack = stacksPerTest();
const feeds: Array<Feed<unknown>> = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.dispose()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function userEvents(url: string, options: Parameters<typeof subscribe>[2] = {}): Feed<UserEvent> {
  const feed = subscribe<UserEvent>(url, USER_EVENTS, options);
  feeds.push(feed as Feed<unknown>);
  return feed;
}

/** Creates a user behind the gateway's back, through the vendor's own HTTP API: the simulator then sends its webhook. */
async function createInTheVendor(sim: GenericSimulator, email: string): Promise<void> {
  const form = { grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret };
  const token = ((await (await fetch(sim.tokenUrl, { method: 'POST', body: new URLSearchParams(form) })).json()) as GenericTokenResponse).access_token;
  const res = await fetch(`${sim.baseUrl}/users/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ email, firstName: 'Wanda', lastName: 'Webhook' }]),
  });
  expect(res.status).toBe(201);
}

/** The HTTP status of a websocket upgrade to `/graphql`: 101 when it was switched. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise<number>((resolve) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => undefined);
  });
}

describe('vendorEvents over graphql-ws', () => {
  it('delivers a createUsers made through the gateway, then a user created in the vendor (its webhook), once each', async () => {
    const s = await ownStack({ webhookSecret: 'from-simulator' });
    const feed = userEvents(s.url);
    await untilSubscribed(() => s.gateway.liveEvents.size);

    const created = await gqlData<{ createUsers: { results: Array<{ user: { id: string } }> } }>(s.url, CREATE_USERS, {
      input: [{ email: 'ann.live@example.org', firstName: 'Ann', lastName: 'Live', role: 'member' }],
    });
    const first = await feed.next();
    expect(first.errors).toBeUndefined();
    expect(first.data?.vendorEvents).toMatchObject({
      type: 'CREATED',
      vendor: 'GENERIC',
      entityType: 'USER',
      source: 'GATEWAY',
      entity: { id: created.createUsers.results[0]?.user.id, email: 'ann.live@example.org', firstName: 'Ann', vendor: 'GENERIC' },
    });
    expect(Date.parse(first.data?.vendorEvents.occurredAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    await createInTheVendor(s.generic, 'wanda.live@example.org');
    const second = await feed.next();
    expect(second.data?.vendorEvents).toMatchObject({ type: 'CREATED', source: 'WEBHOOK', entity: { email: 'wanda.live@example.org', firstName: 'Wanda' } });

    // The simulator's webhook about Ann's create arrived too (before Wanda's): the same change, delivered once.
    await s.generic.webhooks.idle();
    expect(s.generic.webhooks.deliveries.filter((d) => d.status === 'delivered')).toHaveLength(2);
    await expect(feed.next(300)).rejects.toThrow(/no event/);
  });

  it('filters by entity type and vendor: an enquiry reaches ENQUIRY subscribers only', async () => {
    const s = await ownStack();
    const users = userEvents(s.url);
    const enquiries = subscribe<{ vendorEvents: { entityType: string; entity: { id: string; firstName: string } } }>(
      s.url,
      'subscription { vendorEvents(vendor: CAREHQ, entityType: ENQUIRY) { entityType entity { id ... on Enquiry { firstName } } } }',
    );
    feeds.push(enquiries as Feed<unknown>);
    await untilSubscribed(() => s.gateway.liveEvents.size, 2);
    const made = await gqlData<{ createEnquiry: { enquiry: { id: string } } }>(
      s.url,
      'mutation { createEnquiry(input: { firstName: "Edith", lastName: "Crawley", fundingType: PRIVATE }) { enquiry { id } } }',
    );
    expect((await enquiries.next()).data?.vendorEvents).toEqual({ entityType: 'ENQUIRY', entity: { id: made.createEnquiry.enquiry.id, firstName: 'Edith' } });
    await expect(users.next(300)).rejects.toThrow(/no event/);
  });

  it('refuses queries and mutations on the websocket: they belong on HTTP', async () => {
    const s = await ownStack();
    const feed = subscribe(s.url, '{ enquiries(first: 1) { totalCount } }');
    feeds.push(feed);
    // graphql-ws reports a refused operation as an error message, which ends it without data.
    await expect(feed.next()).rejects.toThrow(/only subscriptions are served over websockets/);
  });

  it('refuses a subscription whose selection costs more than the limit, as HTTP would, before any event', async () => {
    const s = await ownStack();
    const feed = subscribe(
      s.url,
      `subscription { vendorEvents(entityType: USER) { entity { ... on User {
        assignedEnquiries(first: 100) { nodes { assignee { assignedEnquiries(first: 100) { nodes { id } } } } } } } } }`,
    );
    feeds.push(feed);
    await expect(feed.next()).rejects.toThrow(/QUERY_TOO_COMPLEX.*cost|cost.*QUERY_TOO_COMPLEX/s);
    expect(s.gateway.liveEvents.size).toBe(0);
  });
});

describe('vendorEvents with API keys', () => {
  const readsUsers = issueKey('live-users', ['users:read']);
  const readsEnquiries = issueKey('live-enquiries', ['enquiries:read']);
  const writes = issueKey('writer', ['users:write', 'users:read']);
  const protectedStack = () =>
    ownStack({ gateway: { auth: { mode: 'protected', apiKeys: [readsUsers.record, readsEnquiries.record, writes.record], jwt: undefined } } });

  it('closes a connection without a valid key with 4401', async () => {
    const s = await protectedStack();
    const anonymous = userEvents(s.url);
    expect(await anonymous.ended).toMatchObject({ code: 4401, reason: expect.stringMatching(/^Unauthorized: credentials are required/) });
    const wrong = userEvents(s.url, { connectionParams: { 'x-api-key': 'vgk_not-a-key' } });
    expect((await wrong.ended).code).toBe(4401);
  });

  it("needs the entity type's read scope, and takes the key from connection_init or the upgrade's headers", async () => {
    const s = await protectedStack();
    const refused = userEvents(s.url, { connectionParams: { 'x-api-key': readsEnquiries.key } });
    const answer = await refused.next();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['users:read'] });

    const byParams = userEvents(s.url, { connectionParams: { authorization: `Bearer ${readsUsers.key}` } });
    const byHeader = userEvents(s.url, { headers: apiKey(readsUsers.key) });
    await untilSubscribed(() => s.gateway.liveEvents.size, 2);
    const write = await gql(s.url, CREATE_USERS, { input: [{ email: 'kay.scoped@example.org', firstName: 'Kay', lastName: 'Scoped' }] }, apiKey(writes.key));
    expect(write.errors).toBeUndefined();
    expect((await byParams.next()).data?.vendorEvents.entity.email).toBe('kay.scoped@example.org');
    expect((await byHeader.next()).data?.vendorEvents.entity.email).toBe('kay.scoped@example.org');
  });

  it('takes a JWT from connection_init as HTTP takes it, scopes and all', async () => {
    const secret = 's'.repeat(32);
    const jwt = { key: { kind: 'secret', secret }, issuer: 'https://issuer.test', audience: 'vendor-graph' } as const;
    const s = await ownStack({ gateway: { auth: { mode: 'protected', apiKeys: [writes.record], jwt } } });
    const token = (scope: string) =>
      new SignJWT({ sub: 'svc-live', scope, iss: jwt.issuer, aud: jwt.audience, exp: Math.floor(Date.now() / 1000) + 300 })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
    const refused = userEvents(s.url, { connectionParams: { authorization: `Bearer ${await token('enquiries:read')}` } });
    expect((await refused.next()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['users:read'] });
    const feed = userEvents(s.url, { connectionParams: { authorization: `Bearer ${await token('users:read')}` } });
    await untilSubscribed(() => s.gateway.liveEvents.size);
    await gql(s.url, CREATE_USERS, { input: [{ email: 'jo.jwt@example.org', firstName: 'Jo', lastName: 'Jwt' }] }, apiKey(writes.key));
    expect((await feed.next()).data?.vendorEvents.entity.email).toBe('jo.jwt@example.org');
  });

  it.each([
    ['an origin CORS does not allow', 'https://evil.example', 403],
    ['a local origin (allowed outside production)', 'http://localhost:5173', 101],
  ])('answers the upgrade from a browser page on %s with %i', async (_name, origin, status) => {
    const s = await protectedStack();
    expect(await upgradeStatus(s.url, { origin })).toBe(status);
  });
});

describe('vendorEvents bounds and drain', () => {
  it('gives a client at most maxSubscriptionsPerClient subscriptions', async () => {
    const s = await ownStack({ gateway: { liveEvents: { maxSubscriptionsPerClient: 2 } } });
    userEvents(s.url);
    userEvents(s.url);
    await untilSubscribed(() => s.gateway.liveEvents.size, 2);
    const third = await userEvents(s.url).next();
    expect(third.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', max: 2 });
    expect(s.gateway.liveEvents.size).toBe(2);
  });

  it('answers an upgrade past maxWebSockets open sockets with 503', async () => {
    const s = await ownStack({ gateway: { maxWebSockets: 1 } });
    userEvents(s.url);
    await untilSubscribed(() => s.gateway.liveEvents.size);
    expect(await upgradeStatus(s.url)).toBe(503);
  });

  it('closes a subscriber that falls maxQueuedEvents behind with 4100 (slow consumer)', async () => {
    const s = await ownStack({ gateway: { liveEvents: { maxQueuedEvents: 1 } } });
    const feed = subscribe(s.url, 'subscription { vendorEvents(entityType: USER) { type } }');
    feeds.push(feed);
    await untilSubscribed(() => s.gateway.liveEvents.size);
    // Three changes in one tick: the socket takes the first, one waits, the third finds the queue full.
    for (const vendorId of ['usr_slow00000001', 'usr_slow00000002', 'usr_slow00000003']) {
      const entity = { __typename: 'User', vendor: 'GENERIC', vendorId, modifiedAt: null } as unknown as User;
      s.gateway.liveEvents.publish(changeEvent('CREATED', { entityType: 'USER', entity }, 'GATEWAY', new Date().toISOString()));
    }
    expect(await feed.ended).toEqual({ code: 4100, reason: 'Slow consumer: too many events waiting to be sent' });
    expect(s.gateway.liveEvents.size).toBe(0);
  });

  it('closes open subscriptions with 1001 when the gateway drains', async () => {
    const s = await ownStack();
    const feed = userEvents(s.url);
    await untilSubscribed(() => s.gateway.liveEvents.size);
    const started = Date.now();
    await s.gateway.close();
    expect((await feed.ended).code).toBe(1001);
    // Closed, not waited out: the drain's grace period is 10 s.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(s.gateway.liveEvents.size).toBe(0);
  });
});

describe('vendorEvents across replicas', () => {
  it('delivers a write made on one gateway to a subscriber of another through Redis, and its own writes while Redis is away', async () => {
    const port = await freePort();
    const server: ChildProcess = await startRedisServer(port);
    cleanups.push(() => stopRedisServer(server));
    const config = loadConfig({ CACHE_TTL_MS: '0' });
    const sims = await startDemoSimulators(simulatedVendors(config));
    cleanups.push(() => sims.close());
    const redisPrefix = uniquePrefix();
    const clients: Redis[] = [];
    const replica = async (): Promise<Gateway> => {
      const redis = failFastClient(port);
      clients.push(redis);
      cleanups.push(() => redis.disconnect());
      await ready(redis);
      const gateway = await startReplica(config, sims, { redis, redisPrefix });
      cleanups.push(() => gateway.close());
      return gateway;
    };
    const [a, b] = [await replica(), await replica()];
    const onB = userEvents(b.url);
    await untilSubscribed(() => b.liveEvents.size);
    await gqlData(a.url, CREATE_USERS, { input: [{ email: 'rita.replica@example.org', firstName: 'Rita', lastName: 'Replica' }] });
    expect((await onB.next()).data?.vendorEvents).toMatchObject({ source: 'GATEWAY', entity: { email: 'rita.replica@example.org' } });

    await stopRedisServer(server);
    await expect.poll(() => clients.every((client) => client.status !== 'ready'), { timeout: 10_000 }).toBe(true);
    await gqlData(b.url, CREATE_USERS, { input: [{ email: 'otto.outage@example.org', firstName: 'Otto', lastName: 'Outage' }] });
    expect((await onB.next()).data?.vendorEvents).toMatchObject({ source: 'GATEWAY', entity: { email: 'otto.outage@example.org' } });
  });
});
