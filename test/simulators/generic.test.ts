import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedGenericUsers } from '../../src/simulators/generic/seed.ts';
import {
  GENERIC_DEMO_CREDENTIALS,
  startGenericSimulator,
  type GenericSimulator,
} from '../../src/simulators/generic/server.ts';
import { genericCli } from '../../src/simulators/generic/cli-entry.ts';
import type {
  GenericBulkResponse,
  GenericErrorBody,
  GenericPage,
  GenericTokenResponse,
  GenericUser,
  GenericWebhook,
  GenericWebhookCreated,
  GenericWebhookPayload,
} from '../../src/vendors/generic/wire.ts';

/** 2026-05-28T00:00:03.500Z: 3.5 s into a 10 s window, so the reset is 6.5 s (7 whole seconds) away. */
const T0 = Date.UTC(2026, 4, 28, 0, 0, 3, 500);
const WINDOW_END_S = Math.floor(T0 / 10_000) * 10 + 10;

async function getToken(sim: GenericSimulator): Promise<string> {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as GenericTokenResponse).access_token;
}

function call(sim: GenericSimulator, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.baseUrl}/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function errorOf(res: Response): Promise<GenericErrorBody['error']> {
  return ((await res.json()) as GenericErrorBody).error;
}

/** The documented list order (lastName, firstName, id), computed here rather than with the simulator's comparator. */
const sortKey = (u: GenericUser) => `${u.lastName}\u0000${u.firstName}\u0000${u.id}`;
const expectedOrder = seedGenericUsers(1, 45).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

