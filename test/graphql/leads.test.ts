/**
 * Leads (Clinicea) end to end: GraphQL over real HTTP to a gateway talking to the Clinicea and Generic
 * simulators. Data is checked against the simulators' stores and upstream cost against their request logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { GENERIC_LIST_LIMITS } from '../../src/vendors/generic/wire.ts';
import { callsTo, stacksPerTest, startStack, strictSimulators, type StackOptions, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, walkConnection } from '../helpers/graphql.ts';

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String) {
    leads(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { vendorId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

// The simulator allows 5 calls a second by default; the walks below make ~100 calls, so both sides are told
// a higher budget to keep the file fast. The rate-limit test runs against the real, low one.
const FAST: StackOptions = { clinicea: { perSecond: 50 }, gateway: { clinicea: { requestsPerSecond: 50 } } };

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack(FAST);
});

afterAll(async () => {
  await stack.close();
});

const ownStack = stacksPerTest();

/** The store's live leads in the vendor's list order (LeadID ascending). */
function storeOrder(s: TestStack): string[] {
  return [...s.clinicea.store.leads.keys()].sort((a, b) => Number(a) - Number(b));
}

const leadGets = (s: TestStack): number => s.clinicea.log.filter((e) => e.method === 'GET' && e.path === 'leads').length;

async function walk(direction: 'forward' | 'backward', size: number): Promise<string[]> {
  const { nodes } = await walkConnection<{ vendorId: string }>(stack.url, PAGE, 'leads', direction, size);
  return nodes.map((node) => node.vendorId);
}

describe('auth', () => {
  it('accepts the configured API key: a query returns the store’s first lead', async () => {
    const data = await gqlData<{ leads: { nodes: Array<{ vendorId: string; firstName: string; email: string | null }> } }>(
      stack.url,
      '{ leads(first: 1) { nodes { vendorId firstName email } } }',
    );
    const first = stack.clinicea.store.leads.get(storeOrder(stack)[0] ?? '');
    expect(data.leads.nodes).toEqual([{ vendorId: first?.LeadID, firstName: first?.FirstName, email: first?.Email }]);
    const sent = stack.clinicea.log.at(-1)?.headers.api;
    expect(sent).toBe(stack.clinicea.credentials.apiKey);
  });

  it('a wrong API key is UNAUTHENTICATED for CLINICEA and neither key appears in the answer', async () => {
    const wrongKey = 'wrong-clinicea-key-5d81c0';
    const s = await ownStack({ gateway: { clinicea: { credentials: { apiKey: wrongKey } } } });
    const response = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ leads(first: 1) { nodes { id } } }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data: unknown; errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', vendor: 'CLINICEA', status: 401 });
    expect(body.data).toEqual({ leads: null });
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(s.clinicea.credentials.apiKey);
    expect(text).not.toMatch(/stacktrace|\.ts:\d+/);
    // Refused credentials are not worth retrying: the vendor saw the key once.
    expect(s.clinicea.log.map((e) => e.status)).toEqual([401]);
  });
});

