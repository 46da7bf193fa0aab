import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCareHqSimulator, type CareHqCredentials, type CareHqSimulator } from '../../src/simulators/carehq/server.ts';
import { buildCareHqSeed } from '../../src/simulators/carehq/seed.ts';
import { carehqCli } from '../../src/simulators/carehq/cli-entry.ts';
import { FUNDING_TYPES, LOCATION_ROLES, type CareHqEnquiry, type CareHqPage } from '../../src/vendors/carehq/wire.ts';

type Params = Record<string, string | string[]>;

interface CallOptions {
  params?: Params;
  secret?: string;
  /** Epoch seconds to sign with; defaults to the simulator's pinned clock. */
  timestamp?: string;
  nonce?: string;
  legacy?: boolean;
  credentials?: CareHqCredentials;
}

// Written from the official Python SDK (signature version 2.0), independently of the simulator's verifier.
function flatten(params: Params): Array<[string, string]> {
  return Object.keys(params)
    .sort()
    .flatMap((key) => {
      const raw = params[key] ?? [];
      return [...(Array.isArray(raw) ? raw : [raw])].sort().map((value): [string, string] => [key, value]);
    });
}

function signHeaders(method: string, path: string, options: CallOptions, nowSeconds: number): Record<string, string> {
  const credentials = options.credentials ?? sim.credentials;
  const secret = options.secret ?? credentials.apiSecret;
  const timestamp = options.timestamp ?? String(Math.floor(nowSeconds));
  const pairs = flatten(options.params ?? {});
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'X-CareHQ-AccountId': credentials.accountId,
    'X-CareHQ-APIKey': credentials.apiKey,
    'X-CareHQ-Timestamp': timestamp,
  };
  if (options.legacy) {
    const body = pairs.map(([k, v]) => `${k}${v}`).join('');
    headers['X-CareHQ-Signature'] = createHash('sha1').update(`${timestamp}${body}${secret}`).digest('hex');
    return headers;
  }
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const toSign = [timestamp, nonce, method, `/v1/${path}`, pairs.map(([k, v]) => `${k}=${v}`).join('\n')].join('\n');
  headers['X-CareHQ-Nonce'] = nonce;
  headers['X-CareHQ-Signature-Version'] = '2.0';
  headers['X-CareHQ-Signature'] = createHmac('sha256', secret).update(toSign).digest('hex');
  return headers;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = signHeaders(method, path, options, now / 1000);
  const encoded = new URLSearchParams(flatten(options.params ?? {})).toString();
  const url = `${sim.baseUrl}/${path}${method === 'GET' && encoded ? `?${encoded}` : ''}`;
  if (method === 'GET') return fetch(url, { method, headers });
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return fetch(url, { method, headers, body: encoded });
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

interface ErrorBody {
  error_type: string;
  hint: string;
  arg_errors?: Record<string, string[]>;
}

let sim: CareHqSimulator;
// Pinned so rate-limit windows and timestamp checks do not depend on how fast the machine is.
let now = Date.UTC(2026, 5, 1, 12, 0, 0);

beforeAll(async () => {
  sim = await startCareHqSimulator({ clock: () => now });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  // Each test gets a fresh one-second window.
  now += 1000;
  sim.limits.perSecond = 10;
});