describe('generic simulator: auth, users, bulk, webhooks', () => {
  let now = T0;
  let sim: GenericSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startGenericSimulator({
      clock: () => now,
      limits: { limit: 10_000 },
      webhookRetryDelaysMs: [10, 20],
    });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    now = T0;
    token = await getToken(sim);
  });

  describe('token endpoint', () => {
    it('issues a bearer token for form credentials and counts the request', async () => {
      const before = sim.stats.tokenRequests;
      const res = await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${GENERIC_DEMO_CREDENTIALS.clientId}&client_secret=${
          GENERIC_DEMO_CREDENTIALS.clientSecret
        }`,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as GenericTokenResponse;
      expect(body).toEqual({ access_token: expect.stringMatching(/^gat_/), token_type: 'Bearer', expires_in: 3600 });
      expect(sim.stats.tokenRequests).toBe(before + 1);

      const me = await call(sim, body.access_token, 'users/me');
      expect(me.status).toBe(200);
      expect(((await me.json()) as GenericUser).id).toBe(sim.store.serviceUserId);
    });

    it('accepts the client as HTTP Basic', async () => {
      const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
      const res = await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as GenericTokenResponse).token_type).toBe('Bearer');
    });

    it.each([
      ['a wrong secret', { client_id: GENERIC_DEMO_CREDENTIALS.clientId, client_secret: 'nope' }],
      ['an unknown client', { client_id: 'someone-else', client_secret: GENERIC_DEMO_CREDENTIALS.clientSecret }],
      ['no client at all', {}],
    ])('refuses %s with 401 INVALID_CLIENT and counts the attempt', async (_name, creds) => {
      const before = sim.stats.tokenRequests;
      const issued = sim.stats.tokensIssued;
      const res = await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...creds }),
      });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('INVALID_CLIENT');
      expect(sim.stats.tokenRequests).toBe(before + 1);
      expect(sim.stats.tokensIssued).toBe(issued);
    });

    it('refuses other grant types with 400 UNSUPPORTED_GRANT_TYPE', async () => {
      const res = await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: sim.credentials.clientId,
          client_secret: sim.credentials.clientSecret,
        }),
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({
        code: 'UNSUPPORTED_GRANT_TYPE',
        details: { field: 'grant_type', value: 'password' },
      });
    });
  });

  describe('bearer check', () => {
    it.each([
      ['no Authorization header', undefined],
      ['an unknown token', 'Bearer gat_not-a-real-token'],
    ])('answers %s with 401 UNAUTHORIZED', async (_name, authorization) => {
      const res = await fetch(`${sim.baseUrl}/users/me`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect((await errorOf(res)).code).toBe('UNAUTHORIZED');
    });

    it('expires a token after tokenTtlSeconds by the clock', async () => {
      now = T0 + 3_599_000;
      expect((await call(sim, token, 'users/me')).status).toBe(200);
      now = T0 + 3_600_000;
      const res = await call(sim, token, 'users/me');
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/expired/) });
    });
  });

  describe('users', () => {
    it('pages by (lastName, firstName, id) with correct meta', async () => {
      const res = await call(sim, token, 'users?page=2&limit=10');
      expect(res.status).toBe(200);
      const page = (await res.json()) as GenericPage<GenericUser>;
      expect(page.meta).toEqual({ currentPage: 2, totalPages: 5, totalItems: 45, itemsPerPage: 10 });
      expect(page.data.map((u) => u.id)).toEqual(expectedOrder.slice(10, 20).map((u) => u.id));
    });

    it('defaults to page 1 of 10 and ends with a short last page', async () => {
      const first = (await (await call(sim, token, 'users')).json()) as GenericPage<GenericUser>;
      expect(first.meta).toEqual({ currentPage: 1, totalPages: 5, totalItems: 45, itemsPerPage: 10 });
      expect(first.data[0]?.id).toBe(expectedOrder[0]?.id);
      const last = (await (await call(sim, token, 'users?page=5')).json()) as GenericPage<GenericUser>;
      expect(last.data).toHaveLength(5);
    });

    it('answers a page past the end with no data and the real totals', async () => {
      const res = await call(sim, token, 'users?page=7&limit=20');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        data: [],
        meta: { currentPage: 7, totalPages: 3, totalItems: 45, itemsPerPage: 20 },
      });
    });

    it.each([
      ['page', '0'],
      ['page', 'abc'],
      ['limit', '0'],
      ['limit', '101'],
      ['limit', '1.5'],
    ])('rejects %s=%s with 400 INVALID_INPUT naming the field', async (field, value) => {
      const res = await call(sim, token, `users?${field}=${value}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'INVALID_INPUT', message: expect.any(String), details: { field, value } },
      });
    });

    it('answers ids=a,b,c with those users in the order asked, leaving out unknown ids', async () => {
      const a = expectedOrder[30]!.id;
      const b = expectedOrder[3]!.id;
      const res = await call(sim, token, `users?ids=${a},usr_unknown00000,${b}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as GenericPage<GenericUser>;
      expect(page.data.map((u) => u.id)).toEqual([a, b]);
      expect(page.meta.totalItems).toBe(2);
    });

    it('refuses more than 100 ids', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => `usr_${String(i).padStart(12, '0')}`).join(',');
      const res = await call(sim, token, `users?ids=${ids}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).details).toMatchObject({ field: 'ids' });
    });

    it('reads one user, and 404 NOT_FOUND for an unknown id', async () => {
      const known = expectedOrder[7]!;
      const res = await call(sim, token, `users/${known.id}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(known);
      const missing = await call(sim, token, 'users/usr_zzzzzzzzzzzz');
      expect(missing.status).toBe(404);
      expect((await errorOf(missing)).code).toBe('NOT_FOUND');
    });
  });

  describe('bulk create', () => {
    it('creates the new items, updates the one whose email exists, and reports each failure with code and details (207)', async () => {
      const existing = sim.store.users[5]!.email;
      const before = sim.store.users.length;
      const res = await call(sim, token, 'users/bulk', {
        method: 'POST',
        body: JSON.stringify([
          { email: 'ada.lovelace@example.test', firstName: 'Ada', lastName: 'Lovelace', role: 'admin' },
          { email: 'not-an-email', firstName: 'Bad', lastName: 'Email' },
          { email: existing, firstName: 'Taken', lastName: 'Email' },
          { email: 'twin@example.test', firstName: 'First', lastName: 'Twin' },
          { email: 'TWIN@example.test', firstName: 'Second', lastName: 'Twin' },
          { email: 'nolast@example.test', firstName: 'No' },
          { email: 'role@example.test', firstName: 'Bad', lastName: 'Role', role: 'owner' },
        ]),
      });
      expect(res.status).toBe(207);
      const { data } = (await res.json()) as GenericBulkResponse;
      expect(data.map((d) => [d.index, d.status, d.status === 'error' ? d.error.code : d.user.email])).toEqual([
        [0, 'created', 'ada.lovelace@example.test'],
        [1, 'error', 'INVALID_INPUT'],
        [2, 'updated', existing],
        [3, 'created', 'twin@example.test'],
        [4, 'updated', 'twin@example.test'],
        [5, 'error', 'INVALID_INPUT'],
        [6, 'error', 'INVALID_INPUT'],
      ]);
      const details = data.map((d) => (d.status === 'error' ? d.error.details : undefined));
      expect(details).toEqual([
        undefined,
        { field: 'email', value: 'not-an-email' },
        undefined,
        undefined,
        undefined,
        { field: 'lastName', value: null },
        { field: 'role', value: 'owner' },
      ]);
      const first = data[0];
      const created = first?.status === 'created' ? first.user : undefined;
      expect(created).toMatchObject({
        id: expect.stringMatching(/^usr_[0-9a-z]{12}$/),
        role: 'admin',
        createdAt: new Date(T0).toISOString(),
      });
      expect(sim.store.users.length).toBe(before + 2);
      const lookup = await call(sim, token, `users/${created!.id}`);
      expect(lookup.status).toBe(200);
      // Bulk is "create or update" (the docs): the later twin renamed the earlier one, made in the same batch.
      expect(sim.store.users.find((u) => u.email === existing)).toMatchObject({ firstName: 'Taken', lastName: 'Email' });
      expect(sim.store.users.filter((u) => u.email.toLowerCase() === 'twin@example.test')).toEqual([
        expect.objectContaining({ firstName: 'Second', lastName: 'Twin' }),
      ]);
    });

    it('answers 201 when every item is created, 200 when every item updates, and 400 (with per-item data) when none succeeds', async () => {
      const ok = await call(sim, token, 'users/bulk', {
        method: 'POST',
        body: JSON.stringify([{ email: 'grace.hopper@example.test', firstName: 'Grace', lastName: 'Hopper' }]),
      });
      expect(ok.status).toBe(201);
      const okBody = (await ok.json()) as GenericBulkResponse;
      expect(okBody.data[0]).toMatchObject({ index: 0, status: 'created', user: { role: 'member' } });

      const again = await call(sim, token, 'users/bulk', {
        method: 'POST',
        body: JSON.stringify([{ email: 'grace.hopper@example.test', firstName: 'Grace', lastName: 'Hopper' }]),
      });
      expect(again.status).toBe(200);
      expect(((await again.json()) as GenericBulkResponse).data).toEqual([
        { index: 0, status: 'updated', user: expect.objectContaining({ email: 'grace.hopper@example.test' }) },
      ]);

      const none = await call(sim, token, 'users/bulk', {
        method: 'POST',
        body: JSON.stringify([{ email: 'grace.hopper', firstName: 'Grace', lastName: 'Hopper' }, { email: 'x@y.test' }]),
      });
      expect(none.status).toBe(400);
      const noneBody = (await none.json()) as GenericBulkResponse & GenericErrorBody;
      expect(noneBody.error.code).toBe('INVALID_INPUT');
      expect(noneBody.data).toEqual([
        { index: 0, status: 'error', error: expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'email', value: 'grace.hopper' } }) },
        { index: 1, status: 'error', error: expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'name', value: null } }) },
      ]);
    });

    it.each([
      ['an empty array', '[]'],
      [
        'more than 100 items',
        JSON.stringify(
          Array.from({ length: 101 }, (_, i) => ({ email: `x${i}@e.test`, firstName: 'X', lastName: 'Y' })),
        ),
      ],
      ['an object', '{"email":"a@b.test"}'],
      ['broken JSON', '[{'],
    ])('rejects %s with 400 INVALID_INPUT and creates nothing', async (_name, body) => {
      const before = sim.store.users.length;
      const res = await call(sim, token, 'users/bulk', { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'body' } });
      expect(sim.store.users.length).toBe(before);
    });

    it('replays the stored answer for a repeated Idempotency-Key and creates once', async () => {
      const body = JSON.stringify([{ email: 'once.only@example.test', firstName: 'Once', lastName: 'Only' }]);
      const send = (key: string, payload = body) =>
        call(sim, token, 'users/bulk', { method: 'POST', body: payload, headers: { 'idempotency-key': key } });
      const createdBefore = sim.stats.usersCreated;

      const first = await send('key-1');
      expect(first.status).toBe(201);
      const firstBody = await first.json();
      now = T0 + 23 * 3_600_000;
      token = await getToken(sim);
      const again = await send('key-1');
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(firstBody);
      expect(sim.stats.usersCreated).toBe(createdBefore + 1);
      expect(sim.store.users.filter((u) => u.email === 'once.only@example.test')).toHaveLength(1);

      const otherBody = JSON.stringify([{ email: 'other@example.test', firstName: 'O', lastName: 'T' }]);
      const reused = await send('key-1', otherBody);
      expect(reused.status).toBe(422);
      expect((await errorOf(reused)).code).toBe('IDEMPOTENCY_KEY_REUSED');

      // After 24 hours the key is forgotten: the request runs again and updates its own earlier user.
      now = T0 + 24 * 3_600_000 + 1000;
      token = await getToken(sim);
      const later = await send('key-1');
      expect(later.status).toBe(200);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(sim.stats.usersCreated).toBe(createdBefore + 1);
    });
  });

  describe('webhooks', () => {
    interface Received {
      headers: IncomingHttpHeaders;
      body: string;
    }
    let receiver: Server;
    let receiverUrl: string;
    let received: Received[];
    /** Statuses the receiver answers, in turn; 200 once they run out. */
    let script: number[];

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(script.shift() ?? 200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    beforeEach(() => {
      received = [];
      script = [];
    });
    afterEach(async () => {
      for (const hook of sim.webhooks.list()) sim.webhooks.remove(hook.id);
    });

    async function subscribe(): Promise<GenericWebhookCreated> {
      const res = await call(sim, token, 'webhooks', {
        method: 'POST',
        body: JSON.stringify({ url: receiverUrl, events: ['user.created'] }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as GenericWebhookCreated;
    }

    async function createUser(emailAddress: string): Promise<GenericUser> {
      const res = await call(sim, token, 'users/bulk', {
        method: 'POST',
        body: JSON.stringify([{ email: emailAddress, firstName: 'Hook', lastName: 'Target' }]),
      });
      expect(res.status).toBe(201);
      const item = ((await res.json()) as GenericBulkResponse).data[0];
      if (item?.status !== 'created') throw new Error('expected a created user');
      return item.user;
    }

    /** Standard Webhooks verification written from the spec, independent of the simulator's code. */
    function verifies(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
      const id = String(headers['webhook-id']);
      const timestamp = String(headers['webhook-timestamp']);
      if (Math.abs(now / 1000 - Number(timestamp)) > 300) return false;
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
      return String(headers['webhook-signature'])
        .split(' ')
        .some((entry) => {
          const [version, sig] = entry.split(',');
          const given = Buffer.from(sig ?? '', 'base64');
          return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
        });
    }

    it('registers a subscription, lists it without its secret and deletes it', async () => {
      const hook = await subscribe();
      expect(hook).toMatchObject({ id: expect.any(String), url: receiverUrl, events: ['user.created'] });
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const list = (await (await call(sim, token, 'webhooks')).json()) as GenericPage<GenericWebhook>;
      expect(list.data).toEqual([
        { id: hook.id, url: receiverUrl, events: ['user.created'], createdAt: new Date(T0).toISOString() },
      ]);
      expect((await call(sim, token, `webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await call(sim, token, `webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(404);
    });

    it.each([
      ['a non-loopback host', { url: 'https://hooks.example.com/in', events: ['user.created'] }, 'url'],
      ['an unknown event', { url: 'http://127.0.0.1:9/x', events: ['user.deleted'] }, 'events'],
      ['no events', { url: 'http://127.0.0.1:9/x', events: [] }, 'events'],
    ])('refuses %s with 400 INVALID_INPUT', async (_name, input, field) => {
      const res = await call(sim, token, 'webhooks', { method: 'POST', body: JSON.stringify(input) });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'INVALID_INPUT', details: { field } });
    });

    it('delivers user.created signed so that an independent Standard Webhooks check verifies it', async () => {
      const hook = await subscribe();
      const user = await createUser('hooked@example.test');
      await sim.webhooks.idle();

      expect(received).toHaveLength(1);
      const [delivery] = received;
      expect(delivery!.headers['webhook-timestamp']).toBe(String(Math.floor(T0 / 1000)));
      expect(verifies(hook.secret, delivery!.headers, delivery!.body)).toBe(true);
      expect(verifies(hook.secret, delivery!.headers, delivery!.body.replace('hooked', 'forged'))).toBe(false);
      const payload = JSON.parse(delivery!.body) as GenericWebhookPayload;
      expect(payload).toEqual({ type: 'user.created', timestamp: new Date(T0).toISOString(), data: user });
      expect(sim.webhooks.deliveries.at(-1)).toMatchObject({
        webhookId: hook.id,
        status: 'delivered',
        attempts: [{ status: 200 }],
      });
    });

    it('retries a failed delivery with the same webhook-id and stops after a success', async () => {
      await subscribe();
      script = [500, 503];
      await createUser('retried@example.test');
      await sim.webhooks.idle();

      expect(received).toHaveLength(3);
      expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(sim.webhooks.deliveries.at(-1)).toMatchObject({
        status: 'delivered',
        attempts: [{ status: 500 }, { status: 503 }, { status: 200 }],
      });
    });

    it('gives up after the configured retries', async () => {
      await subscribe();
      script = [500, 500, 500, 500];
      await createUser('given.up@example.test');
      await sim.webhooks.idle();
      expect(received).toHaveLength(3);
      expect(sim.webhooks.deliveries.at(-1)?.status).toBe('failed');
    });

    it('stops delivering once the subscription is deleted', async () => {
      const hook = await subscribe();
      await call(sim, token, `webhooks/${hook.id}`, { method: 'DELETE' });
      await createUser('unheard@example.test');
      await sim.webhooks.idle();
      expect(received).toHaveLength(0);
    });
  });

  describe('faults and unknown paths', () => {
    it('answers an injected 5xx as 500 INTERNAL', async () => {
      sim.faults.serverErrors = 1;
      const res = await call(sim, token, 'users/me');
      expect(res.status).toBe(500);
      expect((await errorOf(res)).code).toBe('INTERNAL');
      expect((await call(sim, token, 'users/me')).status).toBe(200);
    });

    it('answers an injected 429 with the vendor shape, Retry-After and rate-limit headers', async () => {
      sim.faults.rateLimitBurst = 1;
      const res = await call(sim, token, 'users/me');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await errorOf(res)).code).toBe('RATE_LIMITED');
    });

    it.each([['users/me/extra'], ['nothing-here']])('answers unknown path %s with 404 NOT_FOUND', async (path) => {
      const res = await call(sim, token, path);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    });

    it('answers paths outside /api/v1 with 404 NOT_FOUND', async () => {
      const res = await fetch(sim.baseUrl.replace('/api/v1', '/api/v2/users'));
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    });
  });
});

describe('generic simulator: rate limit', () => {
  let now = T0;
  let sim: GenericSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startGenericSimulator({ clock: () => now });
    token = await getToken(sim);
  });
  afterAll(() => sim.close());

  let window = 0;
  /** Each test starts in a fresh 10 s window, 3.5 s in, well clear of windows earlier tests moved into. */
  beforeEach(() => {
    window += 1;
    now = T0 + window * 100_000;
    sim.limits.limit = 50;
    sim.limits.windowSeconds = 10;
    sim.limits.headerStyle = 'epoch-seconds';
  });

  it.each([
    ['epoch-seconds', { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': 'EPOCH_S' }],
    ['delta-seconds', { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': '7' }],
    ['epoch-ms', { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': 'EPOCH_MS' }],
    ['ietf', { ratelimit: '"default";r=49;t=7', 'ratelimit-policy': '"default";q=50;w=10' }],
    ['ietf-draft', { 'ratelimit-limit': '50', 'ratelimit-remaining': '49', 'ratelimit-reset': '7' }],
  ] as const)('reports the window in the %s style', async (style, expected) => {
    sim.limits.headerStyle = style;
    const res = await call(sim, token, 'users/me');
    expect(res.status).toBe(200);
    const resetS = WINDOW_END_S + window * 100;
    const fill = (v: string) => v.replace('EPOCH_MS', String(resetS * 1000)).replace('EPOCH_S', String(resetS));
    const want = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, fill(v)]));
    // Every rate-limit header of every style: a style must send its own and none of the others'.
    const got = Object.fromEntries(
      [...res.headers].filter(([name]) => /^(x-)?ratelimit/.test(name)),
    );
    expect(got).toEqual(want);
  });

  it('answers 429 RATE_LIMITED with Retry-After once the window is spent and lets the next window in', async () => {
    sim.limits.limit = 3;
    for (let i = 0; i < 3; i += 1) expect((await call(sim, token, 'users/me')).status).toBe(200);
    const limited = await call(sim, token, 'users/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });

    now += 7_000;
    expect((await call(sim, token, 'users/me')).status).toBe(200);
  });

  it('applies a live change to the limit at once', async () => {
    sim.limits.limit = 1;
    expect((await call(sim, token, 'users/me')).status).toBe(200);
    expect((await call(sim, token, 'users/me')).status).toBe(429);
    sim.limits.limit = 2;
    const res = await call(sim, token, 'users/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('2');
  });

  it('does not limit the token endpoint', async () => {
    sim.limits.limit = 0;
    expect((await call(sim, token, 'users/me')).status).toBe(429);
    expect(await getToken(sim)).toMatch(/^gat_/);
  });
});

describe('generic simulator: seed and options', () => {
  it('seeds the same 45 users for the same seed, with unique ids and emails', () => {
    const a = seedGenericUsers(1, 45);
    expect(seedGenericUsers(1, 45)).toEqual(a);
    expect(seedGenericUsers(2, 45)).not.toEqual(a);
    expect(new Set(a.map((u) => u.id)).size).toBe(45);
    expect(new Set(a.map((u) => u.email)).size).toBe(45);
    for (const u of a) {
      expect(u.id).toMatch(/^usr_[0-9a-z]{12}$/);
      expect(u.createdAt <= u.updatedAt && u.updatedAt < '2026-06-01').toBe(true);
    }
    expect(a[0]?.role).toBe('admin');
  });

  it.each([
    [{ tokenTtlSeconds: 0 }, /expected tokenTtlSeconds to be a positive number of seconds, got 0/],
    [{ limits: { headerStyle: 'rfc' as never } }, /expected limits.headerStyle to be one of epoch-seconds/],
    [{ credentials: { clientId: '', clientSecret: 'x' } }, /expected credentials with a non-empty clientId/],
  ])('refuses bad options with a message saying what it expected', async (options, message) => {
    await expect(startGenericSimulator(options)).rejects.toThrow(message);
  });

  it('starts from the CLI entry with credentials from the environment', async () => {
    expect(genericCli.envCredentials({})).toBeUndefined();
    expect(() => genericCli.envCredentials({ GENERIC_CLIENT_ID: 'x' })).toThrow(/GENERIC_CLIENT_SECRET/);
    const creds = genericCli.envCredentials({ GENERIC_CLIENT_ID: 'cli-client', GENERIC_CLIENT_SECRET: 'cli-secret' });
    const started = await genericCli.start(0, creds);
    try {
      expect(started.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const res = await fetch(`${started.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=cli-client&client_secret=cli-secret',
      });
      expect(res.status).toBe(200);
    } finally {
      await started.close();
    }
  });
});
