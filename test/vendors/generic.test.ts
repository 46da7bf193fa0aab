import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUser } from '../../src/domain/user.ts';
import { GENERIC_HEADER_STYLES, type GenericHeaderStyle } from '../../src/simulators/generic/ratelimit.ts';
import { startGenericSimulator, type GenericSimulator } from '../../src/simulators/generic/server.ts';
import { UpstreamCore, type CallContext, type UpstreamCoreOptions } from '../../src/upstream/client.ts';
import { isProblem, type UpstreamError } from '../../src/upstream/errors.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';
import { GenericSource, verifyWebhook, type GenericOptions } from '../../src/vendors/generic/index.ts';
import { classifyError, readRateSignal } from '../../src/vendors/generic/responses.ts';
import type { GenericTokenResponse, GenericUser, GenericWebhookCreated } from '../../src/vendors/generic/wire.ts';

const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

function build(sim: GenericSimulator, extra: Partial<GenericOptions> = {}, core: UpstreamCoreOptions = {}) {
  const upstream = new UpstreamCore(core);
  const source = GenericSource.create(upstream, {
    baseUrl: sim.baseUrl,
    tokenUrl: sim.tokenUrl,
    credentials: sim.credentials,
    cacheTtlMs: 0,
    ...extra,
  });
  return { core: upstream, source };
}

/** The documented list order, computed here rather than with the simulator's comparator. */
const sortKey = (u: GenericUser) => `${u.lastName}\u0000${u.firstName}\u0000${u.id}`;
const listOrder = (users: readonly GenericUser[]) => [...users].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

const calls = (sim: GenericSimulator, method: string, path: string) =>
  sim.log.filter((entry) => entry.method === method && entry.path === path);

