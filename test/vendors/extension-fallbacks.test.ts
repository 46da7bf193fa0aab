/**
 * Detect, fall back, remember, vendor by vendor, against strict simulators (they serve only what each vendor
 * documents): every extension's answer is checked, nothing not asked for is ever returned, the documented
 * calls take over, and what was learnt spares the next caller (or, through one memory as Redis shares it,
 * the next replica) the failed try. Against the usual simulators the extensions are used and remembered as
 * supported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCareHqSimulator } from '../../src/simulators/carehq/server.ts';
import { startCasewareSimulator } from '../../src/simulators/caseware/server.ts';
import { startCliniceaSimulator } from '../../src/simulators/clinicea/server.ts';
import { compareGenericUsers } from '../../src/simulators/generic/seed.ts';
import { startGenericSimulator } from '../../src/simulators/generic/server.ts';
import { CallBudget } from '../../src/upstream/budget.ts';
import { Capabilities } from '../../src/upstream/capabilities.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { isProblem } from '../../src/upstream/errors.ts';
import { CAREHQ_EXTENSIONS, CareHqSource } from '../../src/vendors/carehq/index.ts';
import { CASEWARE_EXTENSIONS, CasewareSource } from '../../src/vendors/caseware/index.ts';
import { CLINICEA_EXTENSIONS, CliniceaSource } from '../../src/vendors/clinicea/index.ts';
import { GENERIC_EXTENSIONS, GenericSource } from '../../src/vendors/generic/index.ts';
import type { CareHqEnquiry } from '../../src/vendors/carehq/wire.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';

const call = (budget?: CallBudget): CallContext => ({ priority: 'interactive', deadline: Date.now() + 20_000, ...(budget ? { budget } : {}) });
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});
const vendorIdOf = (result: unknown) => (result instanceof Error ? 'error' : ((result as { vendorId: string } | null)?.vendorId ?? null));

describe('Generic API: ids= and GET users/{id}', () => {
  async function setup(strict: boolean, userCount = 45) {
    const sim = await startGenericSimulator({ strict, userCount, limits: { limit: 10_000, windowSeconds: 1 } });
    open.push(sim);
    const memory = new Capabilities();
    const source = (capabilities = memory) =>
      GenericSource.create(new UpstreamCore({ capabilities }), { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    return { sim, memory, source };
  }

  it('strict: an ignored ids= is caught, its extra users dropped, and the list walked; the next replica goes straight to the walk', async () => {
    const { sim, memory, source } = await setup(true);
    const wanted = [sim.store.users[40]?.id ?? '', sim.store.users[7]?.id ?? '', 'nobody-here'];
    const results = await source().usersByIds(wanted, call());
    expect(results.map(vendorIdOf)).toEqual([wanted[0], wanted[1], null]);
    expect(memory.snapshot()).toEqual({ [`generic:${GENERIC_EXTENSIONS.idsFilter}`]: 'unsupported', [`generic:${GENERIC_EXTENSIONS.userById}`]: 'unsupported' });

    const before = sim.log.length;
    const again = await source().usersByIds(wanted, call());
    expect(again.map(vendorIdOf)).toEqual([wanted[0], wanted[1], null]);
    const calls = sim.log.slice(before).filter((e) => e.path !== 'oauth/token');
    // One documented page of 100 holds all 45 users: no ids=, no users/{id}.
    expect(calls.map((e) => `${e.path}?${e.query}`)).toEqual(['users?page=1&limit=100']);
  });

  it('strict: asked for every user, an ignoring server answers a first page of asked users only; the rest are still found, not null', async () => {
    const { sim, source } = await setup(true, 30);
    const all = sim.store.users.map((u) => u.id);
    const results = await source().usersByIds(all, call());
    expect(results.map(vendorIdOf)).toEqual(all);
  });

  it('strict: a user by id is found by the walk, and an unknown id is null only once the walk reached the end', async () => {
    const { sim, source } = await setup(true, 250);
    const sorted = [...sim.store.users].sort(compareGenericUsers);
    const late = sorted[230]?.id ?? '';
    const generic = source();
    expect(vendorIdOf(await generic.user(late, call()))).toBe(late);
    expect(await generic.user('nobody-here', call())).toBeNull();
  });

  it('strict: the walk stops at the request budget, and ids it did not reach are that error, not null', async () => {
    const { sim, memory, source } = await setup(true, 250);
    await memory.remember('generic', GENERIC_EXTENSIONS.idsFilter, 'unsupported');
    await memory.remember('generic', GENERIC_EXTENSIONS.userById, 'unsupported');
    const sorted = [...sim.store.users].sort(compareGenericUsers);
    const [early, late] = [sorted[3]?.id ?? '', sorted[230]?.id ?? ''];
    const results = await source().usersByIds([early, late], call(new CallBudget(2)));
    expect(vendorIdOf(results[0])).toBe(early);
    expect(isProblem(results[1], 'call_budget_spent')).toBe(true);
  });

  it('usual simulator: ids= answers exactly what was asked, in one call, and is remembered as supported', async () => {
    const { sim, memory, source } = await setup(false);
    const wanted = [sim.store.users[40]?.id ?? '', sim.store.users[7]?.id ?? ''];
    const before = sim.log.length;
    expect((await source().usersByIds(wanted, call())).map(vendorIdOf)).toEqual(wanted);
    expect(sim.log.slice(before).filter((e) => e.path === 'users')).toHaveLength(1);
    expect(await memory.support('generic', GENERIC_EXTENSIONS.idsFilter)).toBe('supported');
  });
});

describe('CareHQ: filters-ids', () => {
  it('strict: the ignored filter is caught by users nobody asked for; then the documented list or GET users/{id}, whichever costs less', async () => {
    const sim = await startCareHqSimulator({ strict: true, perSecond: 1000 });
    open.push(sim);
    const memory = new Capabilities();
    const source = () => CareHqSource.create(new UpstreamCore({ capabilities: memory }), { baseUrl: sim.baseUrl, credentials: sim.credentials, cacheTtlMs: 0, requestsPerSecond: 1000 });
    const ids = [...sim.store.users.keys()].slice(0, 3);
    const wanted = [ids[2] ?? '', 'ffffffffffffffffffffffff', ids[0] ?? ''];
    expect((await source().usersByIds(wanted, call())).map(vendorIdOf)).toEqual([wanted[0], null, wanted[2]]);
    expect(await memory.support('carehq', CAREHQ_EXTENSIONS.idsFilter)).toBe('unsupported');

    // Three ids, and the list's first page holds all 24 users: one documented list call answers them all.
    let before = sim.log.length;
    expect((await source().usersByIds(wanted, call())).map(vendorIdOf)).toEqual([wanted[0], null, wanted[2]]);
    expect(sim.log.slice(before).map((e) => e.path)).toEqual(['users']);
    // One id: one documented GET.
    before = sim.log.length;
    expect((await source().usersByIds([wanted[0] ?? ''], call())).map(vendorIdOf)).toEqual([wanted[0]]);
    expect(sim.log.slice(before).map((e) => e.path)).toEqual([`users/${wanted[0]}`]);
  });
});

describe('Clinicea: GET leads/{id}', () => {
  it('strict: a 404 is told apart from an unknown lead by a probe, then leads come from the documented list', async () => {
    const sim = await startCliniceaSimulator({ strict: true, perSecond: 10_000, leadCount: 150 });
    open.push(sim);
    const memory = new Capabilities();
    const source = CliniceaSource.create(new UpstreamCore({ capabilities: memory }), { baseUrl: sim.baseUrl, credentials: sim.credentials, cacheTtlMs: 0, requestsPerSecond: 10_000 });
    const ids = [...sim.store.leads.keys()];
    const late = ids[140] ?? '';
    expect(vendorIdOf(await source.lead(late, call()))).toBe(late);
    expect(await memory.support('clinicea', CLINICEA_EXTENSIONS.leadById)).toBe('unsupported');

    const before = sim.log.length;
    const results = await source.leadsByIds([ids[2] ?? '', '999999999', late], call());
    expect(results.map(vendorIdOf)).toEqual([ids[2], null, late]);
    // No more GET leads/{id}: one walk of the two pages.
    expect(sim.log.slice(before).map((e) => e.path)).toEqual(['leads', 'leads']);
  });

  it('usual simulator: one GET per lead; a 404 beside a found lead is an unknown lead, with no probe', async () => {
    const sim = await startCliniceaSimulator({ perSecond: 10_000, leadCount: 5 });
    open.push(sim);
    const memory = new Capabilities();
    const source = CliniceaSource.create(new UpstreamCore({ capabilities: memory }), { baseUrl: sim.baseUrl, credentials: sim.credentials, cacheTtlMs: 0, requestsPerSecond: 10_000 });
    const [a = ''] = sim.store.leads.keys();
    expect((await source.leadsByIds([a, '999999999'], call())).map(vendorIdOf)).toEqual([a, null]);
    expect(sim.log).toHaveLength(2);
    expect(await memory.support('clinicea', CLINICEA_EXTENSIONS.leadById)).toBe('supported');
  });
});

describe('Caseware: repeated search', () => {
  it('strict: a refused multi-id search falls back to documented GETs, and a two-field client filter is a clear error', async () => {
    const sim = await startCasewareSimulator({ strict: true, limits: { burstCapacity: 1000, replenishRate: 1000 } });
    open.push(sim);
    const memory = new Capabilities();
    const source = CasewareSource.create(new UpstreamCore({ capabilities: memory }), { baseUrl: sim.baseUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    const guids = sim.store.users.slice(0, 3).map((u) => u.CWGuid);
    expect((await source.usersByIds(guids, call())).map(vendorIdOf)).toEqual(guids);
    expect(await memory.support('caseware', CASEWARE_EXTENSIONS.repeatedSearch)).toBe('unsupported');

    const before = sim.log.length;
    expect((await source.usersByIds(guids, call())).map(vendorIdOf)).toEqual(guids);
    expect(sim.log.slice(before).map((e) => e.path).sort()).toEqual(guids.map((g) => `users/${g}`).sort());

    // One search term is documented and still filters natively.
    const entity = sim.store.entities[0];
    const byName = await source.clients({ name: entity?.Name ?? '' }, call()).page(0);
    expect(byName.items.map((c) => c.vendorId)).toContain(entity?.CWGuid);
    await expect(source.clients({ name: entity?.Name ?? '', entityType: 'Company' }, call()).page(0)).rejects.toThrow(/one search term per request/);
  });
});

describe('CareHQ: filters-created_from/to and a repeated filters-assigned_to', () => {
  async function setup(strict: boolean, fetch?: FetchLike) {
    const sim = await startCareHqSimulator({ strict, perSecond: 1000 });
    open.push(sim);
    const memory = new Capabilities();
    const source = () =>
      CareHqSource.create(new UpstreamCore({ capabilities: memory, ...(fetch ? { fetch } : {}) }), {
        baseUrl: sim.baseUrl,
        credentials: sim.credentials,
        cacheTtlMs: 0,
        requestsPerSecond: 1000,
      });
    const byId = () => [...sim.store.enquiries.values()].sort((a, b) => (a._id < b._id ? -1 : 1));
    return { sim, memory, source, byId };
  }

  /** Users with enquiries, few enough together for one page of 100. */
  function assigneesFitting(records: readonly CareHqEnquiry[]): string[] {
    const counts = new Map<string, number>();
    for (const r of records) if (r.assigned_to) counts.set(r.assigned_to, (counts.get(r.assigned_to) ?? 0) + 1);
    const chosen: string[] = [];
    let sum = 0;
    for (const [id, n] of [...counts].sort((a, b) => a[1] - b[1])) {
      if (chosen.length === 3 || sum + n > 100) continue;
      chosen.push(id);
      sum += n;
    }
    return chosen;
  }

  it('strict: an ignored created-at range is caught on the page (a record outside it) and is unsupported; the next replica asks nothing', async () => {
    const { sim, memory, source, byId } = await setup(true);
    const createdFrom = new Date(Date.parse(byId()[0]?.created ?? '') + 1);
    const page = source().enquiries({ createdFrom }, call()).page(0);
    await expect(page).rejects.toMatchObject({ problem: { kind: 'unsupported', extension: CAREHQ_EXTENSIONS.createdRange } });
    expect(await memory.support('carehq', CAREHQ_EXTENSIONS.createdRange)).toBe('unsupported');
    expect(sim.log.map((e) => e.path)).toEqual(['care-enquiries']);

    const before = sim.log.length;
    await expect(source().enquiries({ createdTo: createdFrom }, call()).page(0)).rejects.toMatchObject({ problem: { kind: 'unsupported' } });
    expect(sim.log.length).toBe(before);
    // Lists without the range are untouched by the verdict.
    expect((await source().enquiries({}, call()).page(0)).items.length).toBeGreaterThan(0);
  });

  it('usual simulator: the range is CareHQ’s, every record falls in it, and it is remembered as supported', async () => {
    const { memory, source, byId } = await setup(false);
    const createdFrom = new Date(Date.parse(byId()[0]?.created ?? '') + 1);
    const page = await source().enquiries({ createdFrom }, call()).page(0);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e) => e.createdAt >= createdFrom)).toBe(true);
    expect(await memory.support('carehq', CAREHQ_EXTENSIONS.createdRange)).toBe('supported');
  });

  it('strict: the repeated assignee filter is refused (400 on the argument); no joint answer, remembered, so the next replica does not try', async () => {
    const { sim, memory, source, byId } = await setup(true);
    const ids = assigneesFitting(byId());
    expect(ids.length).toBeGreaterThan(1);
    expect(await source().enquiriesByAssignees(ids, undefined, call())).toBeUndefined();
    expect(sim.log.map((e) => e.status)).toEqual([400]);
    expect(await memory.support('carehq', CAREHQ_EXTENSIONS.anyAssignee)).toBe('unsupported');
    expect(await source().enquiriesByAssignees(ids, undefined, call())).toBeUndefined();
    expect(sim.log).toHaveLength(1);
    // One documented single-value filter per user still works.
    const own = await source().enquiries({ assigneeId: ids[0] ?? '' }, call()).page(0);
    expect(own.items.map((e) => e.vendorId)).toEqual(byId().filter((r) => r.assigned_to === ids[0]).map((r) => r._id));
  });

  it('a CareHQ that ignores the repeated filter is caught by a record of a user nobody asked for', async () => {
    // Modelled on the wire: the joint answer gains one enquiry of another user, as an unfiltered list would.
    const wire: { stranger?: CareHqEnquiry | undefined } = {};
    const fetch: FetchLike = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      const { stranger } = wire;
      if (!stranger || input.searchParams.getAll('filters-assigned_to').length < 2) return response;
      const body = (await response.json()) as { items: CareHqEnquiry[] };
      body.items.push(stranger);
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const { sim, memory, source, byId } = await setup(false, fetch);
    const ids = assigneesFitting(byId());
    wire.stranger = byId().find((r) => r.assigned_to !== null && !ids.includes(r.assigned_to));
    expect(await source().enquiriesByAssignees(ids, undefined, call())).toBeUndefined();
    expect(await memory.support('carehq', CAREHQ_EXTENSIONS.anyAssignee)).toBe('unsupported');
    const before = sim.log.length;
    expect(await source().enquiriesByAssignees(ids, undefined, call())).toBeUndefined();
    expect(sim.log.length).toBe(before);
  });

  it('usual simulator: one joint call answers each asked user their own enquiries, remembered as supported', async () => {
    const { sim, memory, source, byId } = await setup(false);
    const ids = assigneesFitting(byId());
    const joint = await source().enquiriesByAssignees(ids, undefined, call());
    for (const id of ids) expect(joint?.get(id)?.map((e) => e.vendorId)).toEqual(byId().filter((r) => r.assigned_to === id).map((r) => r._id));
    expect(sim.log).toHaveLength(1);
    expect(await memory.support('carehq', CAREHQ_EXTENSIONS.anyAssignee)).toBe('supported');
  });
});

