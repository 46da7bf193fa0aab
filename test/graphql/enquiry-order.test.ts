/**
 * Ordering and the native enquiry filters: CareHQ sorts (`sort_by`) and filters (`filters-*`), the gateway only
 * pages; cursors belong to one order and filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareHqEnquiry } from '../../src/vendors/carehq/wire.ts';
import { startStack, strictSimulators, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, walkConnection } from '../helpers/graphql.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const PAGE = /* GraphQL */ `
  query($first: Int, $after: String, $last: Int, $before: String, $filter: EnquiryFilter, $orderBy: EnquiryOrder) {
    enquiries(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { vendorId createdAt lastName locationId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

interface Node {
  vendorId: string;
  createdAt: string;
  lastName: string | null;
  locationId: string | null;
}

type Page = { enquiries: { totalCount: number; edges: Array<{ cursor: string; node: Node }>; pageInfo: { endCursor: string | null } } };

function records(): CareHqEnquiry[] {
  return [...stack.carehq.store.enquiries.values()];
}

/** The list calls from `mark` on, as their query strings. */
function listQueriesSince(mark: number): URLSearchParams[] {
  return stack.carehq.log
    .slice(mark)
    .filter((entry) => entry.method === 'GET' && entry.path === 'care-enquiries')
    .map((entry) => new URLSearchParams(entry.query));
}

describe('orderBy', () => {
  it('walks every enquiry newest first, in the order CareHQ sorted them, with ties in id order', async () => {
    const mark = stack.carehq.log.length;
    const { nodes } = await walkConnection<Node>(stack.url, PAGE, 'enquiries', 'forward', 40, {
      orderBy: { field: 'CREATED_AT', direction: 'DESC' },
    });
    const expected = records()
      .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a._id < b._id ? -1 : 1))
      .map((r) => r._id);
    expect(nodes.map((n) => n.vendorId)).toEqual(expected);
    const sent = listQueriesSince(mark);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((q) => q.get('sort_by') === '-created')).toBe(true);
  });

  it('walks backward by last name in the same order as forward', async () => {
    const orderBy = { field: 'LAST_NAME', direction: 'ASC' };
    const forward = await walkConnection<Node>(stack.url, PAGE, 'enquiries', 'forward', 50, { orderBy });
    const backward = await walkConnection<Node>(stack.url, PAGE, 'enquiries', 'backward', 50, { orderBy });
    expect(backward.nodes.map((n) => n.vendorId)).toEqual(forward.nodes.map((n) => n.vendorId));
    const names = forward.nodes.map((n) => n.lastName ?? '');
    expect(names.filter((n) => n !== '')).toEqual([...names.filter((n) => n !== '')].sort());
  });

  it.each([
    ['another order', { orderBy: { field: 'CREATED_AT', direction: 'ASC' } }],
    ['the same field the other way', { orderBy: { field: 'MODIFIED_AT', direction: 'ASC' } }],
    ['no order at all', {}],
  ])('refuses a cursor from one order with %s: BAD_USER_INPUT', async (_name, other) => {
    const first = await gqlData<Page>(stack.url, PAGE, { first: 3, orderBy: { field: 'MODIFIED_AT', direction: 'DESC' } });
    const result = await gql(stack.url, PAGE, { first: 3, after: first.enquiries.pageInfo.endCursor, ...other });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('a cursor is accepted with the order it came from', async () => {
    const orderBy = { field: 'DATE_OF_BIRTH', direction: 'DESC' };
    const first = await gqlData<Page>(stack.url, PAGE, { first: 3, orderBy });
    const next = await gqlData<Page>(stack.url, PAGE, { first: 3, after: first.enquiries.pageInfo.endCursor, orderBy });
    expect(next.enquiries.edges).toHaveLength(3);
  });
});

describe('native filters', () => {
  it.skipIf(strictSimulators)('filters on a created-at range and a location in CareHQ: one call, the vendor total, nothing filtered here', async () => {
    const sorted = records().sort((a, b) => (a.created < b.created ? -1 : 1));
    const from = sorted[Math.floor(sorted.length / 4)]?.created ?? '';
    const to = sorted[Math.floor((sorted.length * 3) / 4)]?.created ?? '';
    const location = sorted[0]?.location ?? '';
    const expected = records().filter((r) => r.created >= from && r.created <= to && r.location === location);
    expect(expected.length).toBeGreaterThan(0);

    const mark = stack.carehq.log.length;
    const data = await gqlData<Page>(stack.url, PAGE, { first: 100, filter: { createdFrom: from, createdTo: to, locationId: location } });
    expect(data.enquiries.totalCount).toBe(expected.length);
    expect(data.enquiries.edges.map((e) => e.node.vendorId).sort()).toEqual(expected.map((r) => r._id).sort());
    const sent = listQueriesSince(mark);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.get('filters-location')).toBe(location);
    expect(Date.parse(sent[0]?.get('filters-created_from') ?? '')).toBe(Date.parse(from));
    expect(Date.parse(sent[0]?.get('filters-created_to') ?? '')).toBe(Date.parse(to));
  });

  it.runIf(strictSimulators)(
    'strict: CareHQ ignores the created-at range, the page shows it, and the answer is VENDOR_UNSUPPORTED, remembered so the next asks no vendor',
    async () => {
      // Just after the first record in `_id` order: it heads the unfiltered first page and falls outside.
      const [head] = records().sort((a, b) => (a._id < b._id ? -1 : 1));
      const from = new Date(Date.parse(head?.created ?? '') + 1).toISOString();
      const mark = stack.carehq.log.length;
      const result = await gql(stack.url, PAGE, { first: 10, filter: { createdFrom: from } });
      expect(result.data?.enquiries ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNSUPPORTED', vendor: 'CAREHQ', extension: 'care-enquiries?filters-created_from/to' });
      // The one call went out with the filter, and the simulator answered the whole list.
      expect(listQueriesSince(mark).map((q) => q.get('filters-created_from'))).toEqual([from]);

      const again = stack.carehq.log.length;
      const second = await gql(stack.url, PAGE, { first: 10, filter: { createdTo: from, locationId: 'anywhere' } });
      expect(second.errors?.[0]?.extensions?.code).toBe('VENDOR_UNSUPPORTED');
      expect(stack.carehq.log.length).toBe(again);
      // The documented filters still work without the range.
      const location = head?.location ?? '';
      const plain = await gqlData<Page>(stack.url, PAGE, { first: 100, filter: { locationId: location } });
      expect(plain.enquiries.totalCount).toBe(records().filter((r) => r.location === location).length);
    },
  );

  it.skipIf(strictSimulators)('a cursor from one date range is refused with another', async () => {
    const first = await gqlData<Page>(stack.url, PAGE, { first: 2, filter: { createdFrom: '2000-01-01T00:00:00Z' } });
    const result = await gql(stack.url, PAGE, { first: 2, after: first.enquiries.pageInfo.endCursor, filter: { createdFrom: '2000-01-02T00:00:00Z' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a range that ends before it starts is BAD_USER_INPUT and asks no vendor', async () => {
    const mark = stack.carehq.log.length;
    const result = await gql(stack.url, PAGE, { first: 2, filter: { createdFrom: '2026-03-01T00:00:00Z', createdTo: '2026-02-01T00:00:00Z' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.carehq.log.length).toBe(mark);
  });

  it.each([
    ['filters-location=nowhere', 0],
    // A strict CareHQ does not know the filter (no field is `created_from`) and drops it: the whole list.
    ['filters-created_from=yesterday', strictSimulators ? 'all' : 400],
  ])('the simulator answers %s as CareHQ would', async (query, expected) => {
    // Straight to the simulator, signed by the gateway's own client: the filter's wire behaviour on its own.
    const mark = stack.carehq.log.length;
    const [key, value] = query.split('=') as [string, string];
    const source = stack.gateway.vendors.carehq;
    const call = { priority: 'interactive', deadline: Date.now() + 5000 } as const;
    if (expected === 400) {
      await expect(source.upstream.request({ method: 'GET', path: 'care-enquiries', query: { [key]: value } }, call)).rejects.toMatchObject({
        status: 400,
      });
    } else {
      const page = await source.upstream.request<{ total_items: number }>({ method: 'GET', path: 'care-enquiries', query: { [key]: value } }, call);
      expect(page.total_items).toBe(expected === 'all' ? records().length : expected);
    }
    expect(stack.carehq.log.length).toBe(mark + 1);
  });
});
