import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { casewareCli } from '../../src/simulators/caseware/cli-entry.ts';
import {
  CASEWARE_DEMO_CREDENTIALS,
  startCasewareSimulator,
  type CasewareSimulator,
  type CasewareSimulatorOptions,
} from '../../src/simulators/caseware/server.ts';
import {
  CASEWARE_RATE_HEADERS,
  casewareSearch,
  type CasewareEntity,
  type CasewareErrorBody,
  type CasewareTokenResponse,
  type CasewareUser,
} from '../../src/vendors/caseware/wire.ts';

const MINUTE = 60_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 5, 1, 9)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function tokenFor(sim: CasewareSimulator, secret = sim.credentials.clientSecret): Promise<Response> {
  return fetch(`${sim.baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ClientId: sim.credentials.clientId, ClientSecret: secret, Language: 'en' }),
  });
}

async function login(sim: CasewareSimulator): Promise<string> {
  const res = await tokenFor(sim);
  expect(res.status).toBe(200);
  return ((await res.json()) as CasewareTokenResponse).Token;
}

function get(sim: CasewareSimulator, token: string, path: string, query: Array<[string, string]> = []) {
  const qs = new URLSearchParams(query).toString();
  return fetch(`${sim.baseUrl}/${path}${qs ? `?${qs}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
}

async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json()) as CasewareErrorBody;
  expect(body.errors).toHaveLength(1);
  return body.errors[0]?.message ?? '';
}

function rateHeaders(res: Response) {
  return {
    burst: res.headers.get(CASEWARE_RATE_HEADERS.burstCapacity),
    remaining: res.headers.get(CASEWARE_RATE_HEADERS.remaining),
    rate: res.headers.get(CASEWARE_RATE_HEADERS.replenishRate),
    requested: res.headers.get(CASEWARE_RATE_HEADERS.requestedTokens),
  };
}

const DEFAULT_HEADERS = { burst: '20', rate: '10', requested: '1' };

/** Starts a simulator per test where the test needs its own clock or limits. */
const started: CasewareSimulator[] = [];
async function fresh(options: CasewareSimulatorOptions = {}): Promise<CasewareSimulator> {
  const sim = await startCasewareSimulator(options);
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

describe('Caseware simulator: auth', () => {
  it('issues a token for the demo client and accepts it on the firm-prefixed base URL', async () => {
    const sim = await fresh();
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/demo-firm\/ms\/caseware-cloud\/api\/v2$/);
    expect(sim.credentials).toEqual(CASEWARE_DEMO_CREDENTIALS);

    const token = await login(sim);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const res = await get(sim, token, 'users');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as CasewareUser[]).length).toBe(20);
    expect(sim.stats.tokenRequests).toBe(1);
  });

  it('answers a wrong secret or client id with 401 and never echoes the secret', async () => {
    const sim = await fresh();
    const wrongSecret = await tokenFor(sim, 'not-the-secret-xyz');
    expect(wrongSecret.status).toBe(401);
    const text = await wrongSecret.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Invalid client credentials' }] });
    expect(text).not.toContain('not-the-secret-xyz');
    expect(text).not.toContain(sim.credentials.clientSecret);

    const wrongId = await fetch(`${sim.baseUrl}/auth/token`, {
      method: 'POST',
      body: JSON.stringify({ ClientId: 'someone-else', ClientSecret: sim.credentials.clientSecret, Language: 'en' }),
    });
    expect(wrongId.status).toBe(401);
    expect(await wrongId.text()).not.toContain(sim.credentials.clientSecret);
    expect(sim.stats).toEqual({ tokenRequests: 2, tokensIssued: 0 });
  });

  it.each([
    ['not JSON', '{oops'],
    ['no secret', JSON.stringify({ ClientId: 'x', Language: 'en' })],
  ])('answers a malformed token request (%s) with 400 in the errors shape', async (_name, body) => {
    const sim = await fresh();
    const res = await fetch(`${sim.baseUrl}/auth/token`, { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).not.toBe('');
  });

  it.each([
    ['no Authorization header', undefined, 'Missing bearer token'],
    ['an unknown token', 'Bearer not-a-real-token', 'Invalid or expired token'],
    ['a non-bearer scheme', 'Basic abc', 'Missing bearer token'],
  ])('answers %s with 401 in the errors shape', async (_name, authorization, message) => {
    const sim = await fresh();
    const res = await fetch(`${sim.baseUrl}/users`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorMessage(res)).toBe(message);
  });

  it('expires a token after 30 minutes by the injected clock', async () => {
    const clock = manualClock();
    const sim = await fresh({ clock: clock.now });
    const token = await login(sim);
    clock.advance(30 * MINUTE - 1);
    expect((await get(sim, token, 'roles')).status).toBe(200);
    clock.advance(1);
    const expired = await get(sim, token, 'roles');
    expect(expired.status).toBe(401);
    expect(await errorMessage(expired)).toBe('Invalid or expired token');
  });

  it('honours a custom tokenTtlMs', async () => {
    const clock = manualClock();
    const sim = await fresh({ clock: clock.now, tokenTtlMs: 1000 });
    const token = await login(sim);
    clock.advance(1000);
    expect((await get(sim, token, 'roles')).status).toBe(401);
  });

  it('makes a new session per token call and keeps the older ones alive', async () => {
    const sim = await fresh();
    const first = await login(sim);
    const second = await login(sim);
    expect(second).not.toBe(first);
    expect((await get(sim, first, 'groups')).status).toBe(200);
    expect((await get(sim, second, 'groups')).status).toBe(200);
    expect(sim.stats).toEqual({ tokenRequests: 2, tokensIssued: 2 });
  });

  it('ends every session when the secret is reset, and only the new secret works after', async () => {
    const sim = await fresh();
    const a = await login(sim);
    const b = await login(sim);
    const oldSecret = sim.credentials.clientSecret;
    sim.resetSecret('brand-new-secret');
    expect(sim.credentials.clientSecret).toBe('brand-new-secret');
    expect((await get(sim, a, 'users')).status).toBe(401);
    expect((await get(sim, b, 'users')).status).toBe(401);
    expect((await tokenFor(sim, oldSecret)).status).toBe(401);
    const c = await login(sim);
    expect((await get(sim, c, 'users')).status).toBe(200);
    expect(sim.stats.tokenRequests).toBe(4);
  });

  it('serves another firm under its own prefix and 404s the default one', async () => {
    const sim = await fresh({ firm: 'acme-audit' });
    expect(sim.baseUrl).toMatch(/\/acme-audit\/ms\/caseware-cloud\/api\/v2$/);
    const token = await login(sim);
    expect((await get(sim, token, 'users')).status).toBe(200);
    const other = await fetch(sim.baseUrl.replace('acme-audit', 'demo-firm') + '/users', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(404);
    expect(await errorMessage(other)).toBe('Resource not found');
  });
});

describe('Caseware simulator: data', () => {
  let sim: CasewareSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await startCasewareSimulator({ limits: { burstCapacity: 10_000, replenishRate: 10_000 } });
    token = await login(sim);
  });
  afterAll(() => sim.close());

  async function walk<T>(path: string, pageSize: number, query: Array<[string, string]> = []): Promise<T[][]> {
    const pages: T[][] = [];
    for (let page = 1; page < 100; page += 1) {
      const res = await get(sim, token, path, [...query, ['page', String(page)], ['pageSize', String(pageSize)]]);
      expect(res.status).toBe(200);
      const rows = (await res.json()) as T[];
      pages.push(rows);
      if (rows.length === 0) return pages;
    }
    throw new Error('walk never reached an empty page');
  }

  async function search<T>(path: string, ...terms: string[]): Promise<T[]> {
    const searches = terms.map((t): [string, string] => ['search', t]);
    const res = await get(sim, token, path, [['pageSize', '100'], ...searches]);
    expect(res.status).toBe(200);
    return (await res.json()) as T[];
  }

  it('seeds 60 users and 150 entities whose staff are real users', () => {
    expect(sim.store.users).toHaveLength(60);
    expect(sim.store.entities).toHaveLength(150);
    const staff = sim.store.users.filter((u) => u.OwnerType === 'Staff');
    expect(staff.length).toBeGreaterThan(40);
    const inactive = sim.store.users.filter((u) => u.Type === 'I');
    expect(inactive.length).toBeGreaterThan(0);
    for (const user of sim.store.users) expect(user.InActiveDate === null).toBe(user.Type === 'A');
    const ids = new Set(sim.store.users.map((u) => u.CWGuid));
    for (const entity of sim.store.entities) {
      expect(entity.Number).toMatch(/^[CIPTH]\d{5}$/);
      expect(entity.StaffCWGuids.length).toBeGreaterThanOrEqual(1);
      expect(entity.StaffCWGuids.length).toBeLessThanOrEqual(4);
      for (const id of entity.StaffCWGuids) expect(ids.has(id)).toBe(true);
    }
    expect(new Set(sim.store.entities.map((e) => e.Number)).size).toBe(150);
  });

  it('seeds the same records for the same seed and different ones for another', async () => {
    const again = await fresh({ users: 5, entities: 5 });
    const other = await fresh({ seed: 2, users: 5, entities: 5 });
    expect(again.store.users).toEqual(sim.store.users.slice(0, 5));
    expect(again.store.entities.map((e) => e.Name)).toEqual(sim.store.entities.slice(0, 5).map((e) => e.Name));
    expect(other.store.users[0]?.CWGuid).not.toBe(sim.store.users[0]?.CWGuid);
  });

  it('walks users by (LastName, FirstName, CWGuid) until an empty array, with no totals', async () => {
    const pages = await walk<CasewareUser>('users', 7);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4, 0]);
    const users = pages.flat();
    const expected = [...sim.store.users].sort(
      (a, b) =>
        cmp(a.LastName, b.LastName) || cmp(a.FirstName, b.FirstName) || cmp(a.CWGuid, b.CWGuid),
    );
    expect(users.map((u) => u.CWGuid)).toEqual(expected.map((u) => u.CWGuid));
  });

  it('walks entities by (Name, CWGuid) and defaults pageSize to 20', async () => {
    const res = await get(sim, token, 'entities');
    const firstPage = (await res.json()) as CasewareEntity[];
    expect(firstPage).toHaveLength(20);
    const all = (await walk<CasewareEntity>('entities', 100)).flat();
    expect(all).toHaveLength(150);
    const expected = [...sim.store.entities].sort((a, b) => cmp(a.Name, b.Name) || cmp(a.CWGuid, b.CWGuid));
    expect(all.map((e) => e.CWGuid)).toEqual(expected.map((e) => e.CWGuid));
    expect(firstPage).toEqual(all.slice(0, 20));
  });

  it('answers a page far past the end with an empty array', async () => {
    const res = await get(sim, token, 'users', [['page', '999'], ['pageSize', '100']]);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[]');
  });

  it.each([
    ['pageSize', '0'],
    ['pageSize', '101'],
    ['pageSize', 'ten'],
    ['pageSize', '-5'],
    ['page', '0'],
    ['page', '1.5'],
  ])('answers %s=%s with 400 in the errors shape', async (name, value) => {
    const res = await get(sim, token, 'users', [[name, value]]);
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toContain(name);
  });

  it('serves one user and one entity by CWGuid, and 404s an unknown one', async () => {
    const user = sim.store.users[3] as CasewareUser;
    const entity = sim.store.entities[8] as CasewareEntity;
    expect(await (await get(sim, token, `users/${user.CWGuid}`)).json()).toEqual(user);
    expect(await (await get(sim, token, `entities/${entity.CWGuid.toLowerCase()}`)).json()).toEqual(entity);

    const missingUser = await get(sim, token, 'users/00000000-0000-4000-A000-000000000000');
    expect(missingUser.status).toBe(404);
    expect(await missingUser.json()).toEqual({ errors: [{ message: 'User not found' }] });
    const missingEntity = await get(sim, token, 'entities/00000000-0000-4000-A000-000000000000');
    expect(missingEntity.status).toBe(404);
    expect(await missingEntity.json()).toEqual({ errors: [{ message: 'Entity not found' }] });
  });

  it('lists groups and roles', async () => {
    const groups = (await (await get(sim, token, 'groups')).json()) as Array<{ Name: string }>;
    const roles = (await (await get(sim, token, 'roles')).json()) as Array<{ Name: string }>;
    expect(groups.map((g) => g.Name)).toContain('Audit');
    expect(roles.map((r) => r.Name)).toContain('Administrator');
  });

  it('answers an unknown path inside the prefix with 404 in the errors shape', async () => {
    const res = await get(sim, token, 'engagements');
    expect(res.status).toBe(404);
    expect(await errorMessage(res)).toBe('Resource not found');
  });

  describe('search', () => {
    it('filters with = on text, case-insensitively', async () => {
      const target = sim.store.users[5] as CasewareUser;
      const found = await search<CasewareUser>('users', `LastName='${target.LastName.toUpperCase()}'`);
      const expected = sim.store.users.filter((u) => u.LastName === target.LastName);
      expect(found.map((u) => u.CWGuid).sort()).toEqual(expected.map((u) => u.CWGuid).sort());
      expect(found.length).toBeGreaterThan(0);
    });

    it('filters with <> and with bare booleans', async () => {
      const inactive = await search<CasewareUser>('users', "Type<>'A'");
      expect(inactive.map((u) => u.CWGuid).sort()).toEqual(
        sim.store.users.filter((u) => u.Type === 'I').map((u) => u.CWGuid).sort(),
      );
      const admins = await search<CasewareUser>('users', 'Admin=true');
      expect(admins.length).toBe(sim.store.users.filter((u) => u.Admin).length);
      expect(admins.every((u) => u.Admin)).toBe(true);
    });

    it('filters dates with < and >', async () => {
      const cut = '2025-01-01T00:00:00Z';
      const before = (await walk<CasewareEntity>('entities', 50, [['search', `CreatedDate<'${cut}'`]])).flat();
      const after = (await walk<CasewareEntity>('entities', 50, [['search', `CreatedDate>'${cut}'`]])).flat();
      expect(before.length).toBe(sim.store.entities.filter((e) => e.CreatedDate < cut).length);
      expect(after.length).toBe(sim.store.entities.filter((e) => e.CreatedDate > cut).length);
      expect(before.length + after.length).toBe(150);
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
    });

    it("reads a doubled quote inside a string ('O''Neill')", async () => {
      const entity = sim.store.entities[10] as CasewareEntity;
      const original = entity.Name;
      entity.Name = "O'Neill & Reid Ltd";
      try {
        const found = await search<CasewareEntity>('entities', casewareSearch('Name', '=', entity.Name));
        expect(casewareSearch('Name', '=', entity.Name)).toBe("Name='O''Neill & Reid Ltd'");
        expect(found.map((e) => e.CWGuid)).toEqual([entity.CWGuid]);
      } finally {
        entity.Name = original;
      }
    });

    it('ORs repeated terms on one field and ANDs terms on different fields', async () => {
      const [a, b, c] = sim.store.users as [CasewareUser, CasewareUser, CasewareUser];
      const byIds = await search<CasewareUser>('users', ...[a, b, c].map((u) => `CWGuid='${u.CWGuid}'`));
      expect(byIds.map((u) => u.CWGuid).sort()).toEqual([a.CWGuid, b.CWGuid, c.CWGuid].sort());

      const narrowed = await search<CasewareUser>(
        'users',
        `CWGuid='${a.CWGuid}'`,
        `CWGuid='${b.CWGuid}'`,
        `LastName='${b.LastName}'`,
      );
      expect(narrowed.map((u) => u.CWGuid)).toContain(b.CWGuid);
      expect(narrowed.every((u) => u.LastName === b.LastName)).toBe(true);
    });

    it('matches list fields by membership: entities a user looks after', async () => {
      const user = sim.store.entities[0]?.StaffCWGuids[0] as string;
      const found = await search<CasewareEntity>('entities', `StaffCWGuids='${user}'`);
      const expected = sim.store.entities.filter((e) => e.StaffCWGuids.includes(user));
      expect(found.map((e) => e.CWGuid).sort()).toEqual(expected.map((e) => e.CWGuid).sort());
    });

    it('returns an empty array when nothing matches', async () => {
      expect(await search('users', "Email='nobody@nowhere.example'")).toEqual([]);
    });

    it.each([
      ['an unknown field', "Nickname='Bob'", 'unknown field Nickname'],
      ['a nested field', "Address.Town='Bath'", 'top-level'],
      ['an unknown operator', "LastName~'Smith'", 'operator'],
      ['an unterminated string', "LastName='Smith", 'unterminated'],
      ['a lone quote inside a string', "LastName='O'Neill'", 'after the closing quote'],
      ['an unquoted string', 'LastName=Smith', 'quoted string'],
      ['a quoted boolean', "Admin='true'", 'bare boolean'],
      ['a number for a text field', 'Email=5', 'single quotes'],
      ['< on a boolean', 'Admin<true', '= or <>'],
      ['a missing value', 'LastName=', 'missing value'],
      ['an empty term', '', 'expected <Field><op><value>'],
    ])('answers %s with 400 in the errors shape', async (_name, term, fragment) => {
      const res = await get(sim, token, 'users', [['search', term]]);
      expect(res.status).toBe(400);
      expect(await errorMessage(res)).toContain(fragment);
    });
  });
});

describe('Caseware simulator: rate limit', () => {
  it('drains the bucket to a bare 429 with the headers and no Retry-After, then refills by the clock', async () => {
    const clock = manualClock();
    const sim = await fresh({ clock: clock.now, limits: { burstCapacity: 3, replenishRate: 2 } });
    const token = await login(sim);

    const seen: Array<string | null> = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await get(sim, token, 'roles');
      expect(res.status).toBe(200);
      seen.push(rateHeaders(res).remaining);
    }
    expect(seen).toEqual(['2', '1', '0']);

    const limited = await get(sim, token, 'roles');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toBe('');
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(rateHeaders(limited)).toEqual({ burst: '3', remaining: '0', rate: '2', requested: '1' });

    clock.advance(500);
    const refilled = await get(sim, token, 'roles');
    expect(refilled.status).toBe(200);
    expect(rateHeaders(refilled).remaining).toBe('0');
    expect((await get(sim, token, 'roles')).status).toBe(429);
  });

  it('carries the headers on errors too (404, 400, 500)', async () => {
    const sim = await fresh();
    const token = await login(sim);
    for (const res of [
      await get(sim, token, 'users/nope'),
      await get(sim, token, 'users', [['pageSize', '0']]),
    ]) {
      expect(rateHeaders(res)).toEqual({ ...DEFAULT_HEADERS, remaining: expect.stringMatching(/^\d+$/) });
    }
    sim.faults.serverErrors = 1;
    const failed = await get(sim, token, 'users');
    expect(failed.status).toBe(500);
    expect(await errorMessage(failed)).not.toBe('');
    expect(rateHeaders(failed).burst).toBe('20');
  });

  it('shares one bucket between all sessions of a client', async () => {
    const clock = manualClock();
    const sim = await fresh({ clock: clock.now, limits: { burstCapacity: 2 } });
    const first = await login(sim);
    const second = await login(sim);
    expect((await get(sim, first, 'roles')).status).toBe(200);
    expect((await get(sim, second, 'roles')).status).toBe(200);
    expect((await get(sim, first, 'roles')).status).toBe(429);
  });

  it('does not rate limit auth/token', async () => {
    const clock = manualClock();
    const sim = await fresh({ clock: clock.now, limits: { burstCapacity: 1 } });
    const token = await login(sim);
    await get(sim, token, 'roles');
    expect((await get(sim, token, 'roles')).status).toBe(429);
    const res = await tokenFor(sim);
    expect(res.status).toBe(200);
    expect(res.headers.get(CASEWARE_RATE_HEADERS.remaining)).toBeNull();
  });

  it('applies changes to limits at run time, in the headers and the throttling', async () => {
    const clock = manualClock();
    const sim = await fresh({ clock: clock.now });
    const token = await login(sim);
    expect(rateHeaders(await get(sim, token, 'roles'))).toEqual({ ...DEFAULT_HEADERS, remaining: '19' });

    sim.limits.requestedTokens = 5;
    sim.limits.replenishRate = 1;
    const dearer = await get(sim, token, 'roles');
    expect(rateHeaders(dearer)).toEqual({ burst: '20', remaining: '14', rate: '1', requested: '5' });
    await get(sim, token, 'roles');
    await get(sim, token, 'roles');
    expect((await get(sim, token, 'roles')).status).toBe(429);

    sim.limits.burstCapacity = 3;
    sim.limits.requestedTokens = 1;
    clock.advance(60_000);
    const capped = await get(sim, token, 'roles');
    expect(capped.status).toBe(200);
    expect(rateHeaders(capped)).toEqual({ burst: '3', remaining: '2', rate: '1', requested: '1' });
  });
});

describe('Caseware simulator: faults', () => {
  let sim: CasewareSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await startCasewareSimulator();
    token = await login(sim);
  });
  afterAll(() => sim.close());

  it('answers an injected 5xx in the errors shape', async () => {
    sim.faults.serverErrors = 1;
    const res = await get(sim, token, 'users');
    expect(res.status).toBe(500);
    expect(await errorMessage(res)).toBe('An unexpected error occurred');
    expect((await get(sim, token, 'users')).status).toBe(200);
  });

  it('answers an injected 429 with an empty body and remaining 0', async () => {
    sim.faults.rateLimitBurst = 2;
    for (let i = 0; i < 2; i += 1) {
      const res = await get(sim, token, 'users');
      expect(res.status).toBe(429);
      expect(await res.text()).toBe('');
      expect(rateHeaders(res)).toEqual({ burst: '20', remaining: '0', rate: '10', requested: '1' });
    }
    expect((await get(sim, token, 'users')).status).toBe(200);
  });

  it('drops a connection without an answer', async () => {
    sim.faults.dropConnections = 1;
    await expect(get(sim, token, 'users')).rejects.toThrow();
    expect((await get(sim, token, 'users')).status).toBe(200);
  });

  it('logs requests with their statuses', async () => {
    sim.log.length = 0;
    await get(sim, token, 'entities', [['pageSize', '5']]);
    expect(sim.log).toHaveLength(1);
    expect(sim.log[0]).toMatchObject({ method: 'GET', path: 'entities', query: 'pageSize=5', status: 200 });
  });
});

describe('Caseware simulator: options and CLI entry', () => {
  it.each([
    [{ firm: 'a/b' }, 'expected firm to be a single path segment'],
    [{ tokenTtlMs: 0 }, 'expected tokenTtlMs to be above 0, got 0'],
    [{ users: -1 }, 'expected users to be a whole number, got -1'],
    [{ limits: { burstCapacity: -1 } }, 'expected limits.burstCapacity to be 0 or more, got -1'],
    [{ credentials: { clientId: '', clientSecret: 's' } }, 'expected credentials.clientId to be a non-empty string'],
  ] as Array<[CasewareSimulatorOptions, string]>)('rejects %j with a clear message', async (options, message) => {
    await expect(startCasewareSimulator(options)).rejects.toThrow(message);
  });

  it('reads credentials and firm from the environment', () => {
    expect(casewareCli.name).toBe('caseware');
    expect(casewareCli.envCredentials({})).toBeUndefined();
    expect(casewareCli.envCredentials({ CASEWARE_CLIENT_ID: 'id', CASEWARE_CLIENT_SECRET: 's' })).toEqual({
      clientId: 'id',
      clientSecret: 's',
    });
    const firmOnly = casewareCli.envCredentials({ CASEWARE_FIRM: 'acme' });
    expect(firmOnly).toEqual({ ...CASEWARE_DEMO_CREDENTIALS, firm: 'acme' });
    expect(() => casewareCli.envCredentials({ CASEWARE_CLIENT_ID: 'id' })).toThrow(
      'expected CASEWARE_CLIENT_SECRET to be set alongside CASEWARE_CLIENT_ID',
    );
  });

  it('starts a working simulator from the CLI entry', async () => {
    const started = await casewareCli.start(0, { clientId: 'cli-id', clientSecret: 'cli-secret', firm: 'acme' });
    try {
      expect(started.baseUrl).toMatch(/\/acme\/ms\/caseware-cloud\/api\/v2$/);
      expect(started.credentials).toEqual({ clientId: 'cli-id', clientSecret: 'cli-secret', firm: 'acme' });
      const res = await fetch(`${started.baseUrl}/auth/token`, {
        method: 'POST',
        body: JSON.stringify({ ClientId: 'cli-id', ClientSecret: 'cli-secret', Language: 'en' }),
      });
      expect(res.status).toBe(200);
    } finally {
      await started.close();
    }
  });
});

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
