/**
 * Clients (Caseware Cloud entities) end to end: GraphQL over real HTTP to a gateway talking to the Caseware
 * simulator. Data is checked against the simulator's store, upstream cost against its request log and stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { CASEWARE_DEMO_CREDENTIALS } from '../../src/simulators/caseware/server.ts';
import { CASEWARE_DEFAULTS } from '../../src/vendors/caseware/index.ts';
import type { CasewareEntity } from '../../src/vendors/caseware/wire.ts';
import { callsTo, stacksPerTest, startStack, strictSimulators, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, walkConnection } from '../helpers/graphql.ts';

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String) {
    clients(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { vendorId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const CLIENT = 'query($id: ID!) { client(id: $id) { vendorId name } }';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

const ownStack = stacksPerTest();

/** The vendor's list order: Name, then CWGuid, by code unit. */
function byName(a: CasewareEntity, b: CasewareEntity): number {
  const key = (e: CasewareEntity) => [e.Name, e.CWGuid] as const;
  const [x, y] = [key(a), key(b)];
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
}

function storeOrder(s: TestStack, keep: (e: CasewareEntity) => boolean = () => true): string[] {
  return s.caseware.store.entities.filter(keep).sort(byName).map((e) => e.CWGuid);
}

const clientId = (guid: string): string => toGlobalId('CASEWARE', 'Client', guid);

async function walk(direction: 'forward' | 'backward', size: number): Promise<string[]> {
  const { nodes } = await walkConnection<{ vendorId: string }>(stack.url, PAGE, 'clients', direction, size);
  return nodes.map((node) => node.vendorId);
}

describe('auth', () => {
  it('accepts the API client: one token, then a query returns the store’s first client', async () => {
    const data = await gqlData<{ clients: { nodes: Array<{ vendorId: string; name: string; number: string | null }> } }>(
      stack.url,
      '{ clients(first: 1) { nodes { vendorId name number } } }',
    );
    const first = stack.caseware.store.entities.find((e) => e.CWGuid === storeOrder(stack)[0]);
    expect(data.clients.nodes).toEqual([{ vendorId: first?.CWGuid, name: first?.Name, number: first?.Number }]);
    expect(stack.caseware.stats.tokensIssued).toBe(1);
    expect(stack.caseware.log.at(-1)?.headers.authorization).toMatch(/^Bearer \S+$/);
  });

  it('a wrong client secret is UNAUTHENTICATED for CASEWARE and neither secret appears in the answer', async () => {
    const wrongSecret = 'wrong-caseware-secret-0b7e44';
    const real = CASEWARE_DEMO_CREDENTIALS;
    const bad = await ownStack({ gateway: { caseware: { credentials: { clientId: real.clientId, clientSecret: wrongSecret } } } });
    const response = await fetch(bad.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ clients(first: 1) { nodes { id } } }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data: unknown; errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', vendor: 'CASEWARE' });
    expect(body.data).toEqual({ clients: null });
    expect(text).not.toContain(wrongSecret);
    expect(text).not.toContain(real.clientSecret);
    expect(text).not.toMatch(/stacktrace|\.ts:\d+/);
    // The token was refused and no data call went out without one.
    expect(bad.caseware.stats.tokensIssued).toBe(0);
    expect(bad.caseware.log.filter((e) => e.path !== 'auth/token')).toEqual([]);
  });
});

describe('clients connection over Caseware pages', () => {
  it('totalCount is the store’s 150 clients, counted from two pages of 100', async () => {
    const before = callsTo(stack.caseware.log, 'entities');
    const data = await gqlData<{ clients: { totalCount: number } }>(stack.url, '{ clients(first: 1) { totalCount } }');
    expect(stack.caseware.store.entities).toHaveLength(150);
    expect(data.clients.totalCount).toBe(150);
    // Page 1 (the window, and full), then page 2 (short): the count shares the window's page.
    const pages = stack.caseware.log.slice(-2).map((e) => new URLSearchParams(e.query).get('page'));
    expect(callsTo(stack.caseware.log, 'entities') - before).toBe(2);
    expect(pages).toEqual(['1', '2']);
  });

  it.each([
    [5, undefined, 1, true],
    [100, undefined, 2, true],
    [50, 99, 1, false],
  ])(
    'reads one call per native page: first %i after #%s costs %i call(s) (Caseware reports no total, so only a window ending where a full page ends reads the next)',
    async (first, afterIndex, calls, hasNextPage) => {
      let after: string | undefined;
      if (afterIndex !== undefined) {
        const lead = await gqlData<{ clients: { edges: Array<{ cursor: string }> } }>(stack.url, `{ clients(first: ${afterIndex + 1}) { edges { cursor } } }`);
        after = lead.clients.edges[afterIndex]?.cursor;
      }
      const before = callsTo(stack.caseware.log, 'entities');
      const data = await gqlData<{ clients: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
        stack.url,
        'query($first: Int, $after: String) { clients(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage } } }',
        { first, after },
      );
      expect(callsTo(stack.caseware.log, 'entities') - before).toBe(calls);
      expect(data.clients.nodes).toHaveLength(afterIndex === undefined ? first : 50);
      expect(data.clients.pageInfo.hasNextPage).toBe(hasNextPage);
    },
  );

  it('costs no count when totalCount is not selected', async () => {
    const before = callsTo(stack.caseware.log, 'entities');
    await gqlData(stack.url, '{ clients(first: 5) { nodes { id } } }');
    expect(callsTo(stack.caseware.log, 'entities') - before).toBe(1);
  });

  it.each([
    ['forward', 7],
    ['backward', 9],
  ] as const)('walks all 150 clients %s, %i at a time: no duplicates or gaps, in name order', async (direction, size) => {
    const ids = await walk(direction, size);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(storeOrder(stack));
  });
});

