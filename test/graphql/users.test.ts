/**
 * Users end to end: the merged list over CareHQ, Caseware and the Generic API, and the Generic API's own
 * operations (viewer, bulk create, its rate-limit header styles, token expiry), on a running gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import type { GenericHeaderStyle } from '../../src/simulators/generic/ratelimit.ts';
import { callsTo, stacksPerTest, startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, type GraphQLResult, walkConnection } from '../helpers/graphql.ts';

type UserVendor = 'CAREHQ' | 'CASEWARE' | 'GENERIC';

interface UserNode {
  vendor: UserVendor;
  vendorId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

interface UsersPage {
  users: {
    totalCount?: number;
    edges: Array<{ cursor: string; node: UserNode }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const PAGE = /* GraphQL */ `
  query Users($first: Int, $after: String, $last: Int, $before: String, $vendors: [Vendor!], $filter: UserFilter) {
    users(first: $first, after: $after, last: $last, before: $before, vendors: $vendors, filter: $filter) {
      edges { cursor node { vendor vendorId firstName lastName email } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const COUNT = /* GraphQL */ `
  query Count($vendors: [Vendor!], $filter: UserFilter) { users(first: 1, vendors: $vendors, filter: $filter) { totalCount } }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: [CreateUserInput!]!) {
    createUsers(input: $input) {
      createdCount
      updatedCount
      failedCount
      results { index outcome user { vendor vendorId email firstName lastName role } error { code message field } }
    }
  }
