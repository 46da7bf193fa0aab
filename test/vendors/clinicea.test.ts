import { afterAll, describe, expect, it } from 'vitest';
import type { Lead, LeadQuery } from '../../src/domain/lead.ts';
import type { PagedSource } from '../../src/domain/paging.ts';
import {
  CLINICEA_DEMO_CREDENTIALS,
  startCliniceaSimulator,
  type CliniceaSimulator,
  type CliniceaSimulatorOptions,
} from '../../src/simulators/clinicea/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { UpstreamError, isProblem } from '../../src/upstream/errors.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';
import { CliniceaSource, cliniceaAdapter, type CliniceaOptions } from '../../src/vendors/clinicea/index.ts';
import { toDataStatus, toDate, toLead, toLeadListQuery } from '../../src/vendors/clinicea/mapping.ts';
import { RateLearner } from '../../src/vendors/clinicea/responses.ts';
import { lastSyncTimestamp } from '../../src/vendors/clinicea/sync.ts';
import { CLINICEA_NULL_DATE, type CliniceaLead } from '../../src/vendors/clinicea/wire.ts';

const KEY = CLINICEA_DEMO_CREDENTIALS.apiKey;
const LEAD_COUNT = 345;
/** Seeded data ends at SEED_ANCHOR (09:00); pinned simulator clocks sit later the same day. */
const T0 = Date.parse('2026-06-01T12:00:00Z');

const started: CliniceaSimulator[] = [];
afterAll(async () => {
  await Promise.all(started.map((sim) => sim.close()));
});

/** Most tests keep the vendor's rate limit out of the way; the 429 tests set their own. */
async function simulator(options: CliniceaSimulatorOptions = {}): Promise<CliniceaSimulator> {
  const sim = await startCliniceaSimulator({ perSecond: 10_000, ...options });
  started.push(sim);
  return sim;
}

/** Built as production builds it: one core, the source from options. */
function sourceFor(sim: CliniceaSimulator, options: Partial<CliniceaOptions> = {}): CliniceaSource {
  const core = new UpstreamCore({});
  return CliniceaSource.create(core, { baseUrl: sim.baseUrl, credentials: sim.credentials, requestsPerSecond: 100, ...options });
}

function call(): CallContext {
  return { priority: 'interactive', deadline: Date.now() + 15_000 };
}

function leadGets(sim: CliniceaSimulator) {
  return sim.log.filter((entry) => entry.method === 'GET' && entry.path === 'leads');
}

/** Every page from the first until a short one, as the GraphQL layer walks forward. */
async function walk(source: PagedSource<Lead>): Promise<Lead[][]> {
  const pages: Lead[][] = [];
  for (let index = 0; ; index += 1) {
    const { items } = await source.page(index);
    if (items.length > 0) pages.push([...items]);
    if (items.length < source.pageSize) return pages;
  }
}

/** Records `offset .. offset+limit` from the native pages that cover them, as a Relay window is read. */
async function readRange(source: PagedSource<Lead>, offset: number, limit: number): Promise<Lead[]> {
  const first = Math.floor(offset / source.pageSize);
  const last = Math.floor((offset + limit - 1) / source.pageSize);
  const pages = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => source.page(first + i)));
  const start = offset - first * source.pageSize;
  return pages.flatMap((page) => page.items).slice(start, start + limit);
}

function expectOneOfEach(ids: string[], expected: number): void {
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
}

