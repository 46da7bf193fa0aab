import { toGlobalId } from '../../src/graphql/global-id.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { callsTo, startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';

let stack: TestStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const CREATE = /* GraphQL */ `
  mutation($input: CreateEnquiryInput!) {
    createEnquiry(input: $input) { enquiry { id vendorId firstName email fundingType status } }
  }
`;

describe('rate limits', () => {
  it('waits in the queue when the vendor allows 2 requests a second: 0 errors and no 429 after the first', async () => {
    stack = await startStack({ carehq: { perSecond: 2 } });
    const url = stack.url;
    const list = await gqlData<{ enquiries: { nodes: Array<{ id: string }> } }>(url, '{ enquiries(first: 12) { nodes { id } } }');
    const ids = list.enquiries.nodes.map((n) => n.id);
    // 12 single-record lookups (separate requests, so nothing batches them) and 3 list pages, all at once: far
    // more than 2 a second.
    const results = await Promise.all([
      ...ids.map((id) => gql(url, 'query($id: ID!) { enquiry(id: $id) { id } }', { id })),
      ...[0, 1, 2].map((i) => gql(url, `{ enquiries(first: 3, filter: { search: "${'aeiou'[i]}" }) { nodes { id } } }`)),
    ]);
    for (const result of results) expect(result.errors).toBeUndefined();
    const statuses = stack.carehq.log.map((entry) => entry.status);
    expect(statuses.filter((s) => s === 429).length).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(16);
  });

  it('gives up with RATE_LIMITED and a retry hint when the wait would pass the request deadline', async () => {
    stack = await startStack({ carehq: { perSecond: 3 }, gateway: { requestTimeoutMs: 600 } });
    const list = await gqlData<{ enquiries: { nodes: Array<{ id: string }> } }>(stack.url, '{ enquiries(first: 8) { nodes { id } } }');
    // Start in a fresh vendor window: 3 lookups fit in it, the other 5 would need 2 more seconds. Early in it,
    // too: a timer that fires late on a busy machine would otherwise start the lookups so near the next window
    // that it opens before their 600 ms deadline, and more than 3 come back.
    do await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    while (Date.now() % 1000 > 150);
    // Separate requests, so that each lookup is a call of its own rather than one batch.
    const url = stack.url;
    const results = await Promise.all(
      list.enquiries.nodes.map((n) => gql<{ enquiry: { id: string } | null }>(url, 'query($id: ID!) { enquiry(id: $id) { id } }', { id: n.id })),
    );
    const errors = results.flatMap((result) => result.errors ?? []);
    const codes = new Set(errors.map((e) => e.extensions?.code));
    expect(codes).toEqual(new Set(['RATE_LIMITED']));
    expect(errors[0]?.extensions).toMatchObject({ vendor: 'CAREHQ' });
    expect(Number(errors[0]?.extensions?.retryAfter)).toBeGreaterThanOrEqual(1);
    // The lookups that fitted in the budget still came back.
    expect(results.filter((result) => result.data?.enquiry)).toHaveLength(3);
    expect(stack.carehq.log.filter((e) => e.status === 429)).toHaveLength(0);
  });
});

