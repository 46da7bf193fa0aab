/**
 * POST /webhooks/generic on a running gateway: real Standard Webhooks deliveries from the Generic simulator
 * drop the cached user lists; forged, stale or malformed ones are refused and change nothing; a redelivery is
 * acknowledged without acting twice.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GenericWebhookReceiver } from '../../src/server/webhook-routes.ts';
import type { GenericSimulator } from '../../src/simulators/generic/server.ts';
import { signWebhook } from '../../src/simulators/generic/webhooks.ts';
import type { GenericTokenResponse } from '../../src/vendors/generic/wire.ts';
import { callsTo, startStack, type StackOptions, type TestStack } from '../helpers/gateway.ts';
import { gqlData } from '../helpers/graphql.ts';

let stack: TestStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Caching on, as in production: without a webhook the gateway would list stale users for a minute. */
const CACHED = { generic: { cacheTtlMs: 60_000 } } as const;

function newSecret(): { key: Buffer; secret: `whsec_${string}` } {
  const key = randomBytes(24);
  return { key, secret: `whsec_${key.toString('base64')}` };
}

async function start(options: StackOptions): Promise<TestStack> {
  stack = await startStack({ ...options, gateway: { ...CACHED, ...options.gateway } });
  return stack;
}

/** Emails of the Generic users the gateway lists. */
async function listed(s: TestStack): Promise<string[]> {
  const data = await gqlData<{ users: { nodes: Array<{ email: string }> } }>(
    s.url,
    '{ users(first: 100, vendors: [GENERIC]) { nodes { email } } }',
  );
  return data.users.nodes.map((n) => n.email);
}

