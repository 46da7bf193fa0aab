/**
 * The Generic API's own documentation (shared/vendor-docs/generic.txt), replayed example by example against
 * the simulator and, where the client sends it, through GenericSource. Every request, body and answer below is
 * copied from the docs as a literal string: never from wire.ts, so that a client and simulator that misread
 * the docs together cannot pass each other's test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGenericSimulator, type GenericSimulator } from '../../src/simulators/generic/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { GenericSource } from '../../src/vendors/generic/index.ts';

const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

let sim: GenericSimulator;
let token = '';

/** The docs' "Making Authenticated Requests" headers, with a real token for YOUR_ACCESS_TOKEN. */
function send(method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<Response> {
  const origin = new URL(sim.baseUrl).origin;
  return fetch(`${origin}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...extra,
    },
    body,
  });
}

beforeAll(async () => {
  // 150 users so that the docs' pagination example (150 items, 15 pages of 10) comes back number for number.
  sim = await startGenericSimulator({ userCount: 150, limits: { limit: 1000, windowSeconds: 1 } });
  // How a token is got is in an "Authentication Guide" the page only links to; vendors.md says client
  // credentials at a token endpoint, so that is the reading taken here.
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${sim.credentials.clientId}&client_secret=${sim.credentials.clientSecret}`,
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(() => sim.close());

describe('Generic API docs: Making Authenticated Requests', () => {
  it('GET /api/v1/users/me with Authorization: Bearer and Accept: application/json answers JSON', async () => {
    const res = await send('GET', '/api/v1/users/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ email: expect.any(String) });
  });

  it('a request without the Authorization header is refused (assumption: 401 in the documented error shape)', async () => {
    const origin = new URL(sim.baseUrl).origin;
    const res = await fetch(`${origin}/api/v1/users/me`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('the client sends GET users/me with "Authorization: Bearer <token>" and "Accept: application/json"', async () => {
    const source = GenericSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    await source.viewer(call());
    const sent = sim.log.filter((e) => e.method === 'GET' && e.path === 'users/me').at(-1);
    expect(sent?.headers.authorization).toMatch(/^Bearer \S+$/);
    expect(sent?.headers.accept).toBe('application/json');
  });
});

describe('Generic API docs: Rate Limiting', () => {
  it('answers carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset', async () => {
    const res = await send('GET', '/api/v1/users/me');
    for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
      expect(res.headers.get(name), name).toMatch(/^\d+$/);
    }
  });

  it('exceeding the limit is "429 Too Many Requests"', async () => {
    sim.faults.rateLimitBurst = 1;
    const res = await send('GET', '/api/v1/users/me');
    expect(res.status).toBe(429);
    expect(res.statusText).toBe('Too Many Requests');
  });
});

describe('Generic API docs: Fetching Paginated Data', () => {
  // The docs' example pages `/api/v1/projects`, a resource we do not serve; vendors.md gives users the same
  // `page` and `limit`, so the example is replayed on users, expecting the docs' meta word for word.
  it('GET /api/v1/users?page=2&limit=10 answers { data, meta: { currentPage: 2, totalPages: 15, totalItems: 150, itemsPerPage: 10 } }', async () => {
    const res = await send('GET', '/api/v1/users?page=2&limit=10');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown[]; meta: unknown };
    expect(body.meta).toEqual(JSON.parse('{ "currentPage": 2, "totalPages": 15, "totalItems": 150, "itemsPerPage": 10 }'));
    expect(body.data).toHaveLength(10);
  });

  it('the client pages with page and limit query parameters', async () => {
    const source = GenericSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    await source.users(call()).page(1);
    const sent = sim.log.filter((e) => e.method === 'GET' && e.path === 'users').at(-1);
    const query = new URLSearchParams(sent?.query);
    expect(query.get('page')).toMatch(/^\d+$/);
    expect(query.get('limit')).toMatch(/^\d+$/);
  });

  it('assumption: /api/v1/projects is not served (404 in the documented error shape)', async () => {
    const res = await send('GET', '/api/v1/projects?page=2&limit=10');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});

describe('Generic API docs: Performing Bulk Operations ("create or update multiple resources")', () => {
  const DOC_BODY = `[
  { "name": "Alice Smith", "email": "alice@example.com" },
  { "name": "Bob Johnson", "email": "bob@example.com" }
]`;

  it('POST /api/v1/users/bulk with the docs\' body creates Alice Smith and Bob Johnson (assumption: 201, one result per item)', async () => {
    const res = await send('POST', '/api/v1/users/bulk', DOC_BODY);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { data: Array<{ status: string; user: Record<string, unknown> }> };
    expect(body.data.map((item) => [item.status, item.user.email])).toEqual([
      ['created', 'alice@example.com'],
      ['created', 'bob@example.com'],
    ]);
    // Reading taken: the docs show only a full name; split at the last space it is Alice / Smith.
    expect(sim.store.users.find((u) => u.email === 'alice@example.com')).toMatchObject({ firstName: 'Alice', lastName: 'Smith' });
  });

  it('sending the same body again updates the two users instead of failing (assumption: 200, status "updated")', async () => {
    const before = sim.store.users.length;
    const res = await send('POST', '/api/v1/users/bulk', DOC_BODY.replace('Bob Johnson', 'Robert Johnson'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ status: string }> };
    expect(body.data.map((item) => item.status)).toEqual(['updated', 'updated']);
    expect(sim.store.users.length).toBe(before);
    expect(sim.store.users.find((u) => u.email === 'bob@example.com')).toMatchObject({ firstName: 'Robert', lastName: 'Johnson' });
  });

  it('the client sends the documented { name, email } item (plus firstName/lastName: assumption) and reports created, then updated', async () => {
    const source = GenericSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    const input = [{ email: 'carol.de.vries@example.com', firstName: 'Carol', lastName: 'de Vries' }];
    const first = await source.createUsers(input, call());
    const sent = JSON.parse(sim.log.filter((e) => e.method === 'POST' && e.path === 'users/bulk').at(-1)?.body ?? '[]') as unknown[];
    expect(sent).toEqual([expect.objectContaining({ name: 'Carol de Vries', email: 'carol.de.vries@example.com' })]);
    expect(sim.log.at(-1)?.headers['content-type']).toMatch(/^application\/json/);
    expect(first.map((r) => r.outcome)).toEqual(['created']);
    // The parts keep a last name with a space in it whole, which `name` alone could not.
    expect(first[0]?.user).toMatchObject({ firstName: 'Carol', lastName: 'de Vries' });
    const again = await source.createUsers(input, call());
    expect(again.map((r) => [r.outcome, r.user?.vendorId])).toEqual([['updated', first[0]?.user?.vendorId]]);
  });
});

describe('Generic API docs: Example Error Response (400 Bad Request)', () => {
  const DOC_ERROR = `{
  "error": {
    "code": "INVALID_INPUT",
    "message": "The provided email address is not valid.",
    "details": {
      "field": "email",
      "value": "invalid-email"
    }
  }
}`;

  it('a bulk item with email "invalid-email" fails with exactly the docs\' error at the top of the body', async () => {
    const res = await send('POST', '/api/v1/users/bulk', '[{ "name": "Alice Smith", "email": "invalid-email" }]');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: unknown };
    expect(body.error).toEqual((JSON.parse(DOC_ERROR) as { error: unknown }).error);
  });

  it('the client reads the error\'s details.field as the failing field', async () => {
    const source = GenericSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    const [result] = await source.createUsers([{ email: 'invalid-email', firstName: 'Alice', lastName: 'Smith' }], call());
    expect(result?.error).toEqual({ code: 'INVALID_INPUT', message: 'The provided email address is not valid.', field: 'email' });
  });
});