describe('credentials', () => {
  it('sends the key in the api header and reads leads with it', async () => {
    const sim = await simulator();
    const page = await sourceFor(sim).leads({}, call()).page(0);
    expect(page.items).toHaveLength(100);
    expect(sim.log.map((entry) => [entry.status, entry.headers.api])).toEqual([[200, KEY]]);
  });

  it('fails a wrong key once with unauthorized, the vendor message and no key in it', async () => {
    const sim = await simulator();
    const wrongKey = 'not-the-key-4b1d';
    const source = sourceFor(sim, { credentials: { apiKey: wrongKey } });
    const failure = await source.leads({}, call()).page(0).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(isProblem(failure, 'unauthorized')).toBe(true);
    expect(failure).toMatchObject({ vendor: 'clinicea', status: 401, message: 'Authorization has been denied for this request.' });
    expect(String((failure as Error).message)).not.toContain(wrongKey);
    expect(sim.log.map((entry) => entry.status)).toEqual([401]);
  });

  it('gives two keys two rate budgets, neither named by the key', () => {
    const budget = (apiKey: string) =>
      cliniceaAdapter({ baseUrl: 'https://api.clinicea.com/api/v1/', credentials: { apiKey } }, { now: () => 0 }).budgetKey;
    expect(budget('key-a')).not.toBe(budget('key-b'));
    expect(budget('key-a')).toMatch(/^clinicea:[0-9a-f]{12}$/);
    expect(budget('key-a')).not.toContain('key-a');
  });
});

