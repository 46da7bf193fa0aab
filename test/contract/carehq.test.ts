/**
 * CareHQ's API reference (shared/vendor-docs/carehq.txt) and the signing vectors vendors.md lists, computed
 * with the official Python SDK's own functions, replayed against the simulator over HTTP and through
 * CareHqSource. Header names, paths, vectors and error shapes are literal strings from the docs; the test signs
 * its own requests with node:crypto rather than the project's signer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCareHqSimulator, type CareHqSimulator } from '../../src/simulators/carehq/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { CareHqSource } from '../../src/vendors/carehq/index.ts';

/** vendors.md: secret `s3cr3t-demo`, timestamp `1764633600`. */
const SECRET = 's3cr3t-demo';
const TIMESTAMP = '1764633600';
const CREDENTIALS = { accountId: 'acct-docs', apiKey: 'key-docs', apiSecret: SECRET };
const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

let sim: CareHqSimulator;
let origin = '';

/** The docs' headers; `signature` given for the vectors, else an HMAC the test computes itself. */
function signed(
  method: string,
  path: string,
  params: Array<[string, string]>,
  nonce = randomBytes(12).toString('base64url'),
  signature?: string,
): Promise<Response> {
  const lines = [...params].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
  const toSign = [TIMESTAMP, nonce, method, `/v1/${path}`, lines.join('\n')].join('\n');
  const headers: Record<string, string> = {
    'X-CareHQ-AccountId': CREDENTIALS.accountId,
    'X-CareHQ-APIKey': CREDENTIALS.apiKey,
    'X-CareHQ-Nonce': nonce,
    'X-CareHQ-Signature': signature ?? createHmac('sha256', SECRET).update(toSign).digest('hex'),
    'X-CareHQ-Signature-Version': '2.0',
    'X-CareHQ-Timestamp': TIMESTAMP,
    Accept: 'application/json',
  };
  const encoded = new URLSearchParams(params).toString();
  if (method === 'GET' || method === 'DELETE') {
    return fetch(`${origin}/v1/${path}${encoded ? `?${encoded}` : ''}`, { method, headers });
  }
  // "The API accepts URL-encoded form data."
  return fetch(`${origin}/v1/${path}`, {
    method,
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: encoded,
  });
}

beforeAll(async () => {
  // The simulator's clock stands at the vectors' timestamp, so they are fresh.
  sim = await startCareHqSimulator({ credentials: CREDENTIALS, clock: () => Number(TIMESTAMP) * 1000, perSecond: 10_000, enquiries: 25, users: 12 });
  origin = new URL(sim.baseUrl).origin;
});
afterAll(() => sim.close());

describe('vendors.md signing vectors, sent to the simulator with their literal signatures', () => {
  it('vector 1: GET care-enquiries page=2, per_page=100, sort_by=-created, filters-funding_type=private', async () => {
    const res = await signed(
      'GET',
      'care-enquiries',
      [['page', '2'], ['per_page', '100'], ['sort_by', '-created'], ['filters-funding_type', 'private']],
      'abcDEF123_-xyz987',
      'ffd98d478370ce0f2010c7cdc39ba47a932b4849bb921f3e1fa74aaf1ed904ba',
    );
    expect(res.status).toBe(200);
    // List response (docs: `items`): page 2 of 100 holds nothing when there are fewer than 101.
    expect(await res.json()).toMatchObject({ items: [], page: 2, per_page: 100 });
  });

  it('vector 2: PUT care-enquiries with the form first_name=Edith, last_name=Crawley, email=edith@example.org creates the enquiry', async () => {
    const res = await signed(
      'PUT',
      'care-enquiries',
      [['first_name', 'Edith'], ['last_name', 'Crawley'], ['email', 'edith@example.org']],
      'nonce-2',
      '0beca20df92db1bfe66c8970a821af578d5d3d9a8597ff4afaf86c51850256ec',
    );
    expect(res.status).toBe(200);
    // "it answers with the created record, `_id` included" (vendors.md, observed).
    expect(await res.json()).toMatchObject({ _id: expect.any(String), first_name: 'Edith', last_name: 'Crawley', email: 'edith@example.org' });
  });

  it('vector 3: GET users with attributes=[first_name, last_name], page=1 returns only those fields', async () => {
    const res = await signed(
      'GET',
      'users',
      [['attributes', 'first_name'], ['attributes', 'last_name'], ['page', '1']],
      'nonce-3',
      'd8abf1e6973a8e26de8b9a70266839974cbf50becde5cb0b1f866aefa0380557',
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<Record<string, unknown>> };
    expect(body.items.length).toBeGreaterThan(0);
    // Reading taken: `_id` always comes back, as MongoDB projections (CareHQ's store) include it unasked.
    for (const item of body.items) expect(Object.keys(item).sort()).toEqual(['_id', 'first_name', 'last_name']);
  });

  it('a vector with one character of its signature changed is refused with 401', async () => {
    const res = await signed('GET', 'care-enquiries', [['page', '2'], ['per_page', '100'], ['sort_by', '-created'], ['filters-funding_type', 'private']], 'fresh-nonce-1', 'ffd98d478370ce0f2010c7cdc39ba47a932b4849bb921f3e1fa74aaf1ed904bb');
    expect(res.status).toBe(401);
  });

  it('assumption: a nonce already used is refused with 401, even with a valid signature (the docs only call it random)', async () => {
    const res = await signed('GET', 'users', [['attributes', 'first_name'], ['attributes', 'last_name'], ['page', '1']], 'nonce-3', 'd8abf1e6973a8e26de8b9a70266839974cbf50becde5cb0b1f866aefa0380557');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error_type: expect.any(String), hint: expect.any(String) });
  });
});

