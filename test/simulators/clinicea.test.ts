import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliniceaCli } from '../../src/simulators/clinicea/cli-entry.ts';
import {
  CLINICEA_DEMO_CREDENTIALS,
  CLINICEA_DEMO_USER,
  startCliniceaSimulator,
  type CliniceaSimulator,
  type CliniceaSimulatorOptions,
} from '../../src/simulators/clinicea/server.ts';
import { CLINICEA_NULL_DATE, type CliniceaErrorBody, type CliniceaLead } from '../../src/vendors/clinicea/wire.ts';

/** Seeded data ends at SEED_ANCHOR (09:00); the tests' "now" is later the same day. */
const T0 = Date.parse('2026-06-01T12:00:00Z');
const KEY = CLINICEA_DEMO_CREDENTIALS.apiKey;

let now = T0;
const clock = () => now;

const started: CliniceaSimulator[] = [];
async function start(options: CliniceaSimulatorOptions = {}): Promise<CliniceaSimulator> {
  // Requests in these tests share one pinned second, so the rate limit is out of the way unless a test sets it.
  const sim = await startCliniceaSimulator({ clock, perSecond: 10_000, ...options });
  started.push(sim);
  return sim;
}

function call(sim: CliniceaSimulator, path: string, init: RequestInit & { key?: string | null } = {}) {
  const { key = KEY, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null) headers.set('api', key);
  if (rest.body !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${sim.baseUrl}/${path}`, { ...rest, headers });
}

async function leads(sim: CliniceaSimulator, query: string): Promise<CliniceaLead[]> {
  const res = await call(sim, `leads?${query}`);
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  return (await res.json()) as CliniceaLead[];
}

async function walk(sim: CliniceaSimulator, query: string, firstPage = 0): Promise<CliniceaLead[][]> {
  const pages: CliniceaLead[][] = [];
  for (let page = firstPage; ; page += 1) {
    const rows = await leads(sim, `${query}&intPageNo=${page}`);
    if (rows.length === 0) return pages;
    pages.push(rows);
  }
}

async function expectError(res: Response, status: number, message?: string | RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as CliniceaErrorBody;
  expect(Object.keys(body)).toEqual(['Message']);
  if (message !== undefined) expect(body.Message).toMatch(message);
  else expect(body.Message.length).toBeGreaterThan(0);
}

afterEach(() => {
  now = T0;
});

afterAll(async () => {
  await Promise.all(started.map((sim) => sim.close()));
});

describe('a read-only Clinicea', () => {
  let sim: CliniceaSimulator;
  beforeAll(async () => {
    sim = await start();
  });

  it('serves under the real prefix', () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  });

  it.each([
    ['no api header', null],
    ['a wrong key', 'not-the-key'],
    ['the key with different case', KEY.toUpperCase()],
  ])('rejects %s with 401 in the ASP.NET shape', async (_, key) => {
    await expectError(await call(sim, 'leads', { key }), 401, /^Authorization has been denied for this request\.$/);
  });

  it('accepts the key in the api header', async () => {
    const res = await call(sim, 'leads');
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
  });

  it('pages 345 leads by 100 from page 0, ends with a short page, then 204 with no body', async () => {
    const pages = await walk(sim, '');
    expect(pages.map((p) => p.length)).toEqual([100, 100, 100, 45]);
    const ids = pages.flat().map((lead) => Number(lead.LeadID));
    expect(new Set(ids).size).toBe(345);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(pages.flat().every((lead) => lead.DataStatusStr === 'None')).toBe(true);

    const past = await call(sim, 'leads?intPageNo=4');
    expect(past.status).toBe(204);
    expect(await past.text()).toBe('');
  });

  it('answers the first page when intPageNo is missing', async () => {
    expect(await leads(sim, '')).toEqual(await leads(sim, 'intPageNo=0'));
  });

  it.each(['-1', 'abc', '1.5', ''])('rejects intPageNo=%j with 400', async (value) => {
    await expectError(await call(sim, `leads?intPageNo=${value}`), 400, /intPageNo/);
  });

  it('returns only leads created within startRange..endRange, both days included', async () => {
    const expected = [...sim.store.leads.values()]
      .filter((lead) => lead.CreatedDatetime >= '2025-03-01' && lead.CreatedDatetime < '2025-04-01')
      .map((lead) => lead.LeadID);
    expect(expected.length).toBeGreaterThan(5);

    const rows = (await walk(sim, 'startRange=20250301&endRange=20250331')).flat();
    expect(rows.map((lead) => lead.LeadID)).toEqual(expected);
  });

  it('filters on one bound alone', async () => {
    const rows = (await walk(sim, 'startRange=20260501')).flat();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((lead) => lead.CreatedDatetime >= '2026-05-01')).toBe(true);
    const all = [...sim.store.leads.values()].filter((lead) => lead.CreatedDatetime >= '2026-05-01');
    expect(rows).toHaveLength(all.length);
  });

  it.each([
    ['startRange', '2025-03-01'],
    ['startRange', '20251301'],
    ['endRange', '2025031'],
    ['endRange', '20250230'],
  ])('rejects %s=%s with 400', async (name, value) => {
    await expectError(await call(sim, `leads?${name}=${value}`), 400, new RegExp(name));
  });

  it('rejects a range that ends before it starts', async () => {
    await expectError(await call(sim, 'leads?startRange=20250401&endRange=20250301'), 400);
  });

  it('sends unset dates as the 0001-01-01T00:00:00 sentinel on about 5% of leads', async () => {
    const all = (await walk(sim, '')).flat();
    const unset = all.filter((lead) => lead.ModifiedDatetime === CLINICEA_NULL_DATE);
    expect(unset.length).toBeGreaterThan(3);
    expect(unset.length).toBeLessThan(35);
    const dated = all.filter((lead) => lead.ModifiedDatetime !== CLINICEA_NULL_DATE);
    expect(dated.every((lead) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(lead.ModifiedDatetime))).toBe(true);
    expect(dated.every((lead) => lead.ModifiedDatetime >= lead.CreatedDatetime)).toBe(true);
  });

  it('gives seeded leads realistic, PascalCase fields', async () => {
    const [lead] = await leads(sim, '');
    expect(Object.keys(lead ?? {}).sort()).toEqual(
      [
        'LeadID', 'FirstName', 'LastName', 'Email', 'Mobile', 'Source', 'Status', 'Notes', 'OwnerUserID',
        'CreatedDatetime', 'ModifiedDatetime', 'DataStatusStr',
      ].sort(),
    );
    expect(lead?.LeadID).toMatch(/^\d+$/);
    expect((lead?.CreatedDatetime ?? '') < '2026-06-01T09:00:00').toBe(true);
    const owned = [...sim.store.leads.values()].filter((l) => l.OwnerUserID !== null);
    expect(owned.length / sim.store.leads.size).toBeGreaterThan(0.7);
    expect(new Set(owned.map((l) => l.OwnerUserID)).size).toBe(12);
  });

  it('answers one lead by id and 404 for an unknown one', async () => {
    const [id = ''] = sim.store.leads.keys();
    const res = await call(sim, `leads/${id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(sim.store.leads.get(id));
    await expectError(await call(sim, 'leads/999999'), 404, /^Lead not found$/);
  });

  it('answers 404 {Message} for an unknown path', async () => {
    await expectError(await call(sim, 'patients'), 404);
  });

  it('is the same for the same seed', async () => {
    const twin = await start();
    expect(await leads(twin, '')).toEqual(await leads(sim, ''));
  });
});