describe('paging', () => {
  it('walks all 345 leads in pages of 100 from page 0, ending on the short page', async () => {
    const sim = await simulator();
    const pages = await walk(sourceFor(sim).leads({}, call()));
    expect(pages.map((page) => page.length)).toEqual([100, 100, 100, 45]);
    const ids = pages.flat().map((lead) => lead.vendorId);
    expectOneOfEach(ids, LEAD_COUNT);
    expect(ids).toEqual([...sim.store.leads.keys()]);
    expect(leadGets(sim).map((entry) => new URLSearchParams(entry.query).get('intPageNo'))).toEqual(['0', '1', '2', '3']);
  });

  it('reads every lead once through windows of 7, fetching each native page once', async () => {
    const sim = await simulator();
    const source = sourceFor(sim).leads({}, call());
    const ids: string[] = [];
    for (let offset = 0; ; offset += 7) {
      const window = await readRange(source, offset, 7);
      ids.push(...window.map((lead) => lead.vendorId));
      if (window.length < 7) break;
    }
    expectOneOfEach(ids, LEAD_COUNT);
    expect(ids).toEqual([...sim.store.leads.keys()]);
    // The response cache serves the other windows of a page; past the end is one 204.
    expect(leadGets(sim)).toHaveLength(4);
  });

  it('treats the 204 past the last page as an empty page', async () => {
    const sim = await simulator();
    const page = await sourceFor(sim).leads({}, call()).page(7);
    expect(page.items).toEqual([]);
    expect(leadGets(sim).map((entry) => entry.status)).toEqual([204]);
  });

  it('numbers pages from 1 when the vendor does', async () => {
    const sim = await simulator({ firstPageNumber: 1 });
    const pages = await walk(sourceFor(sim, { firstPageNumber: 1 }).leads({}, call()));
    expectOneOfEach(pages.flat().map((lead) => lead.vendorId), LEAD_COUNT);
    expect(leadGets(sim).map((entry) => new URLSearchParams(entry.query).get('intPageNo'))).toEqual(['1', '2', '3', '4']);
  });

  it('counts 345 leads with five GETs, then answers again from its cache', async () => {
    const sim = await simulator();
    const source = sourceFor(sim);
    const [count, concurrent] = await Promise.all([source.leads({}, call()).count?.(), source.leads({}, call()).count?.()]);
    expect([count, concurrent]).toEqual([LEAD_COUNT, LEAD_COUNT]);
    // Pages 0, 1, 2, then 4 (empty) and 3 (short): well under walking twice.
    expect(leadGets(sim).length).toBeLessThanOrEqual(5);
    const calls = leadGets(sim).length;
    expect(await source.leads({}, call()).count?.()).toBe(LEAD_COUNT);
    expect(leadGets(sim)).toHaveLength(calls);
  });

  it('remembers at most maxRememberedCounts counts, however many distinct filters clients send', async () => {
    const sim = await simulator();
    const source = sourceFor(sim, { maxRememberedCounts: 3 });
    for (let month = 1; month <= 6; month += 1) {
      const from = `2026-0${month}-01`;
      await source.leads({ createdFrom: from, createdTo: from }, call()).count?.();
      expect(source.rememberedCounts).toBeLessThanOrEqual(3);
    }
    expect(source.rememberedCounts).toBe(3);
  });

  it('counts each query on its own', async () => {
    const sim = await simulator();
    const source = sourceFor(sim);
    const query: LeadQuery = { createdFrom: '2026-01-01', createdTo: '2026-03-31' };
    const expected = [...sim.store.leads.values()].filter(
      (lead) => lead.CreatedDatetime >= '2026-01-01' && lead.CreatedDatetime < '2026-04-01',
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(await source.leads(query, call()).count?.()).toBe(expected);
    expect(await source.leads({}, call()).count?.()).toBe(LEAD_COUNT);
  });
});

describe('filters', () => {
  it('sends createdFrom and createdTo as startRange and endRange yyyymmdd and gets only leads created then', async () => {
    const sim = await simulator();
    const leads = (await walk(sourceFor(sim).leads({ createdFrom: '2026-02-01', createdTo: '2026-02-28' }, call()))).flat();
    expect(leads.length).toBeGreaterThan(0);
    for (const lead of leads) {
      const day = lead.createdAt?.toISOString().slice(0, 10) ?? '';
      expect(day >= '2026-02-01' && day <= '2026-02-28').toBe(true);
    }
    const query = new URLSearchParams(leadGets(sim)[0]?.query);
    expect([query.get('startRange'), query.get('endRange')]).toEqual(['20260201', '20260228']);
  });

  it.each<[string, LeadQuery, string]>([
    ['a date that does not exist', { createdFrom: '2026-02-30' }, 'createdFrom'],
    ['a date in another format', { createdTo: '01/02/2026' }, 'createdTo'],
    ['a range that ends before it starts', { createdFrom: '2026-03-01', createdTo: '2026-02-01' }, 'createdTo'],
    ['an invalid changedSince', { changedSince: new Date(Number.NaN) }, 'changedSince'],
  ])('refuses %s as a bad request without calling Clinicea', async (_, query, field) => {
    const sim = await simulator();
    let failure: unknown;
    try {
      sourceFor(sim).leads(query, call());
    } catch (error) {
      failure = error;
    }
    expect(isProblem(failure, 'bad_request')).toBe(true);
    expect(isProblem(failure, 'bad_request') && Object.keys(failure.problem.fieldErrors ?? {})).toEqual([field]);
    expect(sim.log).toHaveLength(0);
  });
});

describe('incremental sync', () => {
  it.each([
    ['on a whole second', '2026-06-01T12:00:00.000Z', '2026-06-01T11:59:59+0:00'],
    ['late in a second', '2026-06-01T12:00:00.999Z', '2026-06-01T11:59:59+0:00'],
    ['given in another zone', '2026-06-01T13:30:05.250+01:00', '2026-06-01T12:30:04+0:00'],
    ['across midnight', '2026-01-01T00:00:00.400Z', '2025-12-31T23:59:59+0:00'],
  ])('writes changedSince %s as the UTC second before it with the docs\' +0:00 offset, without ms or Z', (_, since, expected) => {
    expect(lastSyncTimestamp(new Date(since))).toBe(expected);
  });

  it('returns a create, an update and a delete after the sync point as ADDED, MODIFIED and DELETED', async () => {
    let now = T0 - 2_000;
    const sim = await simulator({ clock: () => now });
    const source = sourceFor(sim);
    const [earlyId = '', modifiedId = '', deletedId = ''] = sim.store.leads.keys();
    // Two seconds before the sync point: already seen by the previous sync, so not reported again.
    sim.store.update(earlyId, { Notes: 'Seen by the last sync.' });

    const syncPoint = new Date(T0 + 300);
    // Stamped 12:00:00 by a vendor that keeps whole seconds, yet after the sync point: must not be lost.
    now = T0 + 700;
    const created = await fetch(`${sim.baseUrl}/leads`, {
      method: 'POST',
      headers: { api: KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ FirstName: 'Niamh', LastName: 'Reid', Email: 'niamh.reid@example.com', Source: 'Phone' }),
    });
    const added = (await created.json()) as CliniceaLead;
    now = T0 + 2_000;
    sim.store.update(modifiedId, { Status: 'Lost', Notes: 'Went elsewhere.' });
    now = T0 + 3_000;
    expect(sim.store.remove(deletedId)).toBe(true);

    const changes = (await walk(source.leads({ changedSince: syncPoint }, call()))).flat();
    expect(changes.map((lead) => [lead.vendorId, lead.dataStatus])).toEqual([
      [added.LeadID, 'ADDED'],
      [modifiedId, 'MODIFIED'],
      [deletedId, 'DELETED'],
    ]);
    expect(changes[0]).toMatchObject({ firstName: 'Niamh', lastName: 'Reid', source: 'Phone', status: 'New', createdAt: new Date(T0) });
    expect(changes[1]).toMatchObject({ status: 'Lost', notes: 'Went elsewhere.', modifiedAt: new Date(T0 + 2_000) });
    expect(changes[2]).toMatchObject({
      vendorId: deletedId,
      firstName: null,
      email: null,
      ownerId: null,
      createdAt: null,
      modifiedAt: new Date(T0 + 3_000),
      dataStatus: 'DELETED',
    });
    expect(new URLSearchParams(leadGets(sim)[0]?.query).get('lastSyncTimestamp')).toBe('2026-06-01T11:59:59+0:00');
    expect(await source.leads({ changedSince: syncPoint }, call()).count?.()).toBe(3);
  });
});