describe('CareHQ docs: the SDK examples', () => {
  it("api_client('GET', 'care-enquiries') answers a page of at most 10 (\"By default pages contain a maximum of 10 resources\")", async () => {
    const res = await signed('GET', 'care-enquiries', []);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: unknown[]; page: number; per_page: number };
    expect(body.items).toHaveLength(10);
    expect(body).toMatchObject({ page: 1, per_page: 10 });
  });

  it('"this number can be increased to 100": per_page=100 is accepted, 101 is refused with arg_errors', async () => {
    expect((await signed('GET', 'care-enquiries', [['per_page', '100']])).status).toBe(200);
    const res = await signed('GET', 'care-enquiries', [['per_page', '101']]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ hint: expect.any(String), arg_errors: { per_page: [expect.any(String)] } });
  });

  it("the list's default order is by ['_id'] (reading of the docs' parameter table: sort_by ['_id'], page 1, per_page 10)", async () => {
    const body = (await (await signed('GET', 'care-enquiries', [['per_page', '100']])).json()) as { items: Array<{ _id: string }> };
    const ids = body.items.map((item) => item._id);
    expect(ids).toEqual([...ids].sort());
  });

  // The C# example lists `absences` with four attributes; that resource is not one we serve.
  it('assumption: GET absences (the C# example) is not served, answered 404 with error_type and hint', async () => {
    const res = await signed('GET', 'absences', [['attributes', 'ends'], ['attributes', 'notes'], ['attributes', 'reason_for_absence'], ['attributes', 'starts']]);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_type: expect.any(String), hint: expect.any(String) });
  });
});

describe('CareHQ docs: rate limit of 10 requests per second per API key', () => {
  it('every answer carries X-CareHQ-RateLimit-Limit, -Remaining and -Reset, and the 11th request in a second is 429', async () => {
    const limited = await startCareHqSimulator({ credentials: CREDENTIALS, clock: () => Number(TIMESTAMP) * 1000 + 250 });
    const previous = origin;
    origin = new URL(limited.baseUrl).origin;
    try {
      const answers: Response[] = [];
      for (let i = 0; i < 11; i += 1) answers.push(await signed('GET', 'users', []));
      expect(answers.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(answers[0]?.headers.get('X-CareHQ-RateLimit-Limit')).toBe('10');
      expect(answers[0]?.headers.get('X-CareHQ-RateLimit-Remaining')).toBe('9');
      // "epoch seconds, may be fractional" (vendors.md).
      expect(Number(answers[0]?.headers.get('X-CareHQ-RateLimit-Reset'))).toBeGreaterThan(Number(TIMESTAMP));
      expect(answers[10]?.status).toBe(429);
      // "Always send a JSON body": the SDK parses the body even of an error.
      expect(await answers[10]?.json()).toMatchObject({ error_type: expect.any(String), hint: expect.any(String) });
    } finally {
      origin = previous;
      await limited.close();
    }
  });
});

describe('CareHQ docs: errors ("4xx ... the request", arg_errors as lists of strings)', () => {
  it('a PUT with an invalid email answers 400 {"error_type":"invalid_request","hint":...,"arg_errors":{"email":["Not a valid email."]}}', async () => {
    const res = await signed('PUT', 'care-enquiries', [['first_name', 'Edith'], ['email', 'not-an-email']]);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error_type: 'invalid_request', hint: expect.any(String), arg_errors: { email: ['Not a valid email.'] } });
  });

  it('"a requested resource does not exist": GET care-enquiries/{id} for an unknown id answers 404 with a hint', async () => {
    const res = await signed('GET', 'care-enquiries/000000000000000000000000', []);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ hint: expect.any(String) });
  });

  it('a DELETE answers a JSON body, as the SDKs parse one even on 204 (vendors.md)', async () => {
    const [id = ''] = sim.store.enquiries.keys();
    const res = await signed('DELETE', `care-enquiries/${id}`, []);
    expect(res.status).toBeLessThan(300);
    expect(await res.text()).not.toBe('');
  });
});

