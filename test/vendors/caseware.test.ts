import { afterEach, describe, expect, it } from 'vitest';
import type { PagedSource } from '../../src/domain/paging.ts';
import {
  startCasewareSimulator,
  type CasewareSimulator,
  type CasewareSimulatorOptions,
} from '../../src/simulators/caseware/server.ts';
import type { SimLogEntry } from '../../src/simulators/http.ts';
import { UpstreamCore, type CallContext, type UpstreamCoreOptions } from '../../src/upstream/client.ts';
import { isProblem, isUpstreamError, type UpstreamError } from '../../src/upstream/errors.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';
import { CasewareSource, type CasewareOptions } from '../../src/vendors/caseware/index.ts';
import { toUser } from '../../src/vendors/caseware/mapping.ts';
import { casewareResponses } from '../../src/vendors/caseware/responses.ts';
import type { CasewareEntity, CasewareUser } from '../../src/vendors/caseware/wire.ts';

const MINUTE = 60_000;
const UNKNOWN_ID = '00000000-0000-4000-A000-000000000000';

/** Real time plus an offset the test moves: the queue's timers still run, tokens expire on demand. */
function shiftedClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}
type ShiftedClock = ReturnType<typeof shiftedClock>;

function callAt(clock: { now(): number } = { now: Date.now }): CallContext {
  return { priority: 'interactive', deadline: clock.now() + 15_000 };
}

const started: CasewareSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

interface Setup {
  readonly sim: CasewareSimulator;
  readonly source: CasewareSource;
  readonly call: () => CallContext;
}

/** A simulator on port 0 and a source built as production builds it, sharing `clock` when one is given. */
async function setup(
  simOptions: CasewareSimulatorOptions = {},
  sourceOptions: Partial<CasewareOptions> = {},
  clock?: ShiftedClock,
  coreOptions: UpstreamCoreOptions = {},
): Promise<Setup> {
  const sim = await startCasewareSimulator({ ...simOptions, ...(clock ? { clock: clock.now } : {}) });
  started.push(sim);
  const core = new UpstreamCore({ ...coreOptions, ...(clock ? { clock } : {}) });
  const source = CasewareSource.create(core, {
    baseUrl: sim.baseUrl,
    credentials: { ...sim.credentials },
    ...sourceOptions,
  });
  return { sim, source, call: () => callAt(clock) };
}

/** Calls to the API proper, leaving out `auth/token`. */
function apiCalls(sim: CasewareSimulator, path?: string): SimLogEntry[] {
  return sim.log.filter((e) => e.path !== 'auth/token' && (path === undefined || e.path === path));
}

function tokenCalls(sim: CasewareSimulator): SimLogEntry[] {
  return sim.log.filter((e) => e.method === 'POST' && e.path === 'auth/token');
}

async function walk<T>(source: PagedSource<T>): Promise<T[]> {
  const all: T[] = [];
  for (let index = 0; ; index += 1) {
    const page = await source.page(index);
    all.push(...page.items);
    if (page.items.length < source.pageSize) return all;
  }
}

/**
 * One read that gets the token and teaches the queue the budget. A user, so that no client read a test makes
 * later is answered from the cache; and before any fault is set, since the simulator's faults hit
 * `auth/token` too.
 */
