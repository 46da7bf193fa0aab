import { afterEach, describe, expect, it } from 'vitest';
import { startCareHqSimulator, type CareHqSimulator, type CareHqSimulatorOptions } from '../../src/simulators/carehq/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';
import { CareHqSource } from '../../src/vendors/carehq/index.ts';

const running: CareHqSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });
const UNKNOWN_ID = '0123456789abcdef01234567';

/** A source over a fresh simulator, its fetch counting how many calls were on the wire at once. */
async function setup(sim: CareHqSimulatorOptions = {}) {
  const simulator = await startCareHqSimulator(sim);
  running.push(simulator);
  let inFlight = 0;
  const peak = { inFlight: 0 };
  const counting: FetchLike = async (input, init) => {
    inFlight += 1;
    peak.inFlight = Math.max(peak.inFlight, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight -= 1;
    }
  };
  const source = CareHqSource.create(new UpstreamCore({ fetch: counting }), {
    baseUrl: simulator.baseUrl,
    credentials: simulator.credentials,
    cacheTtlMs: 0,
  });
  return { sim: simulator, source, peak };
}

const listCalls = (sim: CareHqSimulator, path: string) => sim.log.filter((e) => e.method === 'GET' && e.path === path);
const oneCalls = (sim: CareHqSimulator, path: string) => sim.log.filter((e) => e.method === 'GET' && e.path.startsWith(`${path}/`));

describe('CareHQ records by id', () => {
  it('fetches 30 enquiries in one filters-ids list call, in key order, null for unknown and malformed ids', async () => {
    const { sim, source } = await setup();
    const ids = [...sim.store.enquiries.keys()].slice(0, 28);
    const asked = [...ids.slice(0, 14), UNKNOWN_ID, 'not-an-id', ...ids.slice(14), ids[0] ?? ''];
    const found = await source.enquiriesByIds(asked, call());

    expect(found.map((e) => (e && !(e instanceof Error) ? e.vendorId : e))).toEqual([...ids.slice(0, 14), null, null, ...ids.slice(14), ids[0]]);
    const first = found[0];
    expect(first && !(first instanceof Error) ? first.email : undefined).toBe(sim.store.enquiries.get(ids[0] ?? '')?.email);
    // One call: the unknown id is settled by the filtered answer, not looked up again.
    expect(sim.log).toHaveLength(1);
    expect(listCalls(sim, 'care-enquiries')).toHaveLength(1);
    expect(new URLSearchParams(sim.log[0]?.query).getAll('filters-ids')).toHaveLength(29);
  });

  it('sends the users batches of a list above 100 ids together, one per 100', async () => {
    const { sim, source, peak } = await setup({ users: 250 });
    // The first answer teaches the queue CareHQ's budget, and that this CareHQ filters users by id; until both
    // are known, calls go one at a time.
    await source.usersByIds([...sim.store.users.keys()].slice(0, 2), call());
    sim.log.length = 0;
    peak.inFlight = 0;
    sim.faults.latencyMs = 150;
    const ids = [...sim.store.users.keys()];
    const found = await source.usersByIds(ids, call());

    expect(found.map((u) => (u && !(u instanceof Error) ? u.vendorId : u))).toEqual(ids);
    expect(listCalls(sim, 'users').map((e) => new URLSearchParams(e.query).getAll('filters-ids').length)).toEqual([100, 100, 50]);
    expect(peak.inFlight).toBe(3);
  });

  it('falls back to one GET per id when CareHQ refuses filters-ids, and stops trying the filter', async () => {
    const { sim, source } = await setup({ idsFilter: false });
    const ids = [...sim.store.enquiries.keys()].slice(0, 3);
    const first = await source.enquiriesByIds([...ids, UNKNOWN_ID], call());
    expect(first.map((e) => (e && !(e instanceof Error) ? e.vendorId : e))).toEqual([...ids, null]);
    expect(sim.log[0]).toMatchObject({ path: 'care-enquiries', status: 400 });
    expect(oneCalls(sim, 'care-enquiries')).toHaveLength(4);

    sim.log.length = 0;
    const again = await source.enquiriesByIds(ids.slice(0, 2), call());
    expect(again.map((e) => (e && !(e instanceof Error) ? e.vendorId : e))).toEqual(ids.slice(0, 2));
    expect(listCalls(sim, 'care-enquiries')).toHaveLength(0);
    expect(oneCalls(sim, 'care-enquiries')).toHaveLength(2);
  });
});

