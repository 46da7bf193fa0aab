/**
 * What one request may cost, over real HTTP: every static limit and the connection-aware cost refuse an
 * operation before it runs (HTTP 400, QUERY_TOO_COMPLEX naming the limit, not one vendor call), strings bound
 * for vendors are capped at 256 characters, and the README's queries pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { LIMIT_DEFAULTS } from '../../src/server/limits.ts';
import { startStack, stacksPerTest, vendorCalls, type TestStack } from '../helpers/gateway.ts';
import { postGraphQL } from '../helpers/requests.ts';

const aliases = (n: number, field: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;

/** A 14-deep query the schema allows: inline fragments count as levels, as nested selections do. */
const deep = (levels: number) => `{ ${'... on Query { '.repeat(levels)}enquiries(first: 1) { totalCount }${' }'.repeat(levels)} }`;

const README_ENQUIRIES = `query Enquiries($after: String) {
  enquiries(first: 20, after: $after, filter: { fundingType: PRIVATE }) {
    totalCount
    edges {
      cursor
      node { id createdAt firstName lastName email status dementia assignee { name locationRole } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const README_MIXED = `{
  leads(first: 50, changedSince: "2026-05-01T00:00:00Z") { syncedAt nodes { id dataStatus firstName owner { name } } }
  clients(first: 10, filter: { entityType: "Company" }) { totalCount nodes { name number users { name email } } }
  files(first: 10) { nodes { name size checksumSha256 downloadUrl uploadedBy { name } } }
  users(first: 25, vendors: [CAREHQ, CASEWARE, GENERIC]) { totalCount nodes { vendor name email role } pageInfo { endCursor } }
  vendorStatus { vendor mode reachable rateBudget { limit remaining } queueDepth quota { used remaining } }
}`;

const README_ORDER_AND_EDGES = `{
  enquiries(first: 10, orderBy: { field: CREATED_AT, direction: DESC },
            filter: { createdFrom: "2026-01-01T00:00:00Z", locationId: "64f1c2a9e8b7d6c5b4a39281" }) {
    nodes { id createdAt lastName }
  }
  users(first: 10, vendors: [CAREHQ, CASEWARE]) {
    nodes { name assignedEnquiries(first: 3) { totalCount nodes { id status } } clients(first: 3) { nodes { name } } }
  }
}`;

describe('static limits and cost, with the defaults', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  it.each([
    { limit: 'aliases', max: 15, query: aliases(16, () => 'enquiries(first: 1) { totalCount }') },
    { limit: 'aliases', max: 15, query: aliases(300, () => 'enquiries { totalCount }') },
    // Distinct filters make each alias longer: the parser gives up first.
    { limit: 'tokens', max: 2000, query: aliases(300, (i) => `enquiries(first: 100, filter: { search: "s${i}" }) { nodes { id } }`) },
    { limit: 'depth', max: 12, query: deep(14) },
    { limit: 'tokens', max: 2000, query: `{ enquiries(first: 1) { totalCount ${'__typename '.repeat(2000)}} }` },
    { limit: 'directives', max: 50, query: `{ enquiries(first: 1) { totalCount ${'__typename @include(if: true) '.repeat(51)}} }` },
    { limit: 'cost', max: 5000, query: '{ enquiries(first: 100000) { nodes { id } } }' },
    { limit: 'cost', max: 5000, query: 'query($n: Int) { enquiries(first: $n) { nodes { id } } }', variables: { n: 5000 } },
    {
      limit: 'cost',
      max: 5000,
      query: aliases(8, (i) => `enquiries(first: 100, filter: { search: "s${i}" }) { nodes { id firstName lastName email assignee { name } } }`),
    },
    {
      limit: 'cost',
      max: 5000,
      query: aliases(5, (i) => `users(first: 100, filter: { search: "s${i}" }) { totalCount nodes { id name email role } }`),
    },
    // A reverse edge is priced as one list per parent, its worst case: 100 users' enquiry lists.
    { limit: 'cost', max: 5000, query: '{ users(first: 100, vendors: [CAREHQ]) { nodes { assignedEnquiries(first: 10) { nodes { id } } } } }' },
    { limit: 'cost', max: 5000, query: '{ users(first: 100, vendors: [CASEWARE]) { nodes { clients(first: 10) { nodes { id } } } } }' },
  ])('refuses over the $limit limit ($max) with QUERY_TOO_COMPLEX and no vendor call', async ({ limit, max, query, variables }) => {
    const before = vendorCalls(s);
    const answer = await postGraphQL(s.url, query, variables);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    const error = answer.body.errors?.find((e) => e.extensions?.limit === limit);
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, max });
    expect(error?.message).toMatch(/^Query too complex: /);
    expect(vendorCalls(s)).toBe(before);
  });

  it('a refused cost says what the operation would have cost', async () => {
    const answer = await postGraphQL(s.url, '{ enquiries(first: 100000) { nodes { id } } }');
    expect(answer.body.errors?.[0]?.extensions?.cost).toBeGreaterThan(5000);
    expect(answer.body.errors?.[0]?.message).toMatch(/cost \d+ exceeds the limit of 5000/);
  });

  it('prices a repeated query the same each time, and one with variables by its variables each time', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect((await postGraphQL(s.url, '{ enquiries(first: 100000) { nodes { id } } }')).status).toBe(400);
      expect((await postGraphQL(s.url, '{ enquiries(first: 2) { nodes { id } } }')).status).toBe(200);
    }
    const sized = 'query($n: Int) { enquiries(first: $n) { nodes { id } } }';
    expect((await postGraphQL(s.url, sized, { n: 2 })).status).toBe(200);
    expect((await postGraphQL(s.url, sized, { n: 5000 })).body.errors?.[0]?.extensions?.limit).toBe('cost');
    expect((await postGraphQL(s.url, sized, { n: 2 })).status).toBe(200);
  });

  it.each([
    ['the README enquiries query', README_ENQUIRIES],
    ['the README leads, clients, files, users and status query', README_MIXED],
    ['15 aliases of small pages', aliases(15, (i) => `enquiries(first: 5, filter: { search: "s${i}" }) { nodes { id firstName } }`)],
    ['a page of 100 with assignees', '{ enquiries(first: 100) { totalCount nodes { id firstName lastName email status assignee { name email } } } }'],
    ['100 clients with their staff and 100 leads with their owners', '{ clients(first: 100) { nodes { name users { name email } } } leads(first: 100) { nodes { id owner { name } } } }'],
    ['the README ordering and reverse-edge query', README_ORDER_AND_EDGES],
    ['5 users with their assigned enquiries and clients', '{ users(first: 5, vendors: [CAREHQ, CASEWARE]) { nodes { assignedEnquiries(first: 5) { totalCount nodes { id } } clients(first: 5) { nodes { name } } } } }'],
    ['introspection', '{ __schema { queryType { name } types { name kind fields { name args { name } type { name kind ofType { name kind ofType { name } } } } } } }'],
  ])('lets %s through', async (_name, query) => {
    const answer = await postGraphQL(s.url, query);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.status).toBe(200);
  });
});

describe('limits from options', () => {
  const ownStack = stacksPerTest();

  it('each limit takes its configured value', async () => {
    const s = await ownStack({ gateway: { limits: { maxAliases: 2, maxCost: 110 } } });
    const three = await postGraphQL(s.url, aliases(3, () => 'vendorStatus { vendor }'));
    expect(three.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 2 });
    const costly = await postGraphQL(s.url, '{ enquiries(first: 20) { nodes { id } } }');
    expect(costly.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 110 });
    const small = await postGraphQL(s.url, '{ enquiries(first: 1) { nodes { id } } }');
    expect(small.body.errors).toBeUndefined();
  });

  it('the defaults are config.ts defaults', () => {
    const { maxAliases, maxDepth, maxTokens, maxDirectives, maxCost } = loadConfig({}).limits;
    expect({ maxAliases, maxDepth, maxTokens, maxDirectives, maxCost }).toEqual(LIMIT_DEFAULTS);
  });
});

describe('strings sent to vendors', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  const long = 'x'.repeat(257);

  it.each([
    { argument: 'filter.search', query: `{ enquiries(filter: { search: "${long}" }) { totalCount } }`, variables: {} },
    {
      argument: 'filter.search',
      query: 'query($f: UserFilter) { users(first: 5, filter: $f) { nodes { id } } }',
      variables: { f: { search: 'é'.repeat(257) } },
    },
    { argument: 'filter.name', query: `{ clients(filter: { name: "${long}" }) { totalCount } }`, variables: {} },
    {
      argument: 'input.firstName',
      query: 'mutation($i: CreateEnquiryInput!) { createEnquiry(input: $i) { enquiry { id } } }',
      variables: { i: { firstName: long, lastName: 'Crawley' } },
    },
    {
      argument: 'input.careRequirements[1]',
      query: 'mutation($i: CreateEnquiryInput!) { createEnquiry(input: $i) { enquiry { id } } }',
      variables: { i: { firstName: 'Edith', careRequirements: ['nursing', long] } },
    },
    {
      argument: 'input[1].lastName',
      query: 'mutation($i: [CreateUserInput!]!) { createUsers(input: $i) { createdCount } }',
      variables: { i: [{ email: 'a@example.org', firstName: 'A', lastName: 'B' }, { email: 'c@example.org', firstName: 'C', lastName: long }] },
    },
  ])('refuses a 257-character $argument as BAD_USER_INPUT before any vendor call', async ({ argument, query, variables }) => {
    const before = vendorCalls(s);
    const answer = await postGraphQL(s.url, query, variables);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, max: 256 });
    expect(answer.body.errors?.[0]?.message).toContain(`"${argument}" may be at most 256 characters, got 257`);
    expect(vendorCalls(s)).toBe(before);
  });

  it('one operation priced once per shape of its variables still refuses each long string and passes each short one', async () => {
    const search = 'query($s: String, $n: Int) { enquiries(first: $n, filter: { search: $s }) { totalCount } }';
    // Same operation, alternating: a verdict remembered for one short term must not pass a long one, and a
    // refusal must not stick to the next short one. 300 UTF-16 units of emoji are 150 code points: allowed.
    const cases: Array<{ s: string; n: number; refused?: string }> = [
      { s: 'ab', n: 5 },
      { s: 'x'.repeat(300), n: 5, refused: 'BAD_USER_INPUT' },
      { s: 'cd', n: 5 },
      { s: '\u{1F600}'.repeat(150), n: 5 },
      { s: 'y'.repeat(300), n: 5, refused: 'BAD_USER_INPUT' },
      { s: 'ef', n: 100_000, refused: 'QUERY_TOO_COMPLEX' },
      { s: 'gh', n: 5 },
    ];
    for (const { s: term, n, refused } of cases) {
      const answer = await postGraphQL(s.url, search, { s: term, n });
      if (refused) {
        expect(answer.status, `${term.slice(0, 4)}… first ${n}`).toBe(400);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe(refused);
      } else {
        expect(answer.body.errors, `${term.slice(0, 4)}… first ${n}`).toBeUndefined();
      }
    }
  });

  it('lets 256 characters through to the vendor', async () => {
    const before = vendorCalls(s);
    const answer = await postGraphQL(s.url, 'query($f: EnquiryFilter) { enquiries(filter: $f) { totalCount } }', { f: { search: 'é'.repeat(256) } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ enquiries: { totalCount: 0 } });
    expect(vendorCalls(s)).toBeGreaterThan(before);
  });
});