describe('leads connection over Clinicea pages', () => {
  it('the store holds the 345 seeded leads the walks below expect', () => {
    expect(stack.clinicea.store.leads.size).toBe(345);
  });

  it.each([
    ['forward', 7],
    ['backward', 13],
  ] as const)('walks all 345 leads %s, %i at a time: no duplicates or gaps, in LeadID order', async (direction, size) => {
    const ids = await walk(direction, size);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(storeOrder(stack));
  });

  it('totalCount is 345, found by probing pages rather than reading them all', async () => {
    const before = leadGets(stack);
    const data = await gqlData<{ leads: { totalCount: number } }>(stack.url, '{ leads(first: 1) { totalCount } }');
    expect(data.leads.totalCount).toBe(345);
    // Pages of 100 are numbered from 0; 345 leads fill pages 0-2 and 45 spill onto page 3. The window and
    // the count share page 0; the count doubles to 1, 2 and 4 (empty: 204) and bisects back to 3 (short).
    expect(leadGets(stack) - before).toBe(5);
    const pagesAsked = stack.clinicea.log.slice(-5).map((e) => new URLSearchParams(e.query).get('intPageNo'));
    expect(pagesAsked).toEqual(['0', '1', '2', '4', '3']);
  });

  it('totalCount over 2,345 leads costs 11 GETs, not one per page of 100 (24)', async () => {
    const s = await ownStack({ clinicea: { leadCount: 2345, perSecond: 50 }, gateway: { clinicea: { requestsPerSecond: 50 } } });
    const data = await gqlData<{ leads: { totalCount: number } }>(s.url, '{ leads(first: 1) { totalCount } }');
    expect(data.leads.totalCount).toBe(2345);
    // Page 0, doubling 1 2 4 8 16 32 (empty), bisecting 24 (empty) 20 22 (full) 23 (short).
    const pagesAsked = s.clinicea.log.map((e) => Number(new URLSearchParams(e.query).get('intPageNo')));
    expect(pagesAsked).toEqual([0, 1, 2, 4, 8, 16, 32, 24, 20, 22, 23]);
  });

  it('costs no count when totalCount is not selected', async () => {
    const before = leadGets(stack);
    await gqlData(stack.url, '{ leads(first: 5) { nodes { id } } }');
    expect(leadGets(stack) - before).toBe(1);
  });
});

describe('incremental sync', () => {
  it('changedSince returns exactly what was added, modified and deleted since syncedAt', async () => {
    const first = await gqlData<{ leads: { syncedAt: string } }>(stack.url, '{ leads(first: 1) { syncedAt } }');
    const { syncedAt } = first.leads;
    expect(Date.parse(syncedAt)).toBeLessThanOrEqual(Date.now());

    const { store } = stack.clinicea;
    const [toModify, toDelete] = storeOrder(stack).slice(10, 12) as [string, string];
    const added = store.create({ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada.lovelace@example.org', Source: 'Referral' });
    const modified = store.update(toModify, { Notes: 'Called back: wants a consultation in June.' });
    expect(modified?.Notes).toBe('Called back: wants a consultation in June.');
    expect(store.remove(toDelete)).toBe(true);

    type Sync = {
      leads: {
        totalCount: number;
        nodes: Array<{ id: string; vendorId: string; dataStatus: string; firstName: string | null; notes: string | null; modifiedAt: string | null }>;
      };
    };
    const sync = await gqlData<Sync>(
      stack.url,
      'query($since: DateTime) { leads(first: 100, changedSince: $since) { totalCount nodes { id vendorId dataStatus firstName notes modifiedAt } } }',
      { since: syncedAt },
    );
    const byId = new Map(sync.leads.nodes.map((n) => [n.vendorId, n]));
    expect([...byId.keys()].sort()).toEqual([added.LeadID, toModify, toDelete].sort());
    expect(sync.leads.totalCount).toBe(3);
    expect(byId.get(added.LeadID)).toMatchObject({ dataStatus: 'ADDED', firstName: 'Ada' });
    expect(byId.get(toModify)).toMatchObject({ dataStatus: 'MODIFIED', notes: 'Called back: wants a consultation in June.' });
    // A tombstone: its id and deletion time, nothing else.
    const tomb = byId.get(toDelete);
    expect(tomb).toMatchObject({ id: toGlobalId('CLINICEA', 'Lead', toDelete), dataStatus: 'DELETED', firstName: null, notes: null });
    expect(tomb?.modifiedAt).not.toBeNull();
    expect(Date.parse(tomb?.modifiedAt ?? '')).toBeGreaterThanOrEqual(Math.floor(Date.parse(syncedAt) / 1000) * 1000);
    // The vendor was asked with a whole-second timestamp in the docs' `+0:00` form.
    const asked = new URLSearchParams(stack.clinicea.log.at(-1)?.query).get('lastSyncTimestamp');
    expect(asked).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0:00$/);
  });
});

describe('rate limit', () => {
  it('with the vendor allowing 2 calls a second, a burst of 10 lookups ends with 0 GraphQL errors', async () => {
    const s = await ownStack({ clinicea: { perSecond: 2 } });
    const ids = storeOrder(s).slice(0, 10);
    const results = await Promise.all(
      ids.map((id) => gql<{ lead: { vendorId: string; email: string | null } | null }>(
        s.url,
        'query($id: ID!) { lead(id: $id) { vendorId email } }',
        { id: toGlobalId('CLINICEA', 'Lead', id) },
      )),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.map((r) => r.data?.lead)).toEqual(
      ids.map((id) => ({ vendorId: id, email: s.clinicea.store.leads.get(id)?.Email ?? null })),
    );
    // Every lead reached the vendor and was answered; 429s, if any, were waited out, never surfaced.
    const answered = s.clinicea.log.filter((e) => e.status === 200).map((e) => e.path.replace('leads/', ''));
    // Strict Clinicea has no GET leads/{id} (404): the leads were found by walking the documented list.
    if (strictSimulators) expect(new Set(answered)).toEqual(new Set(['leads']));
    else expect(answered.sort()).toEqual([...ids].sort());
  });
});

describe('errors', () => {
  it('a read answered 5xx is retried and succeeds', async () => {
    const before = stack.clinicea.log.length;
    stack.clinicea.faults.serverErrors = 2;
    const data = await gqlData<{ leads: { nodes: Array<{ vendorId: string }> } }>(stack.url, '{ leads(first: 3) { nodes { vendorId } } }');
    expect(data.leads.nodes.map((n) => n.vendorId)).toEqual(storeOrder(stack).slice(0, 3));
    expect(stack.clinicea.log.slice(before).map((e) => e.status)).toEqual([500, 500, 200]);
  });

  it.each([
    ['createdFrom after createdTo', { createdFrom: '2026-03-01', createdTo: '2026-02-01' }],
    ['a date that does not exist', { createdFrom: '2026-02-30' }],
  ])('%s is BAD_USER_INPUT and never reaches the vendor', async (_name, filter) => {
    const before = stack.clinicea.log.length;
    const result = await gql(stack.url, 'query($filter: LeadFilter) { leads(first: 5, filter: $filter) { nodes { id } } }', { filter });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).not.toMatch(/\.ts:\d+/);
    expect(stack.clinicea.log.length).toBe(before);
  });
});