describe('CareHQ simulator: signing', () => {
  it('accepts a v2 signed GET and answers the first page with rate-limit headers', async () => {
    const res = await call('GET', 'care-enquiries');
    expect(res.status).toBe(200);
    const page = await json<CareHqPage<CareHqEnquiry>>(res);
    expect(page).toMatchObject({ page: 1, per_page: 10, total_items: 253, total_pages: 26 });
    expect(page.items).toHaveLength(10);
    expect(res.headers.get('x-carehq-ratelimit-limit')).toBe('10');
    expect(res.headers.get('x-carehq-ratelimit-remaining')).toBe('9');
    expect(Number(res.headers.get('x-carehq-ratelimit-reset'))).toBe(Math.floor(now / 1000) + 1);
  });

  it('signs repeated and unsorted query parameters in canonical order', async () => {
    const res = await call('GET', 'care-enquiries', {
      params: { per_page: '5', attributes: ['last_name', 'email', 'first_name'], sort_by: '-created' },
    });
    expect(res.status).toBe(200);
  });

  it('rejects a wrong secret with 401 in the vendor shape, never echoing the secret', async () => {
    const res = await call('GET', 'users', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const body = await json<ErrorBody>(res);
    expect(body.error_type).toBe('unauthorized');
    expect(body.hint).toMatch(/signature/i);
    expect(JSON.stringify(body)).not.toContain(sim.credentials.apiSecret);
    // The key is known, so the answer still reports the window.
    expect(res.headers.get('x-carehq-ratelimit-limit')).toBe('10');
  });

  it.each([
    ['an unknown API key', { ...{ accountId: 'sim-demo-account', apiKey: 'who-is-this', apiSecret: 'x' } }],
    ['an unknown account id', { accountId: 'someone-else', apiKey: 'sim-demo-api-key', apiSecret: 'sim-demo-secret-not-real' }],
  ])('rejects %s with 401', async (_name, credentials) => {
    const res = await call('GET', 'users', { credentials });
    expect(res.status).toBe(401);
    expect((await json<ErrorBody>(res)).hint).toMatch(/unknown account id or api key/i);
  });

  it('rejects a timestamp more than 300 s from the clock as stale', async () => {
    const res = await call('GET', 'users', { timestamp: String(Math.floor(now / 1000) - 301) });
    expect(res.status).toBe(401);
    expect((await json<ErrorBody>(res)).hint).toMatch(/stale timestamp/i);
    const within = await call('GET', 'users', { timestamp: String(Math.floor(now / 1000) - 299) });
    expect(within.status).toBe(200);
  });

  it('rejects a replayed nonce', async () => {
    const nonce = 'replay-me-once';
    expect((await call('GET', 'users', { nonce })).status).toBe(200);
    const replay = await call('GET', 'users', { nonce });
    expect(replay.status).toBe(401);
    expect((await json<ErrorBody>(replay)).hint).toMatch(/nonce/i);
  });

  it('accepts the legacy SHA-1 scheme without a version header', async () => {
    const res = await call('GET', 'care-enquiries', { legacy: true, params: { page: '2', 'filters-q': 'smith' } });
    expect(res.status).toBe(200);
    expect((await json<CareHqPage<CareHqEnquiry>>(res)).page).toBe(2);
    const wrong = await call('GET', 'care-enquiries', { legacy: true, secret: 'nope' });
    expect(wrong.status).toBe(401);
  });
});

describe('CareHQ simulator: care enquiries', () => {
  it('creates an enquiry from a signed PUT form and answers the record with its _id', async () => {
    const user = [...sim.store.users.values()][0];
    const res = await call('PUT', 'care-enquiries', {
      params: {
        first_name: 'Edith',
        last_name: 'Crawley',
        email: 'edith.crawley@example.co.uk',
        dob: '1941-02-28',
        genders: 'female',
        care_requirements: ['respite', 'dementia'],
        enquiring_for_self: 'True',
        dementia: '0',
        funding_type: 'chc',
        assigned_to: user?._id ?? '',
      },
    });
    expect(res.status).toBe(200);
    const created = await json<CareHqEnquiry>(res);
    expect(created._id).toMatch(/^[0-9a-f]{24}$/);
    expect(parseInt(created._id.slice(0, 8), 16)).toBe(Math.floor(now / 1000));
    expect(created).toMatchObject({
      first_name: 'Edith',
      care_requirements: ['dementia', 'respite'],
      enquiring_for_self: true,
      dementia: false,
      assigned_to: user?._id,
      anonymized: false,
      created: new Date(now).toISOString(),
    });
    expect(sim.store.enquiries.get(created._id)).toEqual(created);

    const fetched = await call('GET', `care-enquiries/${created._id}`);
    expect(await json<CareHqEnquiry>(fetched)).toEqual(created);
  });

  it.each([
    ['email', { first_name: 'Ann', email: 'not-an-email' }],
    ['funding_type', { first_name: 'Ann', funding_type: 'lottery' }],
    ['dob', { first_name: 'Ann', dob: '1950-02-30' }],
    ['dementia', { first_name: 'Ann', dementia: 'yes' }],
    ['assigned_to', { first_name: 'Ann', assigned_to: 'aaaaaaaaaaaaaaaaaaaaaaaa' }],
    ['favourite_colour', { first_name: 'Ann', favourite_colour: 'blue' }],
    ['first_name', { email: 'nameless@example.com' }],
  ])('rejects a bad %s with 400 and arg_errors', async (field, params) => {
    const before = sim.store.enquiries.size;
    const res = await call('PUT', 'care-enquiries', { params });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error_type).toBe('invalid_request');
    expect(body.arg_errors?.[field]?.length).toBeGreaterThan(0);
    expect(sim.store.enquiries.size).toBe(before);
  });

  it('patches a field, bumps modified, and clears a field sent empty', async () => {
    const target = [...sim.store.enquiries.values()].find((e) => e.phone !== null);
    if (!target) throw new Error('seed should have an enquiry with a phone number');
    const res = await call('PATCH', `care-enquiries/${target._id}`, { params: { funding_type: 'private', phone: '' } });
    expect(res.status).toBe(200);
    const body = await json<CareHqEnquiry>(res);
    expect(body).toMatchObject({ _id: target._id, funding_type: 'private', phone: null, created: target.created });
    expect(body.modified).toBe(new Date(now).toISOString());
  });

  it('deletes with 200 and an empty JSON object, then answers 404 in the vendor shape', async () => {
    const target = [...sim.store.enquiries.keys()].at(-1) ?? '';
    const res = await call('DELETE', `care-enquiries/${target}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const again = await call('GET', `care-enquiries/${target}`);
    expect(again.status).toBe(404);
    expect(await json<ErrorBody>(again)).toMatchObject({ error_type: 'not_found' });
  });

  it('answers an unknown path with the vendor 404', async () => {
    const res = await call('GET', 'care-homes');
    expect(res.status).toBe(404);
    expect((await json<ErrorBody>(res)).error_type).toBe('not_found');
  });
});

describe('CareHQ simulator: lists', () => {
  it('pages through every record sorted by _id, i.e. by creation', async () => {
    const res = await call('GET', 'users', { params: { page: '3', per_page: '10' } });
    const page = await json<CareHqPage<{ _id: string }>>(res);
    expect(page).toMatchObject({ page: 3, per_page: 10, total_items: 24, total_pages: 3 });
    expect(page.items).toHaveLength(4);
    const all = [...sim.store.users.keys()].sort();
    expect(page.items.map((u) => u._id)).toEqual(all.slice(20));
  });

  it('sorts descending with a leading minus', async () => {
    const res = await call('GET', 'users', { params: { sort_by: '-_id', per_page: '3' } });
    const page = await json<CareHqPage<{ _id: string }>>(res);
    expect(page.items.map((u) => u._id)).toEqual([...sim.store.users.keys()].sort().reverse().slice(0, 3));
  });

  it.each([['101'], ['0'], ['ten']])('rejects per_page=%s with arg_errors.per_page', async (perPage) => {
    const res = await call('GET', 'care-enquiries', { params: { per_page: perPage } });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).arg_errors?.per_page).toHaveLength(1);
  });

  it('accepts per_page=100', async () => {
    const res = await call('GET', 'care-enquiries', { params: { per_page: '100', page: '3' } });
    const page = await json<CareHqPage<CareHqEnquiry>>(res);
    expect(page.items).toHaveLength(page.total_items - 200);
  });

  it('projects with repeated attributes, always keeping _id', async () => {
    const res = await call('GET', 'care-enquiries', { params: { attributes: ['first_name', 'email'], per_page: '3' } });
    const page = await json<CareHqPage<Record<string, unknown>>>(res);
    expect(page.items).toHaveLength(3);
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual(['_id', 'email', 'first_name']);
  });

  it('rejects an attribute that is not a field', async () => {
    const res = await call('GET', 'users', { params: { attributes: ['first_name', 'password'] } });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).arg_errors?.attributes?.[0]).toContain('password');
  });

  it('fetches several users at once with repeated filters-ids', async () => {
    const ids = [...sim.store.users.keys()].filter((_, i) => i % 7 === 0);
    const res = await call('GET', 'users', { params: { 'filters-ids': ids, per_page: '100' } });
    const page = await json<CareHqPage<{ _id: string }>>(res);
    expect(page.total_items).toBe(ids.length);
    expect(page.items.map((u) => u._id).sort()).toEqual([...ids].sort());
  });

  it('searches a record as it is now, also after it was changed in place or replaced', async () => {
    const search = async (term: string) =>
      (await json<CareHqPage<CareHqEnquiry>>(await call('GET', 'care-enquiries', { params: { 'filters-q': term, per_page: '100' } }))).items.map((e) => e._id);
    const [id, record] = [...sim.store.enquiries.entries()][3] ?? [];
    if (!id || !record) throw new Error('seed should have enquiries');
    const original = record.first_name;
    expect(await search('Zebedeeinplace')).toEqual([]);
    record.first_name = 'Zebedeeinplace';
    expect(await search('zebedeeinplace')).toEqual([id]);
    sim.store.enquiries.set(id, { ...record, first_name: 'Quentinreplaced' });
    expect(await search('zebedeeinplace')).toEqual([]);
    expect(await search('QUENTINREPLACED')).toEqual([id]);
    sim.store.enquiries.set(id, { ...record, first_name: original });
  });

  it('filters by funding type, assignee and case-insensitive search', async () => {
    const enquiries = [...sim.store.enquiries.values()];
    const sample = enquiries.find((e) => e.assigned_to !== null && e.last_name !== null);
    if (!sample?.assigned_to || !sample.last_name) throw new Error('seed should have an assigned, named enquiry');
    const res = await call('GET', 'care-enquiries', {
      params: { 'filters-assigned_to': sample.assigned_to, 'filters-q': sample.last_name.toUpperCase(), per_page: '100' },
    });
    const page = await json<CareHqPage<CareHqEnquiry>>(res);
    const expected = enquiries.filter(
      (e) =>
        e.assigned_to === sample.assigned_to &&
        [e.first_name, e.last_name, e.email].some((v) => v?.toLowerCase().includes(sample.last_name?.toLowerCase() ?? '')),
    );
    expect(page.items.map((e) => e._id).sort()).toEqual(expected.map((e) => e._id).sort());

    const chc = await json<CareHqPage<CareHqEnquiry>>(
      await call('GET', 'care-enquiries', { params: { 'filters-funding_type': 'chc', per_page: '100' } }),
    );
    expect(chc.total_items).toBe(enquiries.filter((e) => e.funding_type === 'chc').length);
    expect(chc.items.every((e) => e.funding_type === 'chc')).toBe(true);
    const bad = await call('GET', 'care-enquiries', { params: { 'filters-funding_type': 'lottery' } });
    expect(bad.status).toBe(400);
  });
});

describe('CareHQ simulator: rate limit and faults', () => {
  it('answers the 11th request in one second with 429 and the rate-limit headers', async () => {
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 10; i += 1) {
      const res = await call('GET', 'users', { params: { per_page: '1' } });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-carehq-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
    const limited = await call('GET', 'users');
    expect(limited.status).toBe(429);
    expect(await json<ErrorBody>(limited)).toMatchObject({ error_type: 'rate_limit_exceeded' });
    expect(limited.headers.get('x-carehq-ratelimit-limit')).toBe('10');
    expect(limited.headers.get('x-carehq-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-carehq-ratelimit-reset'))).toBe(Math.floor(now / 1000) + 1);

    now += 1000;
    expect((await call('GET', 'users')).status).toBe(200);
  });

  it('reads limits.perSecond live', async () => {
    sim.limits.perSecond = 2;
    expect((await call('GET', 'users')).status).toBe(200);
    expect((await call('GET', 'users')).status).toBe(200);
    const res = await call('GET', 'users');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-carehq-ratelimit-limit')).toBe('2');
  });

  it('answers an injected 5xx in the vendor shape, once', async () => {
    sim.faults.serverErrors = 1;
    const res = await call('GET', 'users');
    expect(res.status).toBe(500);
    expect(await json<ErrorBody>(res)).toMatchObject({ error_type: 'api_error' });
    expect((await call('GET', 'users')).status).toBe(200);
  });

  it('answers an injected 429 burst with the rate-limit body and Remaining 0', async () => {
    sim.faults.rateLimitBurst = 1;
    const res = await call('GET', 'users');
    expect(res.status).toBe(429);
    expect(await json<ErrorBody>(res)).toMatchObject({ error_type: 'rate_limit_exceeded' });
    expect(res.headers.get('x-carehq-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-carehq-ratelimit-limit')).toBe('10');
  });
});

describe('CareHQ seed and CLI entry', () => {
  it('is deterministic and covers every funding type and location role', () => {
    const a = buildCareHqSeed({ seed: 1, enquiries: 253, users: 24 });
    const b = buildCareHqSeed({ seed: 1, enquiries: 253, users: 24 });
    expect([...a.enquiries.values()]).toEqual([...b.enquiries.values()]);
    const enquiries = [...a.enquiries.values()];
    expect(new Set(enquiries.map((e) => e.funding_type))).toEqual(new Set(FUNDING_TYPES));
    expect(new Set([...a.users.values()].map((u) => u.location_role))).toEqual(new Set(LOCATION_ROLES));
    const ids = [...a.enquiries.keys()];
    expect(ids).toEqual([...ids].sort());
    expect(enquiries.every((e) => e.location !== null && a.locations.includes(e.location))).toBe(true);
    const assigned = enquiries.filter((e) => e.assigned_to !== null).length / enquiries.length;
    expect(assigned).toBeGreaterThan(0.65);
    expect(assigned).toBeLessThan(0.95);
  });

  it('reads all three env variables or none', () => {
    expect(carehqCli.envCredentials({})).toBeUndefined();
    expect(carehqCli.envCredentials({ CAREHQ_ACCOUNT_ID: 'a', CAREHQ_API_KEY: 'k', CAREHQ_API_SECRET: 's' })).toEqual({
      accountId: 'a',
      apiKey: 'k',
      apiSecret: 's',
    });
    expect(() => carehqCli.envCredentials({ CAREHQ_API_KEY: 'k' })).toThrow(/CAREHQ_ACCOUNT_ID, CAREHQ_API_SECRET/);
  });

  it('rejects bad options with a message naming what was expected', async () => {
    await expect(startCareHqSimulator({ perSecond: -1 })).rejects.toThrow('expected options.perSecond to be a whole number >= 0, got -1');
  });
});