describe('page numbering from 1', () => {
  it('starts at page 1, keeps the short last page, and rejects page 0', async () => {
    const fromZero = await start();
    const fromOne = await start({ firstPageNumber: 1 });
    const pages = await walk(fromOne, '', 1);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 100, 45]);
    expect(pages[0]).toEqual(await leads(fromZero, 'intPageNo=0'));
    expect((await call(fromOne, 'leads?intPageNo=5')).status).toBe(204);
    await expectError(await call(fromOne, 'leads?intPageNo=0'), 400, /from 1/);
    expect(await leads(fromOne, '')).toEqual(pages[0]);
  });
});

describe('incremental sync', () => {
  const checkpoint = '2026-06-01T12:00:00';

  it('reports a create, an update and a delete made through HTTP as Added, Modified and Deleted', async () => {
    const sim = await start();
    const [modifiedId = '', deletedId = ''] = sim.store.leads.keys();
    expect((await call(sim, `leads?lastSyncTimestamp=${checkpoint}`)).status).toBe(204);

    now = T0 + 5_000;
    const created = await call(sim, 'leads', {
      method: 'POST',
      body: JSON.stringify({ FirstName: 'Niamh', LastName: 'Reid', Email: 'niamh.reid@example.com', Source: 'Phone' }),
    });
    expect(created.status).toBe(200);
    const added = (await created.json()) as CliniceaLead;
    expect(added).toMatchObject({ FirstName: 'Niamh', Status: 'New', CreatedDatetime: '2026-06-01T12:00:05' });
    const others = [...sim.store.leads.keys()].filter((id) => id !== added.LeadID).map(Number);
    expect(Number(added.LeadID)).toBeGreaterThan(Math.max(...others));

    now = T0 + 10_000;
    const patch = { Status: 'Lost', Notes: 'Went elsewhere.' };
    const updated = await call(sim, `leads/${modifiedId}`, { method: 'PUT', body: JSON.stringify(patch) });
    expect(updated.status).toBe(200);
    const modifiedAt = '2026-06-01T12:00:10';
    expect(await updated.json()).toMatchObject({ LeadID: modifiedId, ...patch, ModifiedDatetime: modifiedAt });

    now = T0 + 15_000;
    const deleted = await call(sim, `leads/${deletedId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);

    const changes = await leads(sim, `lastSyncTimestamp=${checkpoint}`);
    expect(changes.map((lead) => [lead.LeadID, lead.DataStatusStr])).toEqual([
      [added.LeadID, 'Added'],
      [modifiedId, 'Modified'],
      [deletedId, 'Deleted'],
    ]);
    expect(changes[1]).toEqual({ ...sim.store.leads.get(modifiedId), DataStatusStr: 'Modified' });
    expect(changes[2]).toEqual({
      LeadID: deletedId, FirstName: null, LastName: null, Email: null, Mobile: null, Source: null, Status: null,
      Notes: null, OwnerUserID: null, CreatedDatetime: CLINICEA_NULL_DATE, ModifiedDatetime: '2026-06-01T12:00:15',
      DataStatusStr: 'Deleted',
    });

    // Strictly after: a change stamped at the timestamp itself was already seen.
    const later = await leads(sim, 'lastSyncTimestamp=2026-06-01T12:00:10');
    expect(later.map((lead) => [lead.LeadID, lead.DataStatusStr])).toEqual([[deletedId, 'Deleted']]);

    await expectError(await call(sim, `leads/${deletedId}`), 404, /^Lead not found$/);
    expect((await walk(sim, '')).flat().some((lead) => lead.LeadID === deletedId)).toBe(false);
    expect(sim.store.changes.map((c) => c.kind)).toEqual(['added', 'modified', 'deleted']);
  });

  it('reports writes made through the store methods the same way', async () => {
    const sim = await start();
    const [modifiedId = ''] = sim.store.leads.keys();
    now = T0 + 1_000;
    const lead = sim.store.create({ FirstName: 'Gareth', Mobile: '07700900123' });
    now = T0 + 2_000;
    sim.store.update(modifiedId, { Notes: 'Called back; wants a quote.' });
    now = T0 + 3_000;
    expect(sim.store.remove(lead.LeadID)).toBe(true);
    expect(sim.store.remove(lead.LeadID)).toBe(false);

    const changes = await leads(sim, `lastSyncTimestamp=${checkpoint}`);
    expect(changes.map((l) => [l.LeadID, l.DataStatusStr])).toEqual([
      [modifiedId, 'Modified'],
      [lead.LeadID, 'Deleted'],
    ]);
  });

  it('marks leads created after the timestamp Added, older ones Modified, ordered by change time', async () => {
    const sim = await start();
    const rows = (await walk(sim, 'lastSyncTimestamp=2026-05-01T00:00:00')).flat();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((l) => l.DataStatusStr === 'Added' || l.DataStatusStr === 'Modified')).toBe(true);
    for (const row of rows) {
      expect(row.DataStatusStr).toBe(row.CreatedDatetime > '2026-05-01T00:00:00' ? 'Added' : 'Modified');
    }
    const changedAt = rows.map((l) =>
      l.ModifiedDatetime === CLINICEA_NULL_DATE ? l.CreatedDatetime : l.ModifiedDatetime,
    );
    expect(changedAt).toEqual([...changedAt].sort());
  });

  it.each([
    ['a trailing Z', '2026-06-01T12:00:00Z'],
    ['milliseconds', '2026-06-01T12:00:00.000'],
    ['a space for T', '2026-06-01 12:00:00'],
    ['a bare date', '2026-06-01'],
    ['a day that does not exist', '2026-02-30T00:00:00'],
    ['nothing', ''],
  ])('rejects a lastSyncTimestamp with %s with 400', async (_, value) => {
    const sim = await start();
    const res = await call(sim, `leads?lastSyncTimestamp=${encodeURIComponent(value)}`);
    await expectError(res, 400, /lastSyncTimestamp/);
  });
});

describe('writes', () => {
  let sim: CliniceaSimulator;
  beforeAll(async () => {
    sim = await start();
  });

  it.each([
    ['no FirstName', { LastName: 'Hall' }, /FirstName is required/],
    ['an empty FirstName', { FirstName: ' ' }, /FirstName/],
    ['a bad email', { FirstName: 'Ivy', Email: 'not-an-email' }, /Email/],
    ['an unknown Status', { FirstName: 'Ivy', Status: 'Won' }, /Status must be one of/],
    ['an unknown field', { FirstName: 'Ivy', Colour: 'red' }, /Unknown field 'Colour'/],
    ['a server field', { FirstName: 'Ivy', LeadID: '1' }, /LeadID is set by the server/],
    ['an array', [], /JSON object/],
  ])('rejects a create with %s with 400', async (_, body, message) => {
    const before = sim.store.leads.size;
    await expectError(await call(sim, 'leads', { method: 'POST', body: JSON.stringify(body) }), 400, message);
    expect(sim.store.leads.size).toBe(before);
  });

  it('rejects a body that is not JSON', async () => {
    await expectError(await call(sim, 'leads', { method: 'POST', body: '{FirstName:' }), 400, /JSON/);
  });

  it('answers 404 for an update or delete of an unknown lead', async () => {
    const update = await call(sim, 'leads/999999', { method: 'PUT', body: '{"Notes":"x"}' });
    await expectError(update, 404, /^Lead not found$/);
    await expectError(await call(sim, 'leads/999999', { method: 'DELETE' }), 404, /^Lead not found$/);
  });

  it('leaves ModifiedDatetime alone when an update changes nothing', async () => {
    const [id = ''] = sim.store.leads.keys();
    const before = { ...sim.store.leads.get(id) };
    now = T0 + 60_000;
    const body = JSON.stringify({ FirstName: before.FirstName });
    const res = await call(sim, `leads/${id}`, { method: 'PUT', body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as CliniceaLead).ModifiedDatetime).toBe(before.ModifiedDatetime);
  });
});

describe('rate limit and faults', () => {
  it('answers 429 with Retry-After past perSecond in one window, and again in the next second', async () => {
    const sim = await start({ perSecond: 3 });
    now = T0 + 250;
    for (let i = 0; i < 3; i += 1) expect((await call(sim, 'leads?intPageNo=3')).status).toBe(200);
    const limited = await call(sim, 'leads?intPageNo=3');
    await expectError(limited, 429, /^Too many requests$/);
    expect(limited.headers.get('retry-after')).toBe('1');

    now = T0 + 1_000;
    expect((await call(sim, 'leads?intPageNo=3')).status).toBe(200);
  });

  it('applies a changed limit at once', async () => {
    const sim = await start();
    now = T0 + 5_500;
    expect((await call(sim, 'leads?intPageNo=3')).status).toBe(200);
    sim.limits.perSecond = 1;
    expect((await call(sim, 'leads?intPageNo=3')).status).toBe(429);
  });

  it('answers an injected 5xx as 500, or 503 when asked, in the vendor shape', async () => {
    const sim = await start();
    sim.faults.serverErrors = 1;
    await expectError(await call(sim, 'leads'), 500, /^An error has occurred\.$/);
    sim.limits.serverErrorStatus = 503;
    sim.faults.serverErrors = 1;
    await expectError(await call(sim, 'leads'), 503);
    expect((await call(sim, 'leads')).status).toBe(200);
  });

  it('answers an injected 429 burst with Retry-After', async () => {
    const sim = await start();
    sim.faults.rateLimitBurst = 2;
    for (let i = 0; i < 2; i += 1) {
      const res = await call(sim, 'leads');
      await expectError(res, 429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await call(sim, 'leads')).status).toBe(200);
  });

  it('drops a connection when told to', async () => {
    const sim = await start();
    sim.faults.dropConnections = 1;
    await expect(call(sim, 'leads')).rejects.toThrow();
    expect(sim.log.at(-1)?.status).toBe(0);
  });
});

describe('token login', () => {
  const USER = CLINICEA_DEMO_USER;
  const login = (sim: CliniceaSimulator, params: Record<string, string> = {}) =>
    call(sim, `login/getTokenByApiKey?${new URLSearchParams({ apiKey: KEY, loginUserName: USER.username, pwd: USER.password, ...params }).toString()}`, { key: null });

  async function token(sim: CliniceaSimulator): Promise<string> {
    const res = await login(sim);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Token: string };
    expect(Object.keys(body)).toEqual(['Token']);
    return body.Token;
  }

  it('issues a token for the key, user and password, and takes it as api_key instead of the header', async () => {
    const sim = await start({ authMode: 'token' });
    const issued = await token(sim);
    expect((await call(sim, `leads?api_key=${issued}`, { key: null })).status).toBe(200);
    expect((await call(sim, 'leads')).status).toBe(200);
    expect(sim.tokenStats).toEqual({ requests: 1, issued: 1, refused: 0, rejected: 0 });
  });

  it.each([
    ['a wrong password', { pwd: 'nope' }],
    ['an unknown user', { loginUserName: 'someone.else' }],
    ['a wrong key', { apiKey: 'not-the-key' }],
  ])('refuses a login with %s with 401 {Message}', async (_, params) => {
    const sim = await start({ authMode: 'token' });
    await expectError(await login(sim, params), 401, /^Invalid API key, user name or password\.$/);
    expect(sim.tokenStats).toEqual({ requests: 1, issued: 0, refused: 1, rejected: 0 });
  });

  it('refuses a login without its parameters with 400', async () => {
    const sim = await start({ authMode: 'token' });
    await expectError(await call(sim, 'login/getTokenByApiKey', { key: null }), 400, /required/);
  });

  it('lets a token live tokenTtlMs by its clock, then answers 401 {Message}; an unknown token too', async () => {
    const sim = await start({ authMode: 'token', tokenTtlMs: 60_000 });
    const issued = await token(sim);
    now += 59_999;
    expect((await call(sim, `leads?api_key=${issued}`, { key: null })).status).toBe(200);
    now += 1;
    await expectError(await call(sim, `leads?api_key=${issued}`, { key: null }), 401, /denied/);
    await expectError(await call(sim, 'leads?api_key=made-up', { key: null }), 401, /denied/);
    expect(sim.tokenStats.rejected).toBe(2);
  });

  it('defaults to tokens that live one hour', async () => {
    const sim = await start({ authMode: 'token' });
    const issued = await token(sim);
    now += 60 * 60_000 - 1;
    expect((await call(sim, `leads?api_key=${issued}`, { key: null })).status).toBe(200);
    now += 1;
    expect((await call(sim, `leads?api_key=${issued}`, { key: null })).status).toBe(401);
  });

  it('forgets every token on revokeTokens', async () => {
    const sim = await start({ authMode: 'token' });
    const issued = await token(sim);
    sim.revokeTokens();
    expect((await call(sim, `leads?api_key=${issued}`, { key: null })).status).toBe(401);
  });

  it('logs in the users it is given', async () => {
    const sim = await start({ authMode: 'token', users: [{ username: 'ana', password: 'pw-1' }] });
    expect((await login(sim, { loginUserName: 'ana', pwd: 'pw-1' })).status).toBe(200);
    expect((await login(sim)).status).toBe(401);
  });

  it('has no login and takes no token in the default header mode', async () => {
    const sim = await start();
    expect(sim.authMode).toBe('header');
    await expectError(await call(sim, 'login/getTokenByApiKey?apiKey=x&loginUserName=y&pwd=z'), 404);
    expect((await call(sim, 'leads?api_key=anything', { key: null })).status).toBe(401);
    expect(sim.tokenStats.requests).toBe(0);
  });
});

describe('options', () => {
  it('hands out owners from ownerUserIds', async () => {
    const owners = ['user-a', 'user-b', 'user-c'];
    const sim = await start({ ownerUserIds: owners, leadCount: 50 });
    const assigned = [...sim.store.leads.values()].map((l) => l.OwnerUserID).filter((id) => id !== null);
    expect(assigned.length).toBeGreaterThan(25);
    expect(new Set(assigned)).toEqual(new Set(owners));
    // Owners do not reshuffle the rest of the seed.
    const plain = await start({ leadCount: 50 });
    const emails = (s: CliniceaSimulator) => [...s.store.leads.values()].map((l) => l.Email);
    expect(emails(sim)).toEqual(emails(plain));
  });

  it.each([
    [{ pageSize: 0 }, 'expected pageSize to be a whole number >= 1, got 0'],
    [{ perSecond: 1.5 }, 'expected perSecond to be a whole number >= 1, got 1.5'],
    [{ firstPageNumber: 2 as 0 }, 'expected firstPageNumber to be 0 or 1, got 2'],
    [{ credentials: { apiKey: '' } }, 'expected credentials.apiKey to be a non-empty string, got nothing'],
    [{ authMode: 'oauth' as 'token' }, `expected authMode to be 'header' or 'token', got "oauth"`],
    [{ authMode: 'token' as const, users: [] }, 'expected users to name at least one { username, password } in token mode, got none'],
    [{ authMode: 'token' as const, users: [{ username: 'u', password: '' }] }, 'expected users[0] to have a non-empty username and password, got an empty one'],
    [{ tokenTtlMs: -1 }, 'expected tokenTtlMs to be a whole number >= 0, got -1'],
  ])('rejects %j with a message saying what it expected', async (options, message) => {
    await expect(startCliniceaSimulator(options)).rejects.toThrow(message);
  });

  it('honours another key and page size', async () => {
    const sim = await start({ credentials: { apiKey: 'k-123' }, pageSize: 40, leadCount: 90 });
    expect((await call(sim, 'leads')).status).toBe(401);
    const res = await call(sim, 'leads?intPageNo=2', { key: 'k-123' });
    expect(((await res.json()) as CliniceaLead[]).length).toBe(10);
  });
});

describe('cli entry', () => {
  it('reads CLINICEA_API_KEY and starts a simulator that accepts it', async () => {
    expect(cliniceaCli.name).toBe('clinicea');
    expect(cliniceaCli.envCredentials({})).toBeUndefined();
    const credentials = cliniceaCli.envCredentials({ CLINICEA_API_KEY: 'from-env' });
    expect(credentials).toEqual({ apiKey: 'from-env' });

    const sim = await cliniceaCli.start(0, credentials);
    try {
      expect(sim.credentials).toEqual({ apiKey: 'from-env' });
      const res = await fetch(`${sim.baseUrl}/leads?intPageNo=0`, { headers: { api: 'from-env' } });
      expect(res.status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