describe('single leads', () => {
  it('reads one lead by id and maps it, and answers null for an unknown id', async () => {
    const sim = await simulator();
    const source = sourceFor(sim);
    const record = [...sim.store.leads.values()].find((lead) => lead.OwnerUserID !== null && lead.ModifiedDatetime !== CLINICEA_NULL_DATE);
    if (!record) throw new Error('the seed should hold an owned, modified lead');
    expect(await source.lead(record.LeadID, call())).toEqual(toLead(record));
    expect(await source.lead(record.LeadID, call())).toMatchObject({ vendorId: record.LeadID, ownerId: record.OwnerUserID, dataStatus: 'NONE' });
    expect(await source.lead('999999999', call())).toBeNull();
    expect(sim.log.map((entry) => [entry.path, entry.status])).toEqual([
      [`leads/${record.LeadID}`, 200],
      ['leads/999999999', 404],
    ]);
  });

  it.each(['..', '', '12/34', '1?x=2'])('answers null for the id %j without calling Clinicea', async (id) => {
    const sim = await simulator();
    expect(await sourceFor(sim).lead(id, call())).toBeNull();
    expect(sim.log).toHaveLength(0);
  });

  it('answers leads by id in key order, null for unknown ids, one GET per distinct id', async () => {
    const sim = await simulator();
    const [a = '', b = ''] = sim.store.leads.keys();
    const results = await sourceFor(sim).leadsByIds([b, '999999999', a, b], call());
    expect(results.map((result) => (result instanceof Error ? 'error' : (result?.vendorId ?? null)))).toEqual([b, null, a, b]);
    expect(sim.log).toHaveLength(3);
  });

  it('puts each failure in its own slot instead of failing the batch', async () => {
    const sim = await simulator();
    const [a = ''] = sim.store.leads.keys();
    const results = await sourceFor(sim, { credentials: { apiKey: 'wrong' } }).leadsByIds([a, '1'], call());
    expect(results.map((result) => isProblem(result, 'unauthorized'))).toEqual([true, true]);
  });
});