async function warmUp(sim: CasewareSimulator, source: CasewareSource, call: () => CallContext): Promise<void> {
  await source.user((sim.store.users[0] as CasewareUser).CWGuid, call());
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isUpstreamError(error)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return error;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const entityIds = (sim: CasewareSimulator, count: number) => sim.store.entities.slice(0, count).map((e) => e.CWGuid);

describe('Caseware source: tokens', () => {
  it('asks for one token with the documented body and sends it as a bearer on every call', async () => {
    const { sim, source, call } = await setup();
    const [a, b] = entityIds(sim, 2) as [string, string];
    await source.client(a, call());
    await source.client(b, call());
    await walk(source.users(call()));

    expect(source.tokenRequests).toBe(1);
    const [tokenCall] = tokenCalls(sim);
    expect(tokenCalls(sim)).toHaveLength(1);
    expect(JSON.parse(tokenCall?.body ?? '')).toEqual({
      ClientId: sim.credentials.clientId,
      ClientSecret: sim.credentials.clientSecret,
      Language: 'en',
    });
    const auths = new Set(apiCalls(sim).map((e) => e.headers.authorization));
    expect(apiCalls(sim)).toHaveLength(3);
    expect([...auths]).toEqual([expect.stringMatching(/^Bearer \S{32,}$/)]);
  });

  it('sends the configured language', async () => {
    const { sim, source, call } = await setup({}, { language: 'fr' });
    await source.client(entityIds(sim, 1)[0] as string, call());
    expect(JSON.parse(tokenCalls(sim)[0]?.body ?? '')).toMatchObject({ Language: 'fr' });
  });

  it("sends the token request through the core's fetch, so a fetch given to the core sees all traffic", async () => {
    const seen: string[] = [];
    const recording: FetchLike = (url, init) => {
      seen.push(`${init.method ?? 'GET'} ${url.pathname.split('/').slice(-2).join('/')}`);
      return fetch(url, init);
    };
    const { sim, source, call } = await setup({}, {}, undefined, { fetch: recording });
    const id = entityIds(sim, 1)[0] as string;
    await source.client(id, call());
    expect(seen).toEqual(['POST auth/token', `GET entities/${id}`]);
  });

  it('shares one token request among concurrent first calls', async () => {
    const { sim, source, call } = await setup();
    const results = await Promise.all(entityIds(sim, 10).map((id) => source.client(id, call())));
    expect(results.every((c) => c !== null)).toBe(true);
    expect(source.tokenRequests).toBe(1);
    expect(sim.stats.tokenRequests).toBe(1);
  });

  it('answers a wrong secret with unauthorized, never showing the secret, after one token request', async () => {
    const wrongSecret = 'wrong-secret-9f3b1d77';
    const { sim, source, call } = await setup({}, { credentials: { clientId: 'demo-client-4f2a', clientSecret: wrongSecret } });
    const error = await failure(source.client(entityIds(sim, 1)[0] as string, call()));

    expect(isProblem(error, 'unauthorized')).toBe(true);
    expect(error.message).toContain('refused the API client credentials');
    for (const text of [error.message, String(error.stack), JSON.stringify(error)]) {
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(sim.credentials.clientSecret);
    }
    expect(sim.stats.tokenRequests).toBe(1);
    expect(source.tokenRequests).toBe(1);
    expect(apiCalls(sim)).toHaveLength(0);
  });

  it('fetches exactly one new token when 100 concurrent calls find theirs past its 30 minutes', async () => {
    const clock = shiftedClock();
    const { sim, source, call } = await setup({ limits: { burstCapacity: 1000, replenishRate: 1000 } }, {}, clock);
    const ids = entityIds(sim, 100);
    await warmUp(sim, source, call);
    expect(source.tokenRequests).toBe(1);

    clock.advance(31 * MINUTE);
    const results = await Promise.all(ids.map((id) => source.client(id, call())));

    expect(results.map((c) => c?.vendorId)).toEqual(ids);
    expect(source.tokenRequests).toBe(2);
    expect(sim.stats.tokenRequests).toBe(2);
    // Refreshed before use: the vendor never had to refuse the old token.
    expect(apiCalls(sim).filter((e) => e.status === 401)).toHaveLength(0);
  });

  it('fetches exactly one new token when 100 concurrent calls are refused with 401 on one stale token', async () => {
    const clock = shiftedClock();
    // The vendor ends sessions sooner than the documented 30 minutes, so the 401 path is what recovers.
    // Answers straggle in (0-105 ms late) so that some 401s on the old token land after the new token
    // is already in use: only a refresh that knows which token was refused leaves it alone.
    let sent = 0;
    const straggling: FetchLike = async (url, init) => {
      const answer = await fetch(url, init);
      await new Promise((resolve) => setTimeout(resolve, (sent++ % 8) * 15));
      return answer;
    };
    const { sim, source, call } = await setup(
      { tokenTtlMs: 5 * MINUTE, limits: { burstCapacity: 1000, replenishRate: 1000 } },
      {},
      clock,
      { fetch: straggling },
    );
    const ids = entityIds(sim, 100);
    await warmUp(sim, source, call);
    sim.log.length = 0;

    clock.advance(6 * MINUTE);
    const results = await Promise.all(ids.map((id) => source.client(id, call())));

    expect(results.map((c) => c?.vendorId)).toEqual(ids);
    expect(source.tokenRequests).toBe(2);
    expect(tokenCalls(sim)).toHaveLength(1);
    const refused = apiCalls(sim).filter((e) => e.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    // Each refused call was sent once more, and nothing else was repeated.
    expect(apiCalls(sim)).toHaveLength(100 + refused.length);
    expect(apiCalls(sim).filter((e) => e.status === 200)).toHaveLength(100);
  });

  it('refreshes once after a 401 and then gives up when the secret was reset', async () => {
    const { sim, source, call } = await setup();
    const [a, b] = entityIds(sim, 2) as [string, string];
    await source.client(a, call());
    sim.resetSecret('a-brand-new-secret');
    sim.log.length = 0;

    const error = await failure(source.client(b, call()));

    expect(isProblem(error, 'unauthorized')).toBe(true);
    expect(source.tokenRequests).toBe(2);
    expect(sim.log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `GET entities/${b} 401`,
      'POST auth/token 401',
    ]);
  });
});

describe('Caseware source: clients', () => {
  it.each([7, 100])('walks all 150 clients at pageSize %i with no duplicates or gaps, in the API order', async (pageSize) => {
    const { sim, source, call } = await setup({}, { pageSize });
    const clients = await walk(source.clients({}, call()));

    const expected = [...sim.store.entities].sort((a, b) => cmp(a.Name, b.Name) || cmp(a.CWGuid, b.CWGuid));
    expect(clients.map((c) => c.vendorId)).toEqual(expected.map((e) => e.CWGuid));
    expect(new Set(clients.map((c) => c.vendorId)).size).toBe(150);
    expect(apiCalls(sim, 'entities')).toHaveLength(Math.ceil(150 / pageSize) + (150 % pageSize === 0 ? 1 : 0));
    expect(apiCalls(sim, 'entities').map((e) => new URLSearchParams(e.query).get('pageSize'))).toEqual(
      apiCalls(sim, 'entities').map(() => String(pageSize)),
    );
  });

  it('counts 150 clients in two calls and reuses the count', async () => {
    const { sim, source, call } = await setup();
    const clients = source.clients({}, call());
    expect(await clients.count?.()).toBe(150);
    expect(apiCalls(sim, 'entities').map((e) => new URLSearchParams(e.query).get('page'))).toEqual(['1', '2']);
    expect(await clients.count?.()).toBe(150);
    expect(apiCalls(sim)).toHaveLength(2);
  });

  it('counts by probing, far below one call per page, at a small page size', async () => {
    const { sim, source, call } = await setup({}, { pageSize: 7 });
    expect(await source.clients({}, call()).count?.()).toBe(150);
    // 22 pages; doubling then bisecting needs about 2·log2(22).
    expect(apiCalls(sim).length).toBeLessThanOrEqual(11);
  });

  it.each([
    ['name', (e: CasewareEntity) => ({ name: e.Name }), (e: CasewareEntity, x: CasewareEntity) => e.Name === x.Name, "Name='"],
    ['entityType', (e: CasewareEntity) => ({ entityType: e.EntityType }), (e: CasewareEntity, x: CasewareEntity) => e.EntityType === x.EntityType, "EntityType='"],
    [
      'staffId',
      (e: CasewareEntity) => ({ staffId: e.StaffCWGuids[0] as string }),
      (e: CasewareEntity, x: CasewareEntity) => e.StaffCWGuids.includes(x.StaffCWGuids[0] as string),
      "StaffCWGuids='",
    ],
  ])('filters clients by %s through search and counts the filtered list', async (_name, filterOf, matches, term) => {
    const { sim, source, call } = await setup({}, { pageSize: 10 });
    const target = sim.store.entities[4] as CasewareEntity;
    const filtered = source.clients(filterOf(target), call());
    const clients = await walk(filtered);

    const expected = sim.store.entities.filter((e) => matches(e, target)).map((e) => e.CWGuid);
    expect(clients.map((c) => c.vendorId).sort()).toEqual([...expected].sort());
    expect(clients.length).toBeGreaterThan(0);
    expect(await filtered.count?.()).toBe(expected.length);
    expect(new URLSearchParams(apiCalls(sim)[0]?.query).getAll('search')).toEqual([expect.stringContaining(term)]);
  });

  it("quotes a name holding a single quote ('O''Neill')", async () => {
    const { sim, source, call } = await setup();
    const target = sim.store.entities[10] as CasewareEntity;
    target.Name = "O'Neill & Reid Ltd";
    const clients = await walk(source.clients({ name: target.Name }, call()));
    expect(clients.map((c) => c.vendorId)).toEqual([target.CWGuid]);
  });

  it('maps one client and answers null for an unknown id', async () => {
    const { sim, source, call } = await setup();
    const record = sim.store.entities[3] as CasewareEntity;
    const client = await source.client(record.CWGuid, call());
    expect(client).toMatchObject({
      __typename: 'Client',
      vendor: 'CASEWARE',
      vendorId: record.CWGuid,
      name: record.Name,
      number: record.Number,
      entityType: record.EntityType,
      email: record.Email,
      phone: record.Phone,
      address: record.Address,
      createdAt: new Date(record.CreatedDate),
      modifiedAt: new Date(record.ModifiedDate),
      staffIds: record.StaffCWGuids,
    });
    expect(await source.client(UNKNOWN_ID, call())).toBeNull();
  });

  it('answers clientsByIds in key order with null for an unknown id, in one search call plus a check', async () => {
    const { sim, source, call } = await setup();
    const [a, b] = entityIds(sim, 2) as [string, string];
    const results = await source.clientsByIds([b, UNKNOWN_ID, a, b.toLowerCase()], call());

    expect(results.map((c) => (c instanceof Error ? c : c?.vendorId ?? null))).toEqual([b, null, a, b]);
    const searches = apiCalls(sim, 'entities');
    expect(searches).toHaveLength(1);
    expect(new URLSearchParams(searches[0]?.query).getAll('search')).toHaveLength(3);
    // The unknown id was absent from a multi-id answer, so it was looked up on its own before calling it null.
    expect(apiCalls(sim, `entities/${UNKNOWN_ID}`)).toHaveLength(1);
  });
});

describe('Caseware source: users', () => {
  it('walks users in the API order (LastName, FirstName, CWGuid) and counts them by probing', async () => {
    const { sim, source, call } = await setup({ users: 130 });
    const users = source.users(call());
    const all = await walk(users);
    const expected = [...sim.store.users].sort(
      (a, b) => cmp(a.LastName, b.LastName) || cmp(a.FirstName, b.FirstName) || cmp(a.CWGuid, b.CWGuid),
    );
    expect(all.map((u) => u.vendorId)).toEqual(expected.map((u) => u.CWGuid));
    sim.log.length = 0;
    expect(await users.count?.()).toBe(130);
    // Both pages were read a moment ago: the probe is answered from the cache.
    expect(apiCalls(sim)).toHaveLength(0);
  });

  it('fetches 100 users by id in ceil(100 / 50) = 2 calls, answered in key order', async () => {
    const { sim, source, call } = await setup({ users: 120 });
    const ids = sim.store.users.slice(0, 100).map((u) => u.CWGuid).reverse();
    const results = await source.usersByIds(ids, call());

    expect(results.map((u) => (u instanceof Error || u === null ? u : u.vendorId))).toEqual(ids);
    expect(source.userBatchSize).toBe(50);
    const calls = apiCalls(sim);
    expect(calls.map((e) => e.path)).toEqual(['users', 'users']);
    expect(calls.map((e) => new URLSearchParams(e.query).getAll('search').length)).toEqual([50, 50]);
  });

  it('honours userBatchSize and answers null for an id a one-id search did not find', async () => {
    const { sim, source, call } = await setup({}, { userBatchSize: 1 });
    const [a] = sim.store.users as [CasewareUser];
    const results = await source.usersByIds([a.CWGuid, UNKNOWN_ID], call());
    expect(results.map((u) => (u instanceof Error || u === null ? u : u.vendorId))).toEqual([a.CWGuid, null]);
    expect(apiCalls(sim).map((e) => e.path)).toEqual(['users', 'users']);
  });

  it('takes a batch refused with 400 as repeated search unsupported: each of its ids is then one documented GET, with its own result', async () => {
    let poisoned = '';
    // Refuses any call naming one id, as a vendor would a search it cannot run; 400s are not retried.
    const refusing: FetchLike = (url, init) =>
      poisoned && url.toString().includes(poisoned)
        ? Promise.resolve(Response.json({ errors: [{ message: 'Search too complex' }] }, { status: 400 }))
        : fetch(url, init);
    const { sim, source, call } = await setup({}, { userBatchSize: 2 }, undefined, { fetch: refusing });
    const ids = sim.store.users.slice(0, 4).map((u) => u.CWGuid);
    poisoned = ids[3] as string;
    const results = await source.usersByIds(ids, call());

    expect(results.slice(0, 2).map((u) => (u instanceof Error || u === null ? u : u.vendorId))).toEqual(ids.slice(0, 2));
    expect(results.slice(2).map((r) => (r instanceof Error ? r.message : (r?.vendorId ?? null)))).toEqual([ids[2], 'Search too complex']);
  });

  it.each([
    ['an active staff member', { Type: 'A', OwnerType: 'Staff', Title: 'Tax Manager' }, { active: true, role: 'Staff', title: 'Tax Manager' }],
    ['an inactive contact', { Type: 'I', OwnerType: 'Contact', Title: null }, { active: false, role: 'Contact', title: null }],
  ] as const)('maps %s', (_name, patch, expected) => {
    const record: CasewareUser = { ...ADA, ...patch };
    expect(toUser(record)).toMatchObject({
      __typename: 'User',
      vendor: 'CASEWARE',
      vendorId: record.CWGuid,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      mobile: null,
      locationRole: null,
      locationIds: [],
      mfaEnabled: null,
      createdAt: new Date('2024-01-02T03:04:05.000Z'),
      modifiedAt: new Date('2025-01-02T03:04:05.000Z'),
      ...expected,
    });
  });
});

const ADA: CasewareUser = {
  CWGuid: 'A1B2C3D4-0000-4000-A000-000000000001',
  FirstName: 'Ada',
  LastName: 'Lovelace',
  MiddleName: null,
  Email: 'ada@example.com',
  Title: null,
  UserName: 'ada',
  OwnerType: 'Staff',
  Admin: false,
  CanLogin: true,
  Type: 'A',
  InActiveDate: null,
  CreatedDate: '2024-01-02T03:04:05.000Z',
  ModifiedDate: '2025-01-02T03:04:05.000Z',
};

function response(status: number, headers: Record<string, string> = {}, body?: unknown): UpstreamResponse {
  return { status, headers: new Headers(headers), body, bytes: new Uint8Array() };
}

function bucketHeaders(burst: number, remaining: number, rate: number, requested: number): Record<string, string> {
  return {
    'x-ratelimit-burst-capacity': String(burst),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-replenish-rate': String(rate),
    'x-ratelimit-requested-tokens': String(requested),
  };
}

describe('Caseware source: rate limits and errors', () => {
  it('reads the bucket headers as capacity, tokens left, refill rate and cost', () => {
    const { readRateSignal } = casewareResponses();
    expect(readRateSignal(response(200, bucketHeaders(30, 12, 6, 2)), 0)).toEqual({
      limit: 30,
      remaining: 12,
      refillPerSecond: 6,
      cost: 2,
    });
  });

  it.each([
    ['its own headers', [], response(429, bucketHeaders(30, 0, 5, 2)), 400],
    ['the last headers seen', [response(200, bucketHeaders(20, 3, 8, 1))], response(429), 125],
    ['its own headers over older ones', [response(200, bucketHeaders(20, 3, 8, 1))], response(429, bucketHeaders(4, 0, 2, 1)), 500],
    ['a Retry-After, should one appear', [response(200, bucketHeaders(20, 3, 8, 1))], response(429, { 'retry-after': '3' }), 3000],
    ['nothing at all (a second)', [], response(429), 1000],
  ])('derives a bare 429 wait from %s', (_name, earlier, limited, waitMs) => {
    const { readRateSignal, classifyError } = casewareResponses();
    for (const seen of earlier) readRateSignal(seen, 0);
    expect(readRateSignal(limited, 0).retryAfterMs).toBe(waitMs);
    expect(classifyError(limited, 0).problem).toEqual({ kind: 'rate_limited', retryAfterMs: waitMs });
  });

  it.each([
    [404, { errors: [{ message: 'User not found' }] }, 'not_found', 'User not found'],
    [400, { errors: [{ message: "Invalid search 'x'" }, { message: 'second' }] }, 'bad_request', "Invalid search 'x'"],
    [401, { errors: [{ message: 'Invalid or expired token' }] }, 'unauthorized', 'Invalid or expired token'],
    [403, { errors: [] }, 'forbidden', 'Caseware answered 403'],
    [500, undefined, 'server_error', 'Caseware answered 500'],
  ])('classifies a %i with its first error message', (status, body, kind, message) => {
    const classified = casewareResponses().classifyError(response(status, {}, body), 0);
    expect(classified.problem.kind).toBe(kind);
    expect(classified.message).toBe(message);
  });

  it('retries a bare 429 after the wait its headers imply and then gets the record', async () => {
    const { sim, source, call } = await setup({ limits: { replenishRate: 4 } });
    const id = entityIds(sim, 1)[0] as string;
    await warmUp(sim, source, call);
    sim.log.length = 0;
    sim.faults.rateLimitBurst = 1;
    const client = await source.client(id, call());

    expect(client?.vendorId).toBe(id);
    const [limited, ok] = apiCalls(sim);
    expect([limited?.status, ok?.status]).toEqual([429, 200]);
    // One token at 4 per second: 250 ms, less a little for the clocks of two loopback requests.
    expect((ok?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(230);
    expect(source.upstream.stats.rateLimited).toBe(1);
  });

  it('retries a 500 on a list read and returns the page', async () => {
    const { sim, source, call } = await setup();
    await warmUp(sim, source, call);
    sim.log.length = 0;
    sim.faults.serverErrors = 1;
    const page = await source.users(call()).page(0);
    expect(page.items).toHaveLength(60);
    expect(apiCalls(sim).map((e) => e.status)).toEqual([500, 200]);
  });

  it('finishes a burst of 40 reads with no errors after the limits drop at run time, and learns them', async () => {
    const { sim, source, call } = await setup();
    const ids = entityIds(sim, 45);
    for (const id of ids.slice(0, 5)) await source.client(id, call());
    expect((await source.upstream.status()).budget.limit).toBe(20);

    sim.limits.burstCapacity = 4;
    sim.limits.replenishRate = 8;
    const results = await Promise.allSettled(ids.slice(5).map((id) => source.client(id, call())));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value?.vendorId : undefined))).toEqual(ids.slice(5));
    const status = await source.upstream.status();
    expect(status.budget.limit).toBe(4);
    expect(status.budget.learned).toBe(true);
    const limited = apiCalls(sim).filter((e) => e.status === 429).length;
    expect(apiCalls(sim).filter((e) => e.status === 200)).toHaveLength(45);
    expect(source.upstream.stats.rateLimited).toBe(limited);
  });
});