`;

const USER = 'query($id: ID!) { user(id: $id) { vendorId email } }';

interface CreateResult {
  createUsers: {
    createdCount: number;
    updatedCount: number;
    failedCount: number;
    results: Array<{
      index: number;
      outcome: 'CREATED' | 'UPDATED' | null;
      user: { vendor: string; vendorId: string; email: string; firstName: string; lastName: string; role: string } | null;
      error: { code: string; message: string; field: string | null } | null;
    }>;
  };
}

const blank = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

/** Every user the three simulators hold, in the shape the gateway should list them. */
function storeUsers(stack: TestStack): UserNode[] {
  return [
    ...[...stack.carehq.store.users.values()].map((u): UserNode => ({
      vendor: 'CAREHQ',
      vendorId: u._id,
      firstName: blank(u.first_name),
      lastName: blank(u.last_name),
      email: blank(u.email),
    })),
    ...stack.caseware.store.users.map((u): UserNode => ({
      vendor: 'CASEWARE',
      vendorId: u.CWGuid,
      firstName: blank(u.FirstName),
      lastName: blank(u.LastName),
      email: blank(u.Email),
    })),
    ...stack.generic.store.users.map((u): UserNode => ({
      vendor: 'GENERIC',
      vendorId: u.id,
      firstName: blank(u.firstName),
      lastName: blank(u.lastName),
      email: blank(u.email),
    })),
  ];
}

/** The documented merged order: last name, first name, vendor, vendor id, by UTF-16 code unit. */
function byMergedOrder(a: UserNode, b: UserNode): number {
  const ka = [a.lastName ?? '', a.firstName ?? '', a.vendor, a.vendorId];
  const kb = [b.lastName ?? '', b.firstName ?? '', b.vendor, b.vendorId];
  for (let i = 0; i < ka.length; i += 1) {
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const keyOf = (u: Pick<UserNode, 'vendor' | 'vendorId'>): string => `${u.vendor}:${u.vendorId}`;

/** What `filter.search` should keep: the name (or email) and the email, case-insensitively. */
function matches(user: UserNode, search: string): boolean {
  const name = [user.firstName, user.lastName].filter((p) => p && p.trim()).join(' ') || user.email || user.vendorId;
  return `${name} ${user.email ?? ''}`.toLowerCase().includes(search.toLowerCase());
}

function walk(url: string, direction: 'forward' | 'backward', size: number, extra: Record<string, unknown> = {}) {
  return walkConnection<UserNode>(url, PAGE, 'users', direction, size, extra);
}

/** `GET users` list and by-ids calls the Generic simulator saw, with their `page` parameter (null for ids). */
function genericListCalls(stack: TestStack): Array<number | null> {
  return stack.generic.log
    .filter((e) => e.method === 'GET' && e.path === 'users')
    .map((e) => {
      const page = new URLSearchParams(e.query).get('page');
      return page === null ? null : Number(page);
    });
}

const genericUserId = (id: string): string => toGlobalId('GENERIC', 'User', id);

describe('with the default stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  it('a first page with its total reads each vendor\'s list page once', async () => {
    const calls = () => [callsTo(stack.carehq.log, 'users'), callsTo(stack.caseware.log, 'users'), callsTo(stack.generic.log, 'users')];
    const before = calls();
    await gqlData(stack.url, '{ users(first: 5) { totalCount nodes { id } } }');
    expect(calls().map((n, i) => n - (before[i] ?? 0))).toEqual([1, 1, 1]);
  });

  it('counts the users of all three vendors', async () => {
    const data = await gqlData<{ users: { totalCount: number } }>(stack.url, COUNT);
    const expected = stack.carehq.store.users.size + stack.caseware.store.users.length + stack.generic.store.users.length;
    expect(stack.carehq.store.users.size).toBeGreaterThan(0);
    expect(stack.caseware.store.users.length).toBeGreaterThan(0);
    expect(data.users.totalCount).toBe(expected);
  });

  it.each([
    ['forward', 7],
    ['backward', 11],
  ] as const)('walks every user of the three vendors %s in pages of %i, merged in order, no duplicates or gaps', async (direction, size) => {
    const { nodes, pages } = await walk(stack.url, direction, size);
    const expected = storeUsers(stack).sort(byMergedOrder);
    expect(new Set(nodes.map(keyOf)).size).toBe(nodes.length);
    expect(nodes.map(keyOf)).toEqual(expected.map(keyOf));
    // The nodes carry the vendors' data, not just their ids.
    expect(nodes).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / size));
    expect(new Set(nodes.map((n) => n.vendor))).toEqual(new Set(['CAREHQ', 'CASEWARE', 'GENERIC']));
  });

  it('limits the list to the vendors asked for', async () => {
    const { nodes } = await walk(stack.url, 'forward', 20, { vendors: ['GENERIC'] });
    const count = await gqlData<{ users: { totalCount: number } }>(stack.url, COUNT, { vendors: ['GENERIC'] });
    const expected = storeUsers(stack).filter((u) => u.vendor === 'GENERIC').sort(byMergedOrder);
    expect(nodes.map(keyOf)).toEqual(expected.map(keyOf));
    expect(count.users.totalCount).toBe(stack.generic.store.users.length);
  });

  it('reads the next page after a cursor without reading earlier Generic pages twice', async () => {
    const first = await gqlData<UsersPage>(stack.url, PAGE, { first: 7 });
    const before = genericListCalls(stack).length;
    await gqlData<UsersPage>(stack.url, PAGE, { first: 7, after: first.users.pageInfo.endCursor });
    // All ~45 Generic users sit on one vendor page of 100: the second page costs at most that one page.
    expect(genericListCalls(stack).length - before).toBeLessThanOrEqual(1);
  });

  it('searches across vendors, with a matching totalCount', async () => {
    // A surname that more than one vendor has, so the search must span vendors to find them all.
    const all = storeUsers(stack);
    const vendorsBySurname = new Map<string, Set<string>>();
    for (const u of all) if (u.lastName) vendorsBySurname.set(u.lastName, (vendorsBySurname.get(u.lastName) ?? new Set()).add(u.vendor));
    const surname = [...vendorsBySurname.entries()].sort(([, a], [, b]) => b.size - a.size)[0]?.[0] ?? '';
    expect(vendorsBySurname.get(surname)?.size).toBeGreaterThan(1);
    const search = surname.toUpperCase();

    const { nodes } = await walk(stack.url, 'forward', 5, { filter: { search } });
    const expected = all.filter((u) => matches(u, search)).sort(byMergedOrder);
    expect(new Set(expected.map((u) => u.vendor)).size).toBeGreaterThan(1);
    expect(nodes.map(keyOf)).toEqual(expected.map(keyOf));
    const count = await gqlData<{ users: { totalCount: number } }>(stack.url, COUNT, { filter: { search } });
    expect(count.users.totalCount).toBe(expected.length);
  });

  it('viewer is the Generic API service user', async () => {
    const data = await gqlData<{ viewer: { id: string; vendor: string; vendorId: string; email: string; role: string } }>(
      stack.url,
      '{ viewer { id vendor vendorId email role } }',
    );
    const service = stack.generic.store.users.find((u) => u.id === stack.generic.store.serviceUserId);
    expect(service).toBeDefined();
    expect(data.viewer).toEqual({
      id: genericUserId(service?.id ?? ''),
      vendor: 'GENERIC',
      vendorId: service?.id,
      email: service?.email,
      role: service?.role,
    });
  });

  it('reports each bulk item in input order with its outcome or the vendor error code and field, creating the new ones once and updating existing emails', async () => {
    const existing = stack.generic.store.users[3]?.email ?? '';
    const input = [
      { email: 'ada.okafor@example.test', firstName: 'Ada', lastName: 'Okafor', role: 'admin' },
      { email: existing, firstName: 'Copy', lastName: 'Cat' },
      { email: 'no.first@example.test', firstName: '', lastName: 'Nameless' },
      { email: 'bo.lindqvist@example.test', firstName: 'Bo', lastName: 'Lindqvist' },
      { email: 'ada.okafor@example.test', firstName: 'Ada', lastName: 'Again' },
      { email: 'odd.role@example.test', firstName: 'Odd', lastName: 'Role', role: 'owner' },
    ];
    const before = stack.generic.store.users.length;
    const data = await gqlData<CreateResult>(stack.url, CREATE, { input });
    const { results } = data.createUsers;
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    // The vendor documents bulk as "create or update": a known email updates its user rather than failing.
    expect(results.map((r) => r.outcome ?? [r.error?.code, r.error?.field])).toEqual([
      'CREATED',
      'UPDATED',
      ['INVALID_INPUT', 'firstName'],
      'CREATED',
      'UPDATED',
      ['INVALID_INPUT', 'role'],
    ]);
    expect(data.createUsers).toMatchObject({ createdCount: 2, updatedCount: 2, failedCount: 2 });
    expect(results[0]?.user).toMatchObject({ vendor: 'GENERIC', email: 'ada.okafor@example.test', lastName: 'Okafor', role: 'admin' });

    expect(stack.generic.store.users.length).toBe(before + 2);
    for (const created of results.flatMap((r) => (r.user ? [r.user] : []))) {
      expect(stack.generic.store.users.filter((u) => u.email === created.email)).toEqual([
        expect.objectContaining({ id: created.vendorId }),
      ]);
    }
    // Each result shows the user as that item left it; the store holds the last item's names.
    expect(results[4]?.user).toMatchObject({ vendorId: results[0]?.user?.vendorId, lastName: 'Again' });
    expect(stack.generic.store.users.find((u) => u.email === existing)).toMatchObject({ firstName: 'Copy', lastName: 'Cat' });
  });

  it.each([
    ['a 5xx', 'serverErrors', 500],
    ['a 429', 'rateLimitBurst', 429],
  ] as const)('retries a bulk create answered %s and creates each user exactly once', async (_case, fault, status) => {
    await gqlData(stack.url, '{ viewer { id } }'); // a token in hand, so the fault hits the bulk call itself
    const tag = fault.toLowerCase();
    const input = [1, 2, 3].map((n) => ({ email: `retry.${tag}.${n}@example.test`, firstName: 'Retry', lastName: `${tag}${n}` }));
    const posts = () => stack.generic.log.filter((e) => e.method === 'POST' && e.path === 'users/bulk');
    const sent = posts().length;
    // The injected 429 says Retry-After: the rest of the window; a short window keeps the wait short.
    const windowSeconds = stack.generic.limits.windowSeconds;
    stack.generic.limits.windowSeconds = 1;
    stack.generic.faults[fault] = 1;
    const data = await gqlData<CreateResult>(stack.url, CREATE, { input }).finally(() => {
      stack.generic.limits.windowSeconds = windowSeconds;
    });
    expect(data.createUsers).toMatchObject({ createdCount: 3, failedCount: 0 });
    expect(posts().slice(sent).map((e) => e.status)).toEqual([status, 201]);
    for (const { email } of input) expect(stack.generic.store.users.filter((u) => u.email === email)).toHaveLength(1);
  });

  it('fetches one new token when the token expires mid-run, for a burst of lookups', async () => {
    await gqlData(stack.url, '{ viewer { id } }');
    const before = stack.generic.stats.tokenRequests;
    for (const [value, token] of stack.generic.store.tokens) stack.generic.store.tokens.set(value, { ...token, expiresAt: 0 });
    const ids = stack.generic.store.users.slice(0, 6).map((u) => u.id);
    const results = await Promise.all(ids.map((id) => gql<{ user: { vendorId: string } | null }>(stack.url, USER, { id: genericUserId(id) })));
    expect(results.map((r) => r.errors)).toEqual(ids.map(() => undefined));
    expect(results.map((r) => r.data?.user?.vendorId)).toEqual(ids);
    expect(stack.generic.stats.tokenRequests - before).toBe(1);
    expect(stack.generic.log.some((e) => e.status === 401)).toBe(true);
  });

  it('vendorStatus lists the five simulated vendors, reachable after calls, with empty queues', async () => {
    await gqlData(
      stack.url,
      '{ enquiries(first: 1) { nodes { id } } leads(first: 1) { nodes { id } } clients(first: 1) { nodes { id } } files(first: 1) { nodes { id } } users(first: 1) { nodes { id } } }',
    );
    const data = await gqlData<{ vendorStatus: Array<{ vendor: string; mode: string; reachable: boolean; queueDepth: number; calls: number }> }>(
      stack.url,
      '{ vendorStatus { vendor mode reachable queueDepth calls } }',
    );
    expect(data.vendorStatus.map((v) => v.vendor).sort()).toEqual(['CARECLOUD', 'CAREHQ', 'CASEWARE', 'CLINICEA', 'GENERIC']);
    for (const status of data.vendorStatus) {
      expect(status).toMatchObject({ mode: 'SIMULATOR', reachable: true, queueDepth: 0 });
      expect(status.calls).toBeGreaterThan(0);
    }
  });
});

describe('with a stack of its own', () => {
  const start = stacksPerTest();

  it('a cursor past the first Generic page reads from there on, never page 1 again', async () => {
    const s = await start({ generic: { userCount: 260 } });
    let after: string | null = null;
    for (let i = 0; i < 2; i += 1) {
      const data: UsersPage = await gqlData<UsersPage>(s.url, PAGE, { first: 100, after });
      after = data.users.pageInfo.endCursor;
    }
    const seen = genericListCalls(s).length;
    const third = await gqlData<UsersPage>(s.url, PAGE, { first: 7, after });
    const expected = storeUsers(s).sort(byMergedOrder).slice(200, 207);
    expect(third.users.edges.map((e) => keyOf(e.node))).toEqual(expected.map(keyOf));
    const genericBefore = storeUsers(s).sort(byMergedOrder).slice(0, 200).filter((u) => u.vendor === 'GENERIC').length;
    expect(genericBefore).toBeGreaterThan(100);
    const pages = genericListCalls(s).slice(seen);
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(page).toBeGreaterThanOrEqual(Math.floor(genericBefore / 100) + 1);
  });

  it.each<GenericHeaderStyle>(['epoch-seconds', 'delta-seconds', 'epoch-ms', 'ietf', 'ietf-draft'])(
    'obeys a limit of 3 a second reported as %s: a burst of 10 user lookups gives 0 errors and is not refused',
    async (headerStyle) => {
      const s = await start({ generic: { limits: { limit: 3, windowSeconds: 1, headerStyle } } });
      // One call first, so the gateway has read the budget from this style of headers before the burst.
      await gqlData(s.url, '{ viewer { id } }');
      const users = s.generic.store.users.slice(0, 10);
      const results: Array<GraphQLResult<{ user: { vendorId: string; email: string } | null }>> = await Promise.all(
        users.map((u) => gql<{ user: { vendorId: string; email: string } | null }>(s.url, USER, { id: genericUserId(u.id) })),
      );
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(results.map((r) => r.data?.user)).toEqual(users.map((u) => ({ vendorId: u.id, email: u.email })));
      // Read from the headers, the budget is spent without being refused; ignored, 7 of the 10 would be 429s.
      expect(s.generic.log.filter((e) => e.status === 429).length).toBeLessThanOrEqual(1);
    },
  );
});