let emailSeq = 0;
function newUser(overrides: Partial<NewUser> = {}): NewUser {
  emailSeq += 1;
  return { email: `bulk-${emailSeq}-${randomBytes(3).toString('hex')}@example.test`, firstName: 'Ada', lastName: 'Byron', ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

describe('GenericSource over the simulator', () => {
  let sim: GenericSimulator;

  beforeAll(async () => {
    // A one-second window keeps every Retry-After in these tests short.
    sim = await startGenericSimulator({ userCount: 250, limits: { limit: 10_000, windowSeconds: 1 } });
  });
  afterAll(() => sim.close());

  describe('options', () => {
    const good = (): GenericOptions => ({
      baseUrl: sim.baseUrl,
      tokenUrl: sim.tokenUrl,
      credentials: { clientId: 'id', clientSecret: 'top-secret-value' },
    });
    it.each([
      ['a relative baseUrl', { baseUrl: 'api/v1' }, 'generic: expected baseUrl to be an absolute http(s) URL, got "api/v1"'],
      ['a missing tokenUrl', { tokenUrl: '' }, 'generic: expected tokenUrl to be an absolute http(s) URL, got nothing'],
      ['an empty client id', { credentials: { clientId: '', clientSecret: 's' } }, 'generic: expected credentials.clientId to be set, got nothing'],
      ['an empty secret', { credentials: { clientId: 'id', clientSecret: '' } }, 'generic: expected credentials.clientSecret to be set, got nothing'],
      ['a zero budget', { requestsPerWindow: 0 }, 'generic: expected requestsPerWindow to be a whole number >= 1, got 0'],
      ['a batch over the vendor max', { userBatchSize: 101 }, 'generic: expected userBatchSize to be a whole number from 1 to 100, got 101'],
      ['a negative cache ttl', { cacheTtlMs: -1 }, 'generic: expected cacheTtlMs to be a number of ms >= 0, got -1'],
    ])('refuses %s at construction', (_name, override, message) => {
      expect(() => GenericSource.create(new UpstreamCore(), { ...good(), ...override })).toThrow(message);
    });

    it('never puts the secret in a validation message', () => {
      const error = rejectionSync(() => GenericSource.create(new UpstreamCore(), { ...good(), windowSeconds: 0 }));
      expect(error.message).toBe('generic: expected windowSeconds to be a number > 0, got 0');
      expect(error.message).not.toContain('top-secret-value');
    });

    it('defaults userBatchSize to the vendor max of 100, also when given as undefined', () => {
      expect(GenericSource.create(new UpstreamCore(), good()).userBatchSize).toBe(100);
      expect(GenericSource.create(new UpstreamCore(), { ...good(), userBatchSize: undefined, cacheTtlMs: undefined }).userBatchSize).toBe(100);
    });
  });

  describe('tokens', () => {
    it('gets a client-credentials token over HTTP Basic once and sends it as a bearer', async () => {
      const before = sim.stats.tokenRequests;
      const { source } = build(sim);
      const me = await source.viewer(call());
      expect(me.vendorId).toBe(sim.store.serviceUserId);
      await source.viewer(call());
      expect(source.tokenRequests).toBe(1);
      expect(sim.stats.tokenRequests).toBe(before + 1);

      const tokenCall = calls(sim, 'POST', 'oauth/token').at(-1);
      expect(tokenCall?.body).toBe('grant_type=client_credentials');
      const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString('base64');
      expect(tokenCall?.headers.authorization).toBe(`Basic ${basic}`);
      expect(calls(sim, 'GET', 'users/me').at(-1)?.headers.authorization).toMatch(/^Bearer gat_/);
    });

    it('answers a refused client with unauthorized, asks the token endpoint once and never shows the secret', async () => {
      const secret = 'wrong-secret-9d81';
      const { source } = build(sim, { credentials: { clientId: sim.credentials.clientId, clientSecret: secret } });
      const logged = sim.log.length;
      const error = await rejection(source.viewer(call()));
      expect(isProblem(error, 'unauthorized')).toBe(true);
      expect((error as UpstreamError).message).toMatch(/client authentication failed/);
      expect((error as UpstreamError).message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(source.tokenRequests).toBe(1);
      // Nothing but the refused token request reached the vendor.
      expect(sim.log.slice(logged).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST oauth/token 401']);

      // A second call within the refusal memory does not ask again.
      expect(isProblem(await rejection(source.user('usr_x', call())), 'unauthorized')).toBe(true);
      expect(source.tokenRequests).toBe(1);
    });

    it("sends the token request through the core's fetch, so a fetch given to the core sees all traffic", async () => {
      const seen: string[] = [];
      const recording: FetchLike = (input, init) => {
        seen.push(`${init.method ?? 'GET'} ${input.pathname.split('/').slice(-2).join('/')}`);
        return fetch(input, init);
      };
      const { source } = build(sim, {}, { fetch: recording });
      await source.viewer(call());
      expect(seen).toEqual(['POST oauth/token', 'GET users/me']);
    });

    it('shares one token request among 100 concurrent first calls', async () => {
      const before = sim.stats.tokenRequests;
      const { source } = build(sim);
      const users = source.users(call());
      const pages = await Promise.all(Array.from({ length: 100 }, (_, i) => users.page(i)));
      expect(pages[0]?.items).toHaveLength(100);
      expect(source.tokenRequests).toBe(1);
      expect(sim.stats.tokenRequests).toBe(before + 1);
    });
  });

  describe('a token that expires at the vendor mid-run', () => {
    let offset = 0;
    let clocked: GenericSimulator;
    beforeAll(async () => {
      clocked = await startGenericSimulator({ clock: () => Date.now() + offset, limits: { limit: 10_000, windowSeconds: 1 } });
    });
    afterAll(() => clocked.close());

    it('refreshes once for 30 parallel 401s, even those answered after the new token came', async () => {
      // 401s trickle back, so most arrive after the refresh: each must retry with the new token, not refresh again.
      let late = 0;
      const trickling: FetchLike = async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 401) {
          late += 1;
          await new Promise((resolve) => setTimeout(resolve, late * 40));
        }
        return response;
      };
      const { source } = build(clocked, {}, { fetch: trickling });
      await source.viewer(call());
      expect(source.tokenRequests).toBe(1);
      offset = 3_600_000; // the vendor's clock passes the token's lifetime; ours still thinks it fresh

      const users = source.users(call());
      const pages = await Promise.all(Array.from({ length: 30 }, (_, i) => users.page(i)));
      expect(pages).toHaveLength(30);
      expect(source.tokenRequests).toBe(2);
      expect(late).toBeGreaterThan(1);
      expect(calls(clocked, 'GET', 'users').filter((e) => e.status === 200)).toHaveLength(30);
    });
  });

  describe('users', () => {
    it('walks every user once, in lastName, firstName, id order, with the total on each page', async () => {
      const { source } = build(sim);
      const expected = listOrder(sim.store.users).map((u) => u.id);
      const users = source.users(call());
      const seen: string[] = [];
      let total: number | undefined;
      for (let index = 0; ; index += 1) {
        const page = await users.page(index);
        total = page.total;
        if (page.items.length === 0) break;
        seen.push(...page.items.map((u) => u.vendorId));
      }
      expect(users.pageSize).toBe(100);
      expect(total).toBe(expected.length);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
      expect(calls(sim, 'GET', 'users').at(-1)?.query).toBe('page=4&limit=100');
    });

    it('looks up 100 ids in one call and answers them in key order', async () => {
      const { source } = build(sim);
      const ids = sim.store.users.slice(0, 100).map((u) => u.id).reverse();
      const before = calls(sim, 'GET', 'users').length;
      const found = await source.usersByIds(ids, call());
      expect(calls(sim, 'GET', 'users').length - before).toBe(1);
      expect(found.map((u) => (u instanceof Error || u === null ? u : u.vendorId))).toEqual(ids);
    });

    it('answers null for unknown ids and splits batches by userBatchSize', async () => {
      const { source } = build(sim, { userBatchSize: 2 });
      const [a, b, c] = sim.store.users.map((u) => u.id);
      const before = calls(sim, 'GET', 'users').length;
      const found = await source.usersByIds([a ?? '', 'usr_unknown00000', b ?? '', c ?? '', a ?? ''], call());
      expect(found.map((u) => (u instanceof Error || u === null ? u : u.vendorId))).toEqual([a, null, b, c, a]);
      expect(calls(sim, 'GET', 'users').length - before).toBe(2);
    });

    it('maps one user by id and answers null for an unknown one', async () => {
      const { source } = build(sim);
      const record = sim.store.users[7] as GenericUser;
      expect(await source.user(record.id, call())).toEqual({
        __typename: 'User',
        vendor: 'GENERIC',
        vendorId: record.id,
        firstName: record.firstName,
        lastName: record.lastName,
        email: record.email,
        mobile: null,
        locationRole: null,
        locationIds: [],
        mfaEnabled: null,
        title: null,
        role: record.role,
        active: null,
        // The Generic API has none of the CareHQ and Caseware account fields.
        invited: null,
        inviteAccepted: null,
        middleName: null,
        userName: null,
        admin: null,
        canLogin: null,
        inactiveAt: null,
        createdAt: new Date(record.createdAt),
        modifiedAt: new Date(record.updatedAt),
        raw: record,
      });
      expect(await source.user('usr_doesnotexist', call())).toBeNull();
    });

    it('answers the viewer from users/me', async () => {
      const { source } = build(sim);
      const viewer = await source.viewer(call());
      expect(viewer).toMatchObject({ vendor: 'GENERIC', vendorId: sim.store.serviceUserId, role: 'admin' });
    });
  });

  describe('bulk create', () => {
    it('reports a mixed batch item by item in input order, in one call', async () => {
      const { source } = build(sim);
      const taken = sim.store.users[3]?.email ?? '';
      const input = [
        newUser(),
        newUser({ email: 'not-an-email' }),
        newUser({ email: taken }),
        newUser({ role: 'Viewer' }),
        newUser({ role: 'owner' }),
        newUser({ firstName: '' }),
      ];
      const created = sim.stats.usersCreated;
      const before = calls(sim, 'POST', 'users/bulk').length;
      const results = await source.createUsers(input, call());

      expect(calls(sim, 'POST', 'users/bulk').length - before).toBe(1);
      expect(sim.stats.usersCreated - created).toBe(2);
      // Bulk is "create or update" (the docs): the taken email updated its user instead of failing.
      expect(results.map((r) => r.outcome)).toEqual(['created', null, 'updated', 'created', null, null]);
      expect(results.map((r) => [r.index, r.user?.email ?? null, r.error?.code ?? null, r.error?.field ?? null])).toEqual([
        [0, input[0]?.email, null, null],
        [1, null, 'INVALID_INPUT', 'email'],
        [2, taken, null, null],
        [3, input[3]?.email, null, null],
        [4, null, 'INVALID_INPUT', 'role'],
        [5, null, 'INVALID_INPUT', 'firstName'],
      ]);
      expect(results[3]?.user?.role).toBe('viewer');
      // The item refused locally never went to the vendor.
      const sent = JSON.parse(calls(sim, 'POST', 'users/bulk').at(-1)?.body ?? '[]') as unknown[];
      expect(sent).toHaveLength(5);
    });

    it('maps a 400 where no item could be created instead of throwing', async () => {
      const { source } = build(sim);
      const results = await source.createUsers([newUser({ email: 'nope' }), newUser({ lastName: '' })], call());
      expect(calls(sim, 'POST', 'users/bulk').at(-1)?.status).toBe(400);
      expect(results.map((r) => [r.index, r.user, r.error?.field])).toEqual([
        [0, null, 'email'],
        [1, null, 'lastName'],
      ]);
    });

    it('splits 150 users into two calls, each with its own Idempotency-Key', async () => {
      const { source } = build(sim);
      const input = Array.from({ length: 150 }, () => newUser());
      const before = calls(sim, 'POST', 'users/bulk').length;
      const results = await source.createUsers(input, call());
      const sent = calls(sim, 'POST', 'users/bulk').slice(before);
      expect(sent.map((e) => (JSON.parse(e.body) as unknown[]).length)).toEqual([100, 50]);
      expect(new Set(sent.map((e) => e.headers['idempotency-key'])).size).toBe(2);
      expect(results.map((r) => r.index)).toEqual(input.map((_, i) => i));
      expect(results.map((r) => r.user?.email)).toEqual(input.map((u) => u.email));
    });

    it('retries after an injected 500 with the same Idempotency-Key and creates each user once', async () => {
      const { source } = build(sim, {}, { retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 } });
      const input = [newUser(), newUser()];
      await source.viewer(call());
      const before = calls(sim, 'POST', 'users/bulk').length;
      sim.faults.serverErrors = 1;
      const results = await source.createUsers(input, call());
      const sent = calls(sim, 'POST', 'users/bulk').slice(before);
      expect(sent.map((e) => e.status)).toEqual([500, 201]);
      expect(sent[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
      for (const { email } of input) expect(sim.store.users.filter((u) => u.email === email)).toHaveLength(1);
      expect(results.every((r) => r.user !== null)).toBe(true);
    });

    it('replays instead of creating again when the first answer was lost after the vendor acted', async () => {
      let dropped = false;
      const losesFirstBulkAnswer: FetchLike = async (input, init) => {
        const response = await fetch(input, init);
        if (!dropped && init.method === 'POST' && input.pathname.endsWith('/users/bulk')) {
          dropped = true;
          await response.arrayBuffer();
          throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
        }
        return response;
      };
      const { source } = build(sim, {}, { fetch: losesFirstBulkAnswer, retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 } });
      const input = [newUser(), newUser()];
      const created = sim.stats.usersCreated;
      const before = calls(sim, 'POST', 'users/bulk').length;
      const results = await source.createUsers(input, call());
      const sent = calls(sim, 'POST', 'users/bulk').slice(before);
      expect(sent).toHaveLength(2);
      expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
      expect(sim.stats.usersCreated - created).toBe(2);
      // The replay says `created`, as the first answer did: a retry must not turn into an update.
      expect(results.map((r) => r.outcome)).toEqual(['created', 'created']);
      const stored = input.map(({ email }) => sim.store.users.filter((u) => u.email === email).map((u) => u.id));
      expect(results.map((r) => [r.user?.vendorId])).toEqual(stored);
    });

    it('waits out a 429 and lands the bulk call once', async () => {
      const { source } = build(sim);
      const input = [newUser()];
      await source.viewer(call());
      const created = sim.stats.usersCreated;
      const before = calls(sim, 'POST', 'users/bulk').length;
      sim.faults.rateLimitBurst = 1;
      const results = await source.createUsers(input, call());
      expect(calls(sim, 'POST', 'users/bulk').slice(before).map((e) => e.status)).toEqual([429, 201]);
      expect(sim.stats.usersCreated - created).toBe(1);
      expect(results[0]?.user?.email).toBe(input[0]?.email);
    });

    it('throws when the only batch fails and nothing was created', async () => {
      const { source } = build(sim, {}, { retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 20 } });
      await source.viewer(call());
      const created = sim.stats.usersCreated;
      sim.faults.serverErrors = 2;
      const error = await rejection(source.createUsers([newUser()], call()));
      expect(isProblem(error, 'server_error')).toBe(true);
      expect(sim.stats.usersCreated).toBe(created);
    });
  });
});

describe('rate-limit headers in every style the simulator speaks', () => {
  it.each(GENERIC_HEADER_STYLES.map((style) => [style]))(
    'learns a limit of 4 per second from %s headers and finishes a burst of 12 reads without errors',
    async (style: GenericHeaderStyle) => {
      const sim = await startGenericSimulator({ limits: { limit: 4, windowSeconds: 1, headerStyle: style } });
      try {
        // Seeded with the default 50 per 10 s: only the vendor's headers can teach it 4.
        const { source } = build(sim);
        const users = source.users(call());
        const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => users.page(i)));
        expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
        const status = await source.upstream.status();
        expect(status.budget).toMatchObject({ limit: 4, learned: true });
        expect(calls(sim, 'GET', 'users').filter((e) => e.status === 200)).toHaveLength(12);
      } finally {
        await sim.close();
      }
    },
  );
});