describe('CareHQ users by id, through the same batch as enquiries', () => {
  const vendorIdOf = (user: { vendorId: string } | null | Error) => (user instanceof Error ? user : (user?.vendorId ?? null));

  it('settles users like enquiries: an id missing from a filtered answer is null with no GET, one id is one GET', async () => {
    const { sim, source } = await setup();
    const ids = [...sim.store.users.keys()];
    const found = await source.usersByIds([ids[2] ?? '', UNKNOWN_ID, ids[0] ?? ''], call());
    expect(found.map(vendorIdOf)).toEqual([ids[2], null, ids[0]]);
    expect(sim.log.map((e) => e.path)).toEqual(['users']);

    sim.log.length = 0;
    expect((await source.usersByIds([ids[1] ?? ''], call())).map(vendorIdOf)).toEqual([ids[1]]);
    expect(sim.log.map((e) => e.path)).toEqual([`users/${ids[1]}`]);
  });

  it('walks the documented users list for many users (fewer calls than a GET each), null for unknown ids, in key order', async () => {
    const { sim, source } = await setup({ idsFilter: false, users: 250 });
    const ids = [...sim.store.users.keys()].sort();
    const asked = [ids[230] ?? '', UNKNOWN_ID, ...ids.slice(0, 120), 'not-an-id', ids[5] ?? ''];
    const found = await source.usersByIds(asked, call());

    expect(found.map(vendorIdOf)).toEqual([ids[230], null, ...ids.slice(0, 120), null, ids[5]]);
    const first = found[0];
    expect(first && !(first instanceof Error) ? first.email : undefined).toBe(sim.store.users.get(ids[230] ?? '')?.email);
    // The refused first batch, then the list's three pages: four calls for 122 ids, where a GET each is 122.
    expect(sim.log.map((e) => [e.path, e.status])).toEqual([
      ['users', 400],
      ['users', 200],
      ['users', 200],
      ['users', 200],
    ]);

    // Known unsupported now: no filter tried. The first page holds both users and its total shows two pages
    // left, so the one id it lacks costs one GET rather than the rest of the walk.
    sim.log.length = 0;
    const again = await source.usersByIds([ids[7] ?? '', UNKNOWN_ID, ids[3] ?? ''], call());
    expect(again.map(vendorIdOf)).toEqual([ids[7], null, ids[3]]);
    expect(sim.log.map((e) => e.path)).toEqual(['users', `users/${UNKNOWN_ID}`]);
    expect(sim.log.flatMap((e) => new URLSearchParams(e.query).getAll('filters-ids'))).toEqual([]);
  });
});

describe('CareHQ records from the response cache', () => {
  it('maps a cached page once: a second read gives the same frozen objects, a read past the cache new ones', async () => {
    const simulator = await startCareHqSimulator();
    running.push(simulator);
    const core = new UpstreamCore();
    const options = { baseUrl: simulator.baseUrl, credentials: simulator.credentials };
    const cached = CareHqSource.create(core, { ...options, cacheTtlMs: 60_000 });
    const first = (await cached.enquiries({}, call()).page(0)).items;
    const second = (await cached.enquiries({}, call()).page(0)).items;
    expect(simulator.log).toHaveLength(1);
    expect(second[0]).toBe(first[0]);
    expect(Object.isFrozen(second[0])).toBe(true);

    const uncached = CareHqSource.create(core, { ...options, cacheTtlMs: 0 });
    const [a] = (await uncached.enquiries({}, call()).page(0)).items;
    const [b] = (await uncached.enquiries({}, call()).page(0)).items;
    expect(a).toEqual(first[0]);
    expect(b).not.toBe(a);
  });
});