describe('writes', () => {
  it('a create answered 429 is retried and lands exactly once', async () => {
    stack = await startStack();
    const before = stack.carehq.store.enquiries.size;
    stack.carehq.faults.rateLimitBurst = 2;
    const data = await gqlData<{ createEnquiry: { enquiry: { vendorId: string; firstName: string; status: string } } }>(
      stack.url,
      CREATE,
      { input: { firstName: 'Edith', lastName: 'Crawley', email: 'edith.crawley@example.org', fundingType: 'PRIVATE' } },
    );
    expect(data.createEnquiry.enquiry).toMatchObject({ firstName: 'Edith', status: 'OPEN' });
    expect(stack.carehq.store.enquiries.size).toBe(before + 1);
    const puts = stack.carehq.log.filter((e) => e.method === 'PUT');
    expect(puts.map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it('a create answered 5xx is never sent again and says UPSTREAM_UNAVAILABLE', async () => {
    stack = await startStack();
    stack.carehq.faults.serverErrors = 1;
    const result = await gql(stack.url, CREATE, { input: { firstName: 'Once', lastName: 'Only' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'CAREHQ', status: 500 });
    expect(callsTo(stack.carehq.log, 'care-enquiries', 'PUT')).toBe(1);
  });

  it('a create whose connection drops is not resent (it may have landed)', async () => {
    stack = await startStack();
    stack.carehq.faults.dropConnections = 1;
    const result = await gql(stack.url, CREATE, { input: { firstName: 'Dropped' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(callsTo(stack.carehq.log, 'care-enquiries', 'PUT')).toBe(1);
  });

  it('reads are retried after a 5xx and succeed', async () => {
    stack = await startStack();
    stack.carehq.faults.serverErrors = 2;
    const data = await gqlData<{ enquiries: { totalCount: number } }>(stack.url, '{ enquiries(first: 1) { totalCount } }');
    expect(data.enquiries.totalCount).toBeGreaterThan(0);
    expect(stack.carehq.log.map((e) => e.status)).toEqual([500, 500, 200]);
  });

  it('the vendor field errors come back per input field', async () => {
    stack = await startStack();
    // A valid date of birth goes through as YYYY-MM-DD; the unknown assignee is what CareHQ refuses.
    const result = await gql(stack.url, CREATE, {
      input: { firstName: 'Bad', dateOfBirth: '1950-02-28', assigneeId: toGlobalId('CAREHQ', 'User', 'f'.repeat(24)) },
    });
    const error = result.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', vendor: 'CAREHQ', status: 400 });
    const fields = (error?.extensions?.fieldErrors as Array<{ field: string; messages: string[] }>).map((f) => f.field);
    expect(fields).toEqual(['assigneeId']);
  });

  it('a new enquiry shows up in the list straight away', async () => {
    stack = await startStack({ gateway: { carehq: { cacheTtlMs: 60_000 } } });
    const count = async () => (await gqlData<{ enquiries: { totalCount: number } }>(stack!.url, '{ enquiries(first: 1) { totalCount } }')).enquiries.totalCount;
    const before = await count();
    await gqlData(stack.url, CREATE, { input: { firstName: 'Fresh', email: 'fresh@example.org' } });
    expect(await count()).toBe(before + 1);
  });
});

describe('auth and errors', () => {
  it('a wrong API secret is UNAUTHENTICATED and the secret appears nowhere in the answer', async () => {
    stack = await startStack({ gateway: { carehq: { credentials: { accountId: 'sim-demo-account', apiKey: 'sim-demo-api-key', apiSecret: 'wrong-secret-123' } } } });
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ enquiries(first: 1) { totalCount } }' }),
    });
    const text = await response.text();
    expect(JSON.parse(text).errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', vendor: 'CAREHQ', status: 401 });
    expect(text).not.toContain('wrong-secret-123');
    expect(text).not.toContain('sim-demo-secret');
    expect(text).not.toMatch(/stacktrace|\.ts:\d+/);
  });

  it('an invalid scalar is refused with a stable code and nothing internal in extensions', async () => {
    stack = await startStack();
    const result = await gql(stack.url, 'mutation { createUsers(input: [{ email: "not-an-email", firstName: "A", lastName: "B" }]) { createdCount } }');
    const error = result.errors?.[0];
    expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The code, and the request id every error carries; nothing internal.
    expect(Object.keys(error?.extensions ?? {}).sort()).toEqual(['code', 'requestId']);
    expect(stack.generic.log.filter((e) => e.method === 'POST' && e.path === 'users/bulk')).toHaveLength(0);
  });

  it('one failing field gives a partial result, not a failed query', async () => {
    stack = await startStack();
    const list = await gqlData<{ enquiries: { nodes: Array<{ id: string }> } }>(stack.url, '{ enquiries(first: 1) { nodes { id } } }');
    const result = await gql<{ ok: { id: string } | null; bad: unknown }>(
      stack.url,
      'query($id: ID!) { ok: enquiry(id: $id) { id } bad: node(id: "nope!") { id } }',
      { id: list.enquiries.nodes[0]?.id },
    );
    expect(result.data?.ok?.id).toBe(list.enquiries.nodes[0]?.id);
    expect(result.errors?.[0]?.path).toEqual(['bad']);
  });
});