describe('reading answers', () => {
  const NOW = Date.UTC(2026, 4, 28, 12, 0, 0);
  const answer = (status: number, headers: Record<string, string>, body?: unknown): UpstreamResponse => ({
    status,
    headers: new Headers(headers),
    body,
    bytes: new Uint8Array(),
  });

  it.each([
    ['epoch seconds', { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': String(NOW / 1000 + 30) }, { limit: 50, remaining: 7, resetAt: NOW + 30_000 }],
    ['epoch ms', { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': String(NOW + 30_000) }, { limit: 50, remaining: 7, resetAt: NOW + 30_000 }],
    ['a delta', { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '30' }, { limit: 50, remaining: 7, resetAt: NOW + 30_000 }],
    ['IETF fields', { ratelimit: '"default";r=7;t=30', 'ratelimit-policy': '"default";q=50;w=60' }, { limit: 50, remaining: 7, resetAt: NOW + 30_000 }],
    ['the older IETF draft', { 'ratelimit-limit': '50', 'ratelimit-remaining': '7', 'ratelimit-reset': '30' }, { limit: 50, remaining: 7, resetAt: NOW + 30_000 }],
  ])('reads X-RateLimit-Reset and friends given as %s', (_name, headers, expected) => {
    expect(readRateSignal(answer(200, headers), NOW)).toEqual(expected);
  });

  it.each([
    ['Retry-After seconds over the reset', { 'retry-after': '3', 'x-ratelimit-reset': '30' }, 3000],
    ['a Retry-After date', { 'retry-after': new Date(NOW + 5000).toUTCString() }, 5000],
    ['the reset when Retry-After is absent', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }, 12_000],
    ['a whole window when nothing is said', {}, 10_000],
  ])('waits after a 429 for %s', (_name, headers, wait) => {
    expect(readRateSignal(answer(429, headers), NOW, 10_000).retryAfterMs).toBe(wait);
  });

  const error = (code: string, details?: Record<string, unknown>) => ({ error: { code, message: `says ${code}`, ...(details ? { details } : {}) } });
  it.each([
    [400, error('INVALID_INPUT', { field: 'email', value: 'x' }), { kind: 'bad_request', fieldErrors: { email: ['says INVALID_INPUT'] }, vendorCode: 'INVALID_INPUT' }],
    [401, error('UNAUTHORIZED'), { kind: 'unauthorized' }],
    [401, error('INVALID_CLIENT'), { kind: 'unauthorized' }],
    [404, error('NOT_FOUND'), { kind: 'not_found' }],
    [409, error('CONFLICT', { field: 'email' }), { kind: 'conflict' }],
    [429, error('RATE_LIMITED'), { kind: 'rate_limited', retryAfterMs: 1000 }],
    [503, error('SOMETHING_NEW'), { kind: 'server_error' }],
    [403, undefined, { kind: 'forbidden' }],
  ])('classifies a %i %j', (status, body, problem) => {
    const classified = classifyError(answer(status, {}, body), NOW);
    expect(classified.problem).toEqual(problem);
    expect(classified.message).toBe(body ? `says ${body.error.code}` : 'the Generic API answered 403');
  });
});

describe('webhooks', () => {
  let sim: GenericSimulator;
  let receiver: Server;
  const received: Array<{ headers: Record<string, string | undefined>; body: string }> = [];
  let secret = '';

  const flat = (headers: IncomingHttpHeaders): Record<string, string | undefined> =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));

  beforeAll(async () => {
    sim = await startGenericSimulator({ limits: { limit: 10_000, windowSeconds: 1 }, webhookRetryDelaysMs: [] });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: flat(req.headers), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;

    const tokenRes = await fetch(sim.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret }),
    });
    const { access_token: token } = (await tokenRes.json()) as GenericTokenResponse;
    const registered = await fetch(`${sim.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/hooks`, events: ['user.created'] }),
    });
    secret = ((await registered.json()) as GenericWebhookCreated).secret;

    const { source } = build(sim);
    await source.createUsers([newUser({ firstName: 'Grace', lastName: 'Hopper' })], call());
    await sim.webhooks.idle();
  });
  afterAll(async () => {
    await sim.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const delivery = () => {
    const first = received[0];
    if (!first) throw new Error('expected the simulator to have delivered a webhook, and none arrived');
    return first;
  };

  it('verifies a delivery from the simulator and returns its payload', () => {
    const { headers, body } = delivery();
    const verdict = verifyWebhook({ headers, rawBody: body, secret, now: Date.now() });
    expect(verdict).toMatchObject({ ok: true, payload: { type: 'user.created', data: { firstName: 'Grace', lastName: 'Hopper' } } });
  });

  it.each([
    ['a tampered body', () => ({ rawBody: delivery().body.replace('Grace', 'Gracie') }), 'bad_signature'],
    ['a wrong secret', () => ({ secret: `whsec_${randomBytes(24).toString('base64')}` }), 'bad_signature'],
    ['a timestamp ten minutes old', () => ({ now: Date.now() + 600_000 }), 'stale_timestamp'],
    ['a timestamp from the future', () => ({ now: Date.now() - 600_000 }), 'stale_timestamp'],
    ['no signature header', () => ({ headers: { ...delivery().headers, 'webhook-signature': undefined } }), 'missing_headers'],
  ])('rejects %s', (_name, change, reason) => {
    const { headers, body } = delivery();
    expect(verifyWebhook({ headers, rawBody: body, secret, now: Date.now(), ...change() })).toEqual({ ok: false, reason });
  });

  it('rejects a correctly signed body that is not a webhook payload', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const timestamp = Math.floor(Date.now() / 1000);
    const rawBody = '{"hello":"world"}';
    const signature = createHmac('sha256', key).update(`msg_1.${timestamp}.${rawBody}`).digest('base64');
    const headers = { 'Webhook-Id': 'msg_1', 'Webhook-Timestamp': String(timestamp), 'Webhook-Signature': `v1,bm9wZQ== v1,${signature}` };
    expect(verifyWebhook({ headers, rawBody, secret, now: Date.now() })).toEqual({ ok: false, reason: 'bad_payload' });
  });
});

function rejectionSync(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected the call to throw, and it did not');
}