describe('Caseware: search=StaffCWGuids', () => {
  async function setup(strict: boolean, fetch?: FetchLike) {
    const sim = await startCasewareSimulator({ strict, limits: { burstCapacity: 1000, replenishRate: 1000 } });
    open.push(sim);
    const memory = new Capabilities();
    const source = () =>
      CasewareSource.create(new UpstreamCore({ capabilities: memory, ...(fetch ? { fetch } : {}) }), { baseUrl: sim.baseUrl, credentials: sim.credentials, cacheTtlMs: 0 });
    return { sim, memory, source };
  }

  it('strict: served (StaffCWGuids is an entity field of our reading, searched like any top-level field), checked and remembered as supported', async () => {
    const { sim, memory, source } = await setup(true);
    const staff = sim.store.entities[0]?.StaffCWGuids[0] ?? '';
    const page = await source().clients({ staffId: staff }, call()).page(0);
    // Fewer than one page: the whole answer, in the API's (Name) order, compared as a set.
    const expected = sim.store.entities.filter((e) => e.StaffCWGuids.includes(staff)).map((e) => e.CWGuid);
    expect(expected.length).toBeLessThan(100);
    expect(page.items.map((c) => c.vendorId).sort()).toEqual(expected.sort());
    expect(await memory.support('caseware', CASEWARE_EXTENSIONS.staffSearch)).toBe('supported');
  });

  it('a Caseware that ignores the staff term is caught by clients without that staff member: unsupported, remembered, not asked again', async () => {
    // Modelled on the wire: the search term is dropped before it reaches the simulator, so the list comes back whole.
    const fetch: FetchLike = (input, init) => {
      const url = new URL(input);
      if (url.searchParams.get('search')?.startsWith('StaffCWGuids')) url.searchParams.delete('search');
      return globalThis.fetch(url, init);
    };
    const { sim, memory, source } = await setup(false, fetch);
    const staff = sim.store.entities[0]?.StaffCWGuids[0] ?? '';
    await expect(source().clients({ staffId: staff }, call()).page(0)).rejects.toMatchObject({
      problem: { kind: 'unsupported', extension: CASEWARE_EXTENSIONS.staffSearch },
    });
    expect(await memory.support('caseware', CASEWARE_EXTENSIONS.staffSearch)).toBe('unsupported');
    const before = sim.log.filter((e) => e.path === 'entities').length;
    await expect(source().clients({ staffId: staff }, call()).page(0)).rejects.toMatchObject({ problem: { kind: 'unsupported' } });
    expect(sim.log.filter((e) => e.path === 'entities').length).toBe(before);
    // Other client lists go on as before.
    expect((await source().clients({}, call()).page(0)).items.length).toBeGreaterThan(0);
  });
});