describe('rate limits and failures', () => {
  it('obeys 429 Retry-After: ten parallel page reads at 2 per second all succeed', async () => {
    const sim = await simulator();
    sim.limits.perSecond = 2;
    const source = sourceFor(sim, { requestsPerSecond: undefined });
    const leads = source.leads({}, call());
    const pages = await Promise.all(Array.from({ length: 10 }, (_, index) => leads.page(index)));
    expect(pages.map((page) => page.items.length)).toEqual([100, 100, 100, 45, 0, 0, 0, 0, 0, 0]);
    const statuses = sim.log.map((entry) => entry.status);
    expect(statuses.filter((status) => status === 200 || status === 204)).toHaveLength(10);
    // Each 429 pauses the key and lowers its rate to what Clinicea accepted: three 429s when the budget is
    // learned, a couple more when our windows straddle the vendor's. Keeping the configured 5/s gives about
    // eleven; ignoring Retry-After, dozens.
    expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(6);
    expect(source.upstream.stats.rateLimited).toBe(statuses.filter((status) => status === 429).length);
    expect((await source.upstream.status()).budget.limit).toBeLessThanOrEqual(2);
  }, 30_000);

  it('waits out an injected 429 and then sends the read once', async () => {
    const sim = await simulator();
    sim.faults.rateLimitBurst = 1;
    const started = Date.now();
    const page = await sourceFor(sim).leads({}, call()).page(3);
    expect(page.items).toHaveLength(45);
    expect(sim.log.map((entry) => entry.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it.each([500, 503] as const)('retries a GET after one %i and succeeds', async (status) => {
    const sim = await simulator({ serverErrorStatus: status });
    sim.faults.serverErrors = 1;
    const [id = ''] = sim.store.leads.keys();
    expect(await sourceFor(sim).lead(id, call())).toMatchObject({ vendorId: id });
    expect(sim.log.map((entry) => entry.status)).toEqual([status, 200]);
  });

  it('reports a 500 that persists as server_error with the vendor message', async () => {
    const sim = await simulator();
    sim.faults.serverErrors = 100;
    const failure = await sourceFor(sim).leads({}, call()).page(0).catch((error: unknown) => error);
    expect(isProblem(failure, 'server_error')).toBe(true);
    expect(failure).toMatchObject({ status: 500, message: 'An error has occurred.' });
    // The first try and three retries.
    expect(sim.log).toHaveLength(4);
  });

  it('reports a vendor 400 as bad_request with its Message, without retrying', async () => {
    // Numbering from 0 against a vendor version that numbers from 1: the vendor refuses page 0.
    const sim = await simulator({ firstPageNumber: 1 });
    const failure = await sourceFor(sim, { firstPageNumber: 0 }).leads({}, call()).page(0).catch((error: unknown) => error);
    expect(isProblem(failure, 'bad_request')).toBe(true);
    expect(failure).toMatchObject({ status: 400, message: "intPageNo must be a whole number from 1, got '0'." });
    expect(sim.log).toHaveLength(1);
  });
});

describe('learning the rate from 429s', () => {
  const answer = (status: number, retryAfter?: string): UpstreamResponse => ({
    status,
    headers: new Headers(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
    body: undefined,
    bytes: new Uint8Array(),
  });

  it('drops to the calls accepted in the second before a 429, waits its Retry-After, and creeps back up', () => {
    const learner = new RateLearner(5);
    expect(learner.read(answer(200), 0)).toEqual({});
    expect(learner.read(answer(200), 400)).toEqual({});
    expect(learner.read(answer(429, '2'), 900)).toEqual({ limit: 2, retryAfterMs: 2000 });
    expect(learner.read(answer(200), 5_000)).toEqual({});
    expect(learner.read(answer(200), 10_900)).toEqual({ limit: 3 });
    expect(learner.read(answer(200), 15_000)).toEqual({});
    expect(learner.read(answer(200), 20_900)).toEqual({ limit: 4 });
    expect(learner.read(answer(200), 30_900)).toEqual({ limit: 5 });
    expect(learner.read(answer(200), 60_000)).toEqual({});
  });

  it.each<[string, number[], number]>([
    ['nothing accepted lately', [], 1],
    ['calls older than a second', [0, 100, 200], 1],
    ['more accepted than configured', [1000, 1100, 1200, 1300, 1400, 1500, 1600], 5],
  ])('keeps the learned limit between 1 and the configured rate with %s', (_, acceptedAt, limit) => {
    const learner = new RateLearner(5);
    for (const at of acceptedAt) learner.read(answer(204), at);
    expect(learner.read(answer(429), 1900)).toEqual({ limit, retryAfterMs: 1000 });
  });
});

describe('mapping', () => {
  it.each<[string, string | null, string | null]>([
    ['the unset sentinel', CLINICEA_NULL_DATE, null],
    ['a zone-less time, as UTC', '2026-03-04T05:06:07', '2026-03-04T05:06:07.000Z'],
    ['a time with Z', '2026-03-04T05:06:07Z', '2026-03-04T05:06:07.000Z'],
    ['a time with an offset', '2026-03-04T06:06:07+01:00', '2026-03-04T05:06:07.000Z'],
    ['nothing', null, null],
    ['garbage', 'yesterday-ish', null],
  ])('reads %s', (_, value, expected) => {
    expect(toDate(value)?.toISOString() ?? null).toBe(expected);
  });

  it.each([
    ['None', 'NONE'],
    ['Added', 'ADDED'],
    ['Modified', 'MODIFIED'],
    ['Deleted', 'DELETED'],
    [undefined, 'NONE'],
  ] as const)('maps DataStatusStr %s to %s', (wire, domain) => {
    expect(toDataStatus(wire)).toBe(domain);
  });

  it('keeps the record as raw and nulls everything but the id and deletion time of a tombstone', () => {
    const record: CliniceaLead = {
      LeadID: '100007',
      FirstName: 'Left',
      LastName: 'Over',
      Email: 'left@example.com',
      Mobile: null,
      Source: 'Website',
      Status: 'Lost',
      Notes: null,
      OwnerUserID: 'usr_1',
      CreatedDatetime: '2026-01-01T00:00:00',
      ModifiedDatetime: '2026-06-01T12:00:03',
      DataStatusStr: 'Deleted',
    };
    const lead = toLead(record);
    expect(lead).toMatchObject({ vendor: 'CLINICEA', vendorId: '100007', firstName: null, email: null, source: null, ownerId: null, createdAt: null });
    expect(lead.modifiedAt).toEqual(new Date('2026-06-01T12:00:03Z'));
    expect(lead.raw).toEqual(record);
    expect(toLead({ ...record, DataStatusStr: 'Modified' })).toMatchObject({ firstName: 'Left', ownerId: 'usr_1', source: 'Website' });
  });

  it('leaves filters out of the query when none are given', () => {
    expect(JSON.parse(JSON.stringify(toLeadListQuery({})))).toEqual({});
  });
});

describe('options', () => {
  const valid: CliniceaOptions = { baseUrl: 'https://api.clinicea.com/api/v1/', credentials: { apiKey: 'k-secret-1' } };

  it.each<[string, Partial<CliniceaOptions>, RegExp]>([
    ['a relative base URL', { baseUrl: 'api/v1' }, /expected baseUrl to be an absolute URL, got "api\/v1"/],
    ['a non-http base URL', { baseUrl: 'ftp://api.clinicea.com/' }, /expected baseUrl to be an http\(s\) URL, got ftp:/],
    ['an empty key', { credentials: { apiKey: '' } }, /expected credentials.apiKey to be a non-empty string, got an empty string/],
    ['a zero rate', { requestsPerSecond: 0 }, /expected requestsPerSecond to be a number > 0, got 0/],
    ['page numbers from 2', { firstPageNumber: 2 as 0 }, /expected firstPageNumber to be 0 or 1, got 2/],
    ['a negative cache time', { cacheTtlMs: -1 }, /expected cacheTtlMs to be a number >= 0, got -1/],
  ])('refuses %s at construction', (_, override, message) => {
    const build = () => CliniceaSource.create(new UpstreamCore({}), { ...valid, ...override });
    expect(build).toThrow(message);
    expect(build).not.toThrow(/k-secret-1/);
  });

  it.each([
    ['https://api.clinicea.com/api/v1/', 'https://api.clinicea.com/api/v1/'],
    ['https://api.clinicea.com/api/v1', 'https://api.clinicea.com/api/v1/'],
    ['https://api.clinicea.com', 'https://api.clinicea.com/api/v1/'],
  ])('takes the base URL %s as %s', (baseUrl, expected) => {
    expect(cliniceaAdapter({ ...valid, baseUrl }, { now: () => 0 }).baseUrl).toBe(expected);
  });

  it('defaults to 5 requests per second in one-second windows', () => {
    expect(cliniceaAdapter(valid, { now: () => 0 }).rateSpec).toEqual({ kind: 'window', limit: 5, windowMs: 1000 });
  });
});