/** Creates a user behind the gateway's back, through the vendor's own HTTP API, as another client would. */
async function createBehindTheGateway(sim: GenericSimulator, email: string): Promise<void> {
  const form = { grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret };
  const token = ((await (await fetch(sim.tokenUrl, { method: 'POST', body: new URLSearchParams(form) })).json()) as GenericTokenResponse)
    .access_token;
  const res = await fetch(`${sim.baseUrl}/users/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ email, firstName: 'Wanda', lastName: 'Webhook' }]),
  });
  expect(res.status).toBe(201);
}

interface Delivery {
  readonly id?: string;
  /** Epoch seconds; default now. */
  readonly timestamp?: number;
  readonly body?: string;
  /** Signs with this key; default the one under test. */
  readonly signWith?: Buffer;
  /** Sends this body instead of the signed one. */
  readonly sendBody?: string;
  readonly omitSignature?: boolean;
}

const userCreated = (email: string) => JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: { email } });

/** Posts one delivery signed as the Generic API signs them. */
async function deliver(s: TestStack, key: Buffer, d: Delivery = {}): Promise<Response> {
  const id = d.id ?? `msg_${randomBytes(6).toString('hex')}`;
  const timestamp = d.timestamp ?? Math.floor(Date.now() / 1000);
  const body = d.body ?? userCreated('anyone@example.org');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
  if (!d.omitSignature) headers['webhook-signature'] = signWebhook(d.signWith ?? key, id, timestamp, body);
  return fetch(new URL('/webhooks/generic', s.url), { method: 'POST', headers, body: d.sendBody ?? body });
}

describe('POST /webhooks/generic', () => {
  it('a real delivery from the simulator drops the cached user list, so the new user is listed at once', async () => {
    const s = await start({ webhookSecret: 'from-simulator' });
    const before = await listed(s);
    const reads = callsTo(s.generic.log, 'users');
    expect(await listed(s)).toEqual(before);
    expect(callsTo(s.generic.log, 'users')).toBe(reads); // served from the cache

    await createBehindTheGateway(s.generic, 'wanda.webhook@example.org');
    await s.generic.webhooks.idle();

    expect(s.generic.webhooks.deliveries.map((d) => [d.type, d.status, d.attempts.map((a) => a.status)])).toEqual([
      ['user.created', 'delivered', [204]],
    ]);
    expect(await listed(s)).toContain('wanda.webhook@example.org');
    expect(before).not.toContain('wanda.webhook@example.org');
  });

  const forged: Array<[string, number, (key: Buffer) => Delivery]> = [
    ['a tampered body', 401, () => ({ sendBody: userCreated('mallory@example.org') })],
    ['a signature by another secret', 401, () => ({ signWith: randomBytes(24) })],
    ['a timestamp ten minutes old', 401, () => ({ timestamp: Math.floor(Date.now() / 1000) - 600 })],
    ['a timestamp ten minutes ahead', 401, () => ({ timestamp: Math.floor(Date.now() / 1000) + 600 })],
    ['no signature', 401, () => ({ omitSignature: true })],
    ['a signed body that is not a webhook payload', 400, () => ({ body: '{"hello":"world"}' })],
    ['a signed body that is not JSON', 400, () => ({ body: 'user.created' })],
  ];

  it.each(forged)('refuses %s with %i and drops nothing', async (_case, status, delivery) => {
    const { key, secret } = newSecret();
    const s = await start({ webhookSecret: secret });
    await listed(s);
    const invalidate = vi.spyOn(s.gateway.vendors.generic.upstream, 'invalidate');
    await createBehindTheGateway(s.generic, 'quiet.change@example.org');

    const res = await deliver(s, key, delivery(key));
    expect(res.status).toBe(status);
    expect(invalidate).not.toHaveBeenCalled();
    expect(await listed(s)).not.toContain('quiet.change@example.org');
  });

  it('answers a redelivery of the same webhook-id with 204 and acts on it once', async () => {
    const { key, secret } = newSecret();
    const s = await start({ webhookSecret: secret });
    await listed(s);
    const invalidate = vi.spyOn(s.gateway.vendors.generic.upstream, 'invalidate');

    await createBehindTheGateway(s.generic, 'first.arrival@example.org');
    expect((await deliver(s, key, { id: 'msg_once' })).status).toBe(204);
    expect(await listed(s)).toContain('first.arrival@example.org');

    await createBehindTheGateway(s.generic, 'second.arrival@example.org');
    // Re-signed with a fresh timestamp, as a sender's retry is.
    expect((await deliver(s, key, { id: 'msg_once', timestamp: Math.floor(Date.now() / 1000) + 1 })).status).toBe(204);
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(await listed(s)).not.toContain('second.arrival@example.org');

    expect((await deliver(s, key, { id: 'msg_next' })).status).toBe(204);
    expect(invalidate).toHaveBeenCalledTimes(2);
    expect(await listed(s)).toContain('second.arrival@example.org');
  });

  it('remembers handled ids for 24 hours, and only the most recent ones when there are too many', async () => {
    const { key, secret } = newSecret();
    let offsetMs = 0;
    const clock = { now: () => Date.now() + offsetMs };
    const s = await start({ webhookSecret: secret, gateway: { core: { clock }, genericWebhooks: { maxRemembered: 2 } } });
    const invalidate = vi.spyOn(s.gateway.vendors.generic.upstream, 'invalidate');
    const at = () => Math.floor(clock.now() / 1000);

    for (const id of ['msg_a', 'msg_b', 'msg_a']) expect((await deliver(s, key, { id, timestamp: at() })).status).toBe(204);
    expect(invalidate).toHaveBeenCalledTimes(2);
    offsetMs = 24 * 60 * 60 * 1000 + 1000;
    expect((await deliver(s, key, { id: 'msg_a', timestamp: at() })).status).toBe(204);
    expect(invalidate).toHaveBeenCalledTimes(3);

    // Two ids fit: msg_d pushes out the oldest, msg_a, so msg_a is acted on again and msg_c is not.
    for (const id of ['msg_c', 'msg_d', 'msg_c', 'msg_a']) expect((await deliver(s, key, { id, timestamp: at() })).status).toBe(204);
    expect(invalidate).toHaveBeenCalledTimes(6);
  });

  it('accepts either secret while one is rotated out, and no other', async () => {
    const old = newSecret();
    const next = newSecret();
    const s = await start({ gateway: { genericWebhooks: { secrets: [next.secret, old.secret] } } });
    expect((await deliver(s, old.key)).status).toBe(204);
    expect((await deliver(s, next.key)).status).toBe(204);
    expect((await deliver(s, randomBytes(24))).status).toBe(401);
  });

  it('acknowledges events other than user.* without dropping the cache', async () => {
    const { key, secret } = newSecret();
    const s = await start({ webhookSecret: secret });
    const invalidate = vi.spyOn(s.gateway.vendors.generic.upstream, 'invalidate');
    const res = await deliver(s, key, { body: JSON.stringify({ type: 'invoice.paid', timestamp: new Date().toISOString(), data: {} }) });
    expect(res.status).toBe(204);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('refuses everything while no secret is configured', async () => {
    const s = await start({});
    expect((await deliver(s, randomBytes(24))).status).toBe(401);
  });

  it('refuses bodies over 1 MiB with 413 and other methods with 405', async () => {
    const { key, secret } = newSecret();
    const s = await start({ webhookSecret: secret });
    const huge = JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: 'x'.repeat(1024 * 1024) });
    expect((await deliver(s, key, { body: huge })).status).toBe(413);
    const get = await fetch(new URL('/webhooks/generic', s.url));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('logs the event type and webhook-id, never the secret or the body', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const { key, secret } = newSecret();
    const s = await start({ webhookSecret: secret, gateway: { logger: pino({ level: 'info' }, sink) } });
    const handled = await deliver(s, key, { id: 'msg_logged', body: userCreated('private.person@example.org') });
    const forged = await deliver(s, randomBytes(24), { id: 'msg_forged' });
    const log = lines.join('');
    // Each line carries the id of the delivery that wrote it, as echoed in its x-request-id.
    const byWebhook = new Map(lines.map((line) => JSON.parse(line) as { webhookId?: string; requestId?: string }).map((line) => [line.webhookId, line.requestId]));
    expect(byWebhook.get('msg_logged')).toBe(handled.headers.get('x-request-id'));
    expect(byWebhook.get('msg_forged')).toBe(forged.headers.get('x-request-id'));
    expect(log).toContain('"webhookId":"msg_logged"');
    expect(log).toContain('"type":"user.created"');
    expect(log).toContain('"reason":"bad_signature"');
    expect(log).not.toContain(secret.slice('whsec_'.length));
    expect(log).not.toContain('private.person');
  });
});

describe('GenericWebhookReceiver options', () => {
  const deps = { invalidateUsers: () => undefined, logger: pino({ level: 'silent' }), clock: { now: () => 0 } };

  it.each([
    [{ secrets: ['hunter2-not-a-secret'] }, 'expected Generic webhook secret #1 to be whsec_ followed by base64, got 20 characters'],
    [{ secrets: [newSecret().secret, 'whsec_'] }, 'expected Generic webhook secret #2 to be whsec_ followed by base64'],
    [{ rememberMs: -1 }, 'expected rememberMs to be a whole number >= 0, got -1'],
    [{ maxRemembered: 0 }, 'expected maxRemembered to be a whole number >= 1, got 0'],
    [{ maxBodyBytes: 1.5 }, 'expected maxBodyBytes to be a whole number >= 1, got 1.5'],
  ])('says what it expected and what it got: %j', (options, message) => {
    expect(() => new GenericWebhookReceiver(deps, options)).toThrow(message);
  });

  it('never echoes a secret it refuses', () => {
    expect(() => new GenericWebhookReceiver(deps, { secrets: ['hunter2-not-a-secret'] })).toThrow(/^(?!.*hunter2).*$/s);
  });
});