describe('filters', () => {
  it.each(['Company', 'Individual', 'Trust'])('entityType %s returns exactly the store’s clients of that type', async (entityType) => {
    type R = { clients: { totalCount: number; nodes: Array<{ vendorId: string; entityType: string }> } };
    const data = await gqlData<R>(
      stack.url,
      'query($filter: ClientFilter) { clients(first: 100, filter: $filter) { totalCount nodes { vendorId entityType } } }',
      { filter: { entityType } },
    );
    const expected = storeOrder(stack, (e) => e.EntityType === entityType);
    expect(expected.length).toBeGreaterThan(0);
    expect(data.clients.nodes.map((n) => n.vendorId)).toEqual(expected);
    expect(data.clients.nodes.every((n) => n.entityType === entityType)).toBe(true);
    expect(data.clients.totalCount).toBe(expected.length);
  });

  it('two filters at once: both applied natively, or on a strict Caseware (one search term) BAD_USER_INPUT saying so', async () => {
    const entity = stack.caseware.store.entities.find((e) => e.EntityType === 'Company');
    const filter = { name: entity?.Name ?? '', entityType: 'Company' };
    const result = await gql<{ clients: { nodes: Array<{ vendorId: string }> } | null }>(
      stack.url,
      'query($filter: ClientFilter) { clients(first: 10, filter: $filter) { nodes { vendorId } } }',
      { filter },
    );
    if (strictSimulators) {
      expect(result.data?.clients).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/one search term per request/);
    } else {
      expect(result.errors).toBeUndefined();
      expect(result.data?.clients?.nodes.map((n) => n.vendorId)).toEqual(storeOrder(stack, (e) => e.Name === filter.name && e.EntityType === 'Company'));
    }
  });

  it('staffId (a Caseware User id) returns exactly the clients that user looks after', async () => {
    const staff = stack.caseware.store.entities[0]?.StaffCWGuids[0];
    expect(staff).toBeDefined();
    const userId = toGlobalId('CASEWARE', 'User', staff ?? '');
    type R = { clients: { nodes: Array<{ vendorId: string; users: Array<{ id: string }> }> } };
    const data = await gqlData<R>(
      stack.url,
      'query($filter: ClientFilter) { clients(first: 100, filter: $filter) { nodes { vendorId users { id } } } }',
      { filter: { staffId: userId } },
    );
    const expected = storeOrder(stack, (e) => e.StaffCWGuids.includes(staff ?? ''));
    expect(expected.length).toBeLessThan(150);
    expect(data.clients.nodes.map((n) => n.vendorId)).toEqual(expected);
    for (const node of data.clients.nodes) expect(node.users.map((u) => u.id)).toContain(userId);
  });

  it('a staffId of another vendor’s user is BAD_USER_INPUT', async () => {
    const result = await gql(stack.url, 'query($f: ClientFilter) { clients(first: 1, filter: $f) { nodes { id } } }', {
      f: { staffId: toGlobalId('GENERIC', 'User', 'usr_1') },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('staff batching', () => {
  it.each([
    ['the default cap', CASEWARE_DEFAULTS.userBatchSize],
    ['a cap of 7', 7],
  ])('users of 100 clients cost ceil(distinct staff / cap) users calls with %s', async (_name, cap) => {
    const s = cap === CASEWARE_DEFAULTS.userBatchSize ? stack : await ownStack({ gateway: { caseware: { userBatchSize: cap } } });
    const before = callsTo(s.caseware.log, 'users');
    const logStart = s.caseware.log.length;
    type R = { clients: { nodes: Array<{ vendorId: string; users: Array<{ vendorId: string; email: string | null }> }> } };
    const data = await gqlData<R>(s.url, '{ clients(first: 100) { nodes { vendorId users { vendorId email } } } }');
    const calls = callsTo(s.caseware.log, 'users') - before;

    const staff = new Set(data.clients.nodes.flatMap((n) => n.users.map((u) => u.vendorId)));
    expect(staff.size).toBeGreaterThan(7);
    if (strictSimulators) {
      // Strict Caseware refuses repeated search terms (400): at most one refused try per batch before that is
      // remembered, then one documented GET users/{CWGuid} per staff member.
      const singles = s.caseware.log.slice(logStart).filter((e) => e.path.startsWith('users/')).length;
      expect(singles).toBe(staff.size);
      expect(calls - singles).toBeLessThanOrEqual(Math.ceil(staff.size / cap));
    } else {
      expect(calls).toBe(Math.ceil(staff.size / cap));
    }
    // Each client's users are its StaffCWGuids, with the store's records.
    const users = new Map(s.caseware.store.users.map((u) => [u.CWGuid, u]));
    const entities = new Map(s.caseware.store.entities.map((e) => [e.CWGuid, e]));
    for (const node of data.clients.nodes) {
      expect(node.users.map((u) => u.vendorId).sort()).toEqual([...(entities.get(node.vendorId)?.StaffCWGuids ?? [])].sort());
      for (const user of node.users) expect(user.email).toBe(users.get(user.vendorId)?.Email);
    }
  });
});

describe('a Caseware without StaffCWGuids', () => {
  it('answers Client.users null with VENDOR_UNSUPPORTED, never an empty list, and still returns the clients', async () => {
    // StaffCWGuids is our reading of Caseware's entity (vendors.md: "our choice"); a server without it is
    // modelled by removing it from every entity the gateway reads.
    const withoutStaff = async (input: URL, init: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      if (!input.pathname.includes('/entities') || response.status !== 200) return response;
      const body = (await response.json()) as unknown;
      const strip = (record: unknown) => {
        const { StaffCWGuids: _dropped, ...rest } = record as Record<string, unknown>;
        return rest;
      };
      return Response.json(Array.isArray(body) ? body.map(strip) : strip(body), { status: 200, headers: response.headers });
    };
    const s = await ownStack({ gateway: { core: { fetch: withoutStaff } } });
    const result = await gql<{ clients: { nodes: Array<{ vendorId: string; users: unknown }> } }>(
      s.url,
      '{ clients(first: 2) { nodes { vendorId users { vendorId } } } }',
    );
    const known = new Set(s.caseware.store.entities.map((e) => e.CWGuid));
    expect(result.data?.clients.nodes.filter((n) => known.has(n.vendorId))).toHaveLength(2);
    expect(result.data?.clients.nodes.map((n) => n.users)).toEqual([null, null]);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['VENDOR_UNSUPPORTED', 'VENDOR_UNSUPPORTED']);
    expect(result.errors?.[0]?.message).toMatch(/does not report the staff/);
  });
});

describe('tokens', () => {
  it('a token expiring under 100 concurrent requests is replaced by exactly one token request', async () => {
    const s = await ownStack({
      // A bucket large enough that the 100 calls are not throttled: this test is about the token alone.
      // The token lives long enough that the burst cannot outlast its replacement on a busy machine.
      caseware: { tokenTtlMs: 5000, limits: { burstCapacity: 500, replenishRate: 500 } },
      gateway: { caseware: { tokenRefreshBeforeMs: 500 } },
    });
    await gqlData(s.url, '{ clients(first: 1) { nodes { id } } }');
    expect(s.caseware.stats.tokenRequests).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5100));

    const before = s.caseware.stats.tokenRequests;
    const guids = s.caseware.store.entities.slice(0, 100).map((e) => e.CWGuid);
    const results = await Promise.all(guids.map((guid) => gql<{ client: { vendorId: string } | null }>(s.url, CLIENT, { id: clientId(guid) })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.map((r) => r.data?.client?.vendorId)).toEqual(guids);
    expect(s.caseware.stats.tokenRequests - before).toBe(1);
    // The expiry was real: the vendor refused the old token before the new one was fetched.
    expect(s.caseware.log.some((e) => e.status === 401)).toBe(true);
  });
});

describe('rate limits', () => {
  it('follows a bucket lowered at run time: 30 lookups, 0 errors, and vendorStatus reports the new limit', async () => {
    const s = await ownStack({});
    await gqlData(s.url, '{ clients(first: 1) { nodes { id } } }');
    s.caseware.limits.burstCapacity = 4;
    s.caseware.limits.replenishRate = 8;

    const guids = s.caseware.store.entities.slice(0, 30).map((e) => e.CWGuid);
    const results = await Promise.all(guids.map((guid) => gql<{ client: { vendorId: string } | null }>(s.url, CLIENT, { id: clientId(guid) })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.map((r) => r.data?.client?.vendorId)).toEqual(guids);

    type R = { vendorStatus: Array<{ vendor: string; rateLimitedResponses: number; rateBudget: { limit: number; learned: boolean } }> };
    const status = await gqlData<R>(s.url, '{ vendorStatus { vendor rateLimitedResponses rateBudget { limit learned } } }');
    const caseware = status.vendorStatus.find((v) => v.vendor === 'CASEWARE');
    expect(caseware?.rateBudget).toEqual({ limit: 4, learned: true });
    // Any 429 the smaller bucket caused was counted and retried, never passed on.
    expect(caseware?.rateLimitedResponses).toBe(s.caseware.log.filter((e) => e.status === 429).length);
    // Every lookup reached the vendor and was answered.
    expect(s.caseware.log.filter((e) => e.path === 'entities' && e.status === 200).length).toBeGreaterThanOrEqual(31);
  });
});
