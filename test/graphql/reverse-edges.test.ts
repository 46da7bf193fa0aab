/**
 * Reverse edges over the vendors' own filters: `User.assignedEnquiries` (CareHQ's assignee filter, first pages of
 * many users in one joint call when they fit) and `User.clients` (Caseware's StaffCWGuids search, one list per
 * user), with cursors shared with the top-level lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import type { CareHqEnquiry } from '../../src/vendors/carehq/wire.ts';
import { startStack, strictSimulators, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const ASSIGNED = /* GraphQL */ `
  query($ids: [ID!]!, $first: Int, $after: String, $orderBy: EnquiryOrder) {
    nodes(ids: $ids) {
      ... on User {
        vendorId
        assignedEnquiries(first: $first, after: $after, orderBy: $orderBy) {
          totalCount
          nodes { vendorId assignee { vendorId } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`;

interface Assigned {
  nodes: Array<{
    vendorId: string;
    assignedEnquiries: { totalCount: number; nodes: Array<{ vendorId: string; assignee: { vendorId: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } | null;
  }>;
}

/** Each CareHQ user's assigned enquiry ids in `_id` order, read from the simulator's own store. */
function assignedInStore(): Map<string, string[]> {
  const byUser = new Map<string, string[]>([...stack.carehq.store.users.keys()].map((id) => [id, []]));
  const records: CareHqEnquiry[] = [...stack.carehq.store.enquiries.values()].sort((a, b) => (a._id < b._id ? -1 : 1));
  for (const record of records) if (record.assigned_to) byUser.get(record.assigned_to)?.push(record._id);
  return byUser;
}

function enquiryListCallsSince(mark: number): URLSearchParams[] {
  return stack.carehq.log
    .slice(mark)
    .filter((e) => e.method === 'GET' && e.path === 'care-enquiries')
    .map((e) => new URLSearchParams(e.query));
}

/** What vendorStatus says the gateway learnt of the repeated assignee filter. */
async function expectLearnt(support: 'SUPPORTED' | 'UNSUPPORTED'): Promise<void> {
  const data = await gqlData<{ vendorStatus: Array<{ vendor: string; extensions: Array<{ name: string; support: string; since: string }> }> }>(
    stack.url,
    '{ vendorStatus { vendor extensions { name support since } } }',
  );
  const carehq = data.vendorStatus.find((v) => v.vendor === 'CAREHQ');
  const learnt = carehq?.extensions.find((e) => e.name === 'care-enquiries?filters-assigned_to (repeated)');
  expect(learnt?.support).toBe(support);
  expect(Date.now() - Date.parse(learnt?.since ?? '')).toBeLessThan(60_000);
}

describe('User.assignedEnquiries (CareHQ)', () => {
  it('answers the first pages of several users with one joint call when their enquiries fit in one page', async () => {
    const store = assignedInStore();
    // Users with some enquiries, but few enough together to fit one page of 100.
    const chosen: string[] = [];
    let sum = 0;
    for (const [id, list] of [...store].sort((a, b) => a[1].length - b[1].length)) {
      if (list.length === 0 || sum + list.length > 100 || chosen.length === 4) continue;
      chosen.push(id);
      sum += list.length;
    }
    expect(chosen.length).toBeGreaterThan(1);
    const mark = stack.carehq.log.length;
    const data = await gqlData<Assigned>(stack.url, ASSIGNED, { ids: chosen.map((id) => toGlobalId('CAREHQ', 'User', id)), first: 3 });
    for (const node of data.nodes) {
      const expected = store.get(node.vendorId) ?? [];
      expect(node.assignedEnquiries?.totalCount).toBe(expected.length);
      expect(node.assignedEnquiries?.nodes.map((n) => n.vendorId)).toEqual(expected.slice(0, 3));
      expect(node.assignedEnquiries?.nodes.every((n) => n.assignee.vendorId === node.vendorId)).toBe(true);
      expect(node.assignedEnquiries?.pageInfo.hasNextPage).toBe(expected.length > 3);
    }
    const calls = enquiryListCallsSince(mark);
    expect(calls[0]?.getAll('filters-assigned_to').sort()).toEqual([...chosen].sort());
    if (strictSimulators) {
      // A strict CareHQ refuses the repeated filter (400): one documented single-value list per user follows.
      expect(calls).toHaveLength(1 + chosen.length);
      expect(calls.slice(1).map((q) => q.getAll('filters-assigned_to'))).toEqual(expect.arrayContaining(chosen.map((id) => [id])));
      await expectLearnt('UNSUPPORTED');
    } else {
      expect(calls).toHaveLength(1);
      await expectLearnt('SUPPORTED');
    }
  });

  it('falls back to one filtered list per user when the joint list passes one page', async () => {
    const store = assignedInStore();
    const busiest = [...store].sort((a, b) => b[1].length - a[1].length).slice(0, 3);
    // Give the first user enough enquiries that the three cannot share one page of 100.
    const [first] = busiest;
    if (!first) throw new Error('no CareHQ users');
    const others = [...stack.carehq.store.enquiries.values()].filter((e) => e.assigned_to !== first[0]).slice(0, 101);
    for (const record of others) stack.carehq.store.enquiries.set(record._id, { ...record, assigned_to: first[0] });
    const after = assignedInStore();
    const ids = busiest.map(([id]) => id);
    const mark = stack.carehq.log.length;
    const data = await gqlData<Assigned>(stack.url, ASSIGNED, { ids: ids.map((id) => toGlobalId('CAREHQ', 'User', id)), first: 5 });
    for (const node of data.nodes) {
      const expected = after.get(node.vendorId) ?? [];
      expect(node.assignedEnquiries?.totalCount).toBe(expected.length);
      expect(node.assignedEnquiries?.nodes.map((n) => n.vendorId)).toEqual(expected.slice(0, 5));
    }
    const calls = enquiryListCallsSince(mark);
    // The joint try, then one list per user; a strict CareHQ's refusal was remembered, so it is not tried again.
    const joint = strictSimulators ? 0 : 1;
    expect(calls).toHaveLength(joint + ids.length);
    expect(calls.slice(joint).map((q) => q.getAll('filters-assigned_to'))).toEqual(expect.arrayContaining(ids.map((id) => [id])));
  });

  it('shares cursors with enquiries(filter: { assigneeId }), in either direction, and keeps the order', async () => {
    const [userId, list] = [...assignedInStore()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    if (!userId || !list || list.length < 4) throw new Error('no CareHQ user with 4 enquiries');
    const assigneeId = toGlobalId('CAREHQ', 'User', userId);
    const orderBy = { field: 'CREATED_AT', direction: 'DESC' };
    const edge = await gqlData<Assigned>(stack.url, ASSIGNED, { ids: [assigneeId], first: 2, orderBy });
    const cursor = edge.nodes[0]?.assignedEnquiries?.pageInfo.endCursor;
    const top = await gqlData<{ enquiries: { nodes: Array<{ vendorId: string }>; pageInfo: { endCursor: string } } }>(
      stack.url,
      'query($after: String, $filter: EnquiryFilter, $orderBy: EnquiryOrder) { enquiries(first: 2, after: $after, filter: $filter, orderBy: $orderBy) { nodes { vendorId } pageInfo { endCursor } } }',
      { after: cursor, filter: { assigneeId }, orderBy },
    );
    const expected = [...stack.carehq.store.enquiries.values()]
      .filter((e) => e.assigned_to === userId)
      .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a._id < b._id ? -1 : 1))
      .map((e) => e._id);
    expect([...(edge.nodes[0]?.assignedEnquiries?.nodes.map((n) => n.vendorId) ?? []), ...top.enquiries.nodes.map((n) => n.vendorId)]).toEqual(
      expected.slice(0, 4),
    );
    const back = await gqlData<Assigned>(stack.url, ASSIGNED, { ids: [assigneeId], first: 2, after: top.enquiries.pageInfo.endCursor, orderBy });
    expect(back.nodes[0]?.assignedEnquiries?.nodes.map((n) => n.vendorId)).toEqual(expected.slice(4, 6));
    const wrongOrder = await gql(stack.url, ASSIGNED, { ids: [assigneeId], first: 2, after: cursor });
    expect(wrongOrder.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is null for users of other vendors, without a call', async () => {
    const [genericUser] = stack.generic.store.users;
    if (!genericUser) throw new Error('no Generic users');
    const mark = stack.carehq.log.length;
    const data = await gqlData<Assigned>(stack.url, ASSIGNED, { ids: [toGlobalId('GENERIC', 'User', genericUser.id)], first: 3 });
    expect(data.nodes[0]?.assignedEnquiries).toBeNull();
    expect(enquiryListCallsSince(mark)).toHaveLength(0);
  });
});

describe('User.clients (Caseware)', () => {
  const CLIENTS = /* GraphQL */ `
    query($ids: [ID!]!, $first: Int, $after: String) {
      nodes(ids: $ids) { ... on User { vendorId clients(first: $first, after: $after) { totalCount nodes { vendorId name } pageInfo { hasNextPage endCursor } } } }
    }
  `;
  type Clients = {
    nodes: Array<{ vendorId: string; clients: { totalCount: number; nodes: Array<{ vendorId: string; name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } | null }>;
  };

  it("lists each staff member's clients through Caseware's own search, one call per user, ordered by name", async () => {
    const { users, entities } = stack.caseware.store;
    const staff = users.filter((u) => entities.some((e) => e.StaffCWGuids?.includes(u.CWGuid))).slice(0, 3);
    expect(staff.length).toBeGreaterThan(1);
    const mark = stack.caseware.log.length;
    const data = await gqlData<Clients>(stack.url, CLIENTS, { ids: staff.map((u) => toGlobalId('CASEWARE', 'User', u.CWGuid)), first: 50 });
    for (const node of data.nodes) {
      const expected = entities
        .filter((e) => e.StaffCWGuids?.includes(node.vendorId))
        .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : a.CWGuid < b.CWGuid ? -1 : 1))
        .map((e) => e.CWGuid);
      expect(node.clients?.nodes.map((c) => c.vendorId)).toEqual(expected.slice(0, 50));
      expect(node.clients?.totalCount).toBe(expected.length);
    }
    const searches = stack.caseware.log
      .slice(mark)
      .filter((e) => e.method === 'GET' && e.path === 'entities')
      .map((e) => new URLSearchParams(e.query).getAll('search'));
    expect(searches.length).toBeGreaterThanOrEqual(staff.length);
    for (const user of staff) expect(searches.some((s) => s.some((term) => term.includes(user.CWGuid)))).toBe(true);
  });

  it('shares cursors with clients(filter: { staffId }) and is null for a CareHQ user', async () => {
    const { users, entities } = stack.caseware.store;
    const user = users.find((u) => entities.filter((e) => e.StaffCWGuids?.includes(u.CWGuid)).length >= 3);
    if (!user) throw new Error('no Caseware user with 3 clients');
    const staffId = toGlobalId('CASEWARE', 'User', user.CWGuid);
    const edge = await gqlData<Clients>(stack.url, CLIENTS, { ids: [staffId], first: 1 });
    const top = await gqlData<{ clients: { nodes: Array<{ vendorId: string }> } }>(
      stack.url,
      'query($after: String, $filter: ClientFilter) { clients(first: 2, after: $after, filter: $filter) { nodes { vendorId } } }',
      { after: edge.nodes[0]?.clients?.pageInfo.endCursor, filter: { staffId } },
    );
    const all = await gqlData<Clients>(stack.url, CLIENTS, { ids: [staffId], first: 3 });
    expect([...(edge.nodes[0]?.clients?.nodes ?? []), ...top.clients.nodes].map((n) => n.vendorId)).toEqual(all.nodes[0]?.clients?.nodes.map((n) => n.vendorId));

    const [careHqUser] = stack.carehq.store.users.keys();
    const other = await gqlData<Clients>(stack.url, CLIENTS, { ids: [toGlobalId('CAREHQ', 'User', careHqUser ?? '')], first: 1 });
    expect(other.nodes[0]?.clients).toBeNull();
  });
});