describe('the client, against the same documented surface', () => {
  it('sends the docs\' seven headers, signature version 2.0 and integer epoch-second timestamps, never the secret', async () => {
    const source = CareHqSource.create(new UpstreamCore({ clock: { now: () => Number(TIMESTAMP) * 1000 } }), {
      baseUrl: sim.baseUrl,
      credentials: CREDENTIALS,
      cacheTtlMs: 0,
    });
    await source.users(call()).page(0);
    const sent = sim.log.filter((e) => e.method === 'GET' && e.path === 'users').at(-1);
    expect(sent?.status).toBe(200);
    expect(sent?.headers).toMatchObject({
      'x-carehq-accountid': 'acct-docs',
      'x-carehq-apikey': 'key-docs',
      'x-carehq-nonce': expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      'x-carehq-signature': expect.stringMatching(/^[0-9a-f]{64}$/),
      'x-carehq-signature-version': '2.0',
      'x-carehq-timestamp': TIMESTAMP,
      accept: 'application/json',
    });
    expect(JSON.stringify(sent)).not.toContain(SECRET);
    expect(new URLSearchParams(sent?.query).get('per_page')).toBe('100');
  });

  it('creates an enquiry with PUT care-enquiries and a URL-encoded form body', async () => {
    const source = CareHqSource.create(new UpstreamCore({ clock: { now: () => Number(TIMESTAMP) * 1000 } }), {
      baseUrl: sim.baseUrl,
      credentials: CREDENTIALS,
      cacheTtlMs: 0,
    });
    await source.createEnquiry({ firstName: 'Edith', lastName: 'Crawley', email: 'edith@example.org' }, call());
    const sent = sim.log.filter((e) => e.method === 'PUT' && e.path === 'care-enquiries').at(-1);
    expect(sent?.status).toBe(200);
    expect(sent?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(new URLSearchParams(sent?.body).get('email')).toBe('edith@example.org');
  });
});

describe('enquiry filters and order: "filters-<name>" over a record\'s fields, "sort by a field" (docs), and our readings beyond', () => {
  let strict: CareHqSimulator;
  beforeAll(async () => {
    strict = await startCareHqSimulator({ strict: true, credentials: CREDENTIALS, clock: () => Number(TIMESTAMP) * 1000, perSecond: 10_000, enquiries: 25, users: 12 });
  });
  afterAll(() => strict.close());

  /** The same signed GET against the strict simulator. */
  async function strictGet(params: Array<[string, string]>): Promise<Response> {
    const saved = origin;
    origin = new URL(strict.baseUrl).origin;
    try {
      return await signed('GET', 'care-enquiries', params);
    } finally {
      origin = saved;
    }
  }
  type Page = { items: Array<{ _id: string; created: string; location: string | null; assigned_to: string | null }>; total_items: number };

  it('filters-location (location is a documented field) answers only that location\'s enquiries, strict or not', async () => {
    const location = [...sim.store.enquiries.values()].find((e) => e.location)?.location ?? '';
    for (const [server, get] of [
      [sim, (p: Array<[string, string]>) => signed('GET', 'care-enquiries', p)],
      [strict, strictGet],
    ] as const) {
      const res = await get([['filters-location', location], ['per_page', '100']]);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      expect(page.items.map((e) => e._id).sort()).toEqual([...server.store.enquiries.values()].filter((e) => e.location === location).map((e) => e._id).sort());
    }
  });

  it('sort_by=-created (the signing vector\'s own order) is served strict: newest first', async () => {
    const page = (await (await strictGet([['sort_by', '-created'], ['per_page', '100']])).json()) as Page;
    const created = page.items.map((e) => e.created);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('assumption: filters-created_from and filters-created_to (ISO 8601, both inclusive) bound `created`; strict drops them as unknown (no field has those names)', async () => {
    const sorted = [...sim.store.enquiries.values()].map((e) => e.created).sort();
    const [from, to] = [sorted[5] ?? '', sorted[9] ?? ''];
    const params: Array<[string, string]> = [['filters-created_from', from], ['filters-created_to', to], ['per_page', '100']];
    const ours = (await (await signed('GET', 'care-enquiries', params)).json()) as Page;
    expect(ours.items.map((e) => e.created).sort()).toEqual(sorted.slice(5, 10));
    const res = await strictGet(params);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Page).total_items).toBe(strict.store.enquiries.size);
  });

  it('assumption: a repeated filters-assigned_to means any of them; strict refuses the list with 400 and arg_errors on the filter', async () => {
    const users = [...new Set([...sim.store.enquiries.values()].map((e) => e.assigned_to).filter((id): id is string => id !== null))].slice(0, 2);
    expect(users).toHaveLength(2);
    const params: Array<[string, string]> = [...users.map((id): [string, string] => ['filters-assigned_to', id]), ['per_page', '100']];
    const ours = (await (await signed('GET', 'care-enquiries', params)).json()) as Page;
    expect(ours.items.map((e) => e._id).sort()).toEqual([...sim.store.enquiries.values()].filter((e) => e.assigned_to !== null && users.includes(e.assigned_to)).map((e) => e._id).sort());
    const res = await strictGet(params);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error_type: 'invalid_request', hint: expect.any(String) as unknown, arg_errors: { 'filters-assigned_to': ['Not a valid value.'] } });
    // One value is the documented field filter, served strict.
    expect((await strictGet([['filters-assigned_to', users[0] ?? '']])).status).toBe(200);
  });
});