describe('owner batching', () => {
  it.each([
    ['the Generic API’s cap', GENERIC_LIST_LIMITS.maxIds],
    ['a cap of 8', 8],
  ])('owners of 100 leads cost ceil(distinct owners / cap) users calls with %s', async (_name, cap) => {
    const s = cap === GENERIC_LIST_LIMITS.maxIds ? stack : await ownStack({ ...FAST, gateway: { ...FAST.gateway, generic: { userBatchSize: cap } } });
    const before = callsTo(s.generic.log, 'users');
    type R = { leads: { nodes: Array<{ vendorId: string; owner: { vendorId: string; email: string; name: string } | null }> } };
    const data = await gqlData<R>(s.url, '{ leads(first: 100) { nodes { vendorId owner { vendorId email name } } } }');
    const calls = callsTo(s.generic.log, 'users') - before;

    const owners = new Set(data.leads.nodes.flatMap((n) => (n.owner ? [n.owner.vendorId] : [])));
    expect(owners.size).toBeGreaterThan(8);
    if (strictSimulators) {
      // Strict Generic API ignores ids= and has no GET users/{id}: at most one ignored try per batch and a
      // two-call probe before that is remembered, then one walk of the documented list.
      const walk = Math.ceil(s.generic.store.users.length / GENERIC_LIST_LIMITS.maxLimit);
      expect(calls).toBeGreaterThanOrEqual(walk);
      expect(calls).toBeLessThanOrEqual(Math.ceil(owners.size / cap) + 2 + walk);
    } else {
      expect(calls).toBe(Math.ceil(owners.size / cap));
    }
    // Each owner is the lead's OwnerUserID in Clinicea, with the Generic directory's record.
    const users = new Map(s.generic.store.users.map((u) => [u.id, u]));
    for (const node of data.leads.nodes) {
      const ownerId = s.clinicea.store.leads.get(node.vendorId)?.OwnerUserID ?? null;
      expect(node.owner?.vendorId ?? null).toBe(ownerId);
      if (node.owner) expect(node.owner.email).toBe(users.get(node.owner.vendorId)?.email);
    }
  });
});