describe('Caseware source: options', () => {
  const base: CasewareOptions = {
    baseUrl: 'https://us.casewarecloud.com/acme/ms/caseware-cloud/api/v2/',
    credentials: { clientId: 'acme-client-77', clientSecret: 'top-secret-value' },
  };

  it.each([
    [{ baseUrl: 'not a url' }, 'expected baseUrl to be a URL like https://'],
    [{ baseUrl: 'ftp://example.com/' }, 'expected baseUrl to be an http(s) URL, got "ftp://example.com/"'],
    [{ credentials: { clientId: '', clientSecret: 's' } }, 'expected credentials.clientId to be a non-empty string, got ""'],
    [{ credentials: { clientId: 'id', clientSecret: '' } }, 'expected credentials.clientSecret to be a non-empty string, got an empty string'],
    [{ language: '' }, 'expected language to be a non-empty string, got ""'],
    [{ bucket: { capacity: 0, refillPerSecond: 10 } }, 'expected bucket.capacity to be above 0, got 0'],
    [{ bucket: { capacity: 20, refillPerSecond: -1 } }, 'expected bucket.refillPerSecond to be above 0, got -1'],
    [{ cacheTtlMs: -1 }, 'expected cacheTtlMs to be 0 or more, got -1'],
    [{ userBatchSize: 0 }, 'expected userBatchSize to be a whole number from 1 to 100, got 0'],
    [{ userBatchSize: 2.5 }, 'expected userBatchSize to be a whole number from 1 to 100, got 2.5'],
    [{ pageSize: 101 }, 'expected pageSize to be a whole number from 1 to 100, got 101'],
    [{ tokenRefreshBeforeMs: 30 * MINUTE }, 'expected tokenRefreshBeforeMs to be 0 or more and under the token'],
    [{ tokenTimeoutMs: 0 }, 'expected tokenTimeoutMs to be above 0, got 0'],
  ] as Array<[Partial<CasewareOptions>, string]>)('rejects %j with a clear message', (patch, message) => {
    expect(() => CasewareSource.create(new UpstreamCore(), { ...base, ...patch })).toThrow(message);
  });

  it('never puts the secret in an options error', () => {
    const create = () => CasewareSource.create(new UpstreamCore(), { ...base, credentials: { clientId: '', clientSecret: 'top-secret-value' } });
    expect(create).toThrow('credentials.clientId');
    expect(create).not.toThrow('top-secret-value');
  });

  it('defaults to batches of 50 and native pages of 100', () => {
    const source = CasewareSource.create(new UpstreamCore(), base);
    expect(source.userBatchSize).toBe(50);
    expect(source.users(callAt()).pageSize).toBe(100);
    expect(source.clients({}, callAt()).pageSize).toBe(100);
    expect(source.upstream.adapter.baseUrl).toBe(base.baseUrl);
    expect(source.upstream.adapter.rateSpec).toEqual({ kind: 'bucket', capacity: 20, refillPerSecond: 10 });
    expect(source.upstream.adapter.budgetKey).toMatch(/^caseware:[0-9a-f]{12}$/);
  });
});
