/**
 * GET /metrics on a running gateway: upstream attempts counted as the simulators saw them, GraphQL requests by
 * operation, client and outcome, budget gauges read on scrape, and nothing secret in any label.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { callsTo, startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';

let stack: TestStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The Prometheus text format's samples; comments (HELP, TYPE) are skipped. */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key ?? ''] = value ?? '';
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

async function scrape(s: TestStack): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(new URL('/metrics', s.url));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parse(text) };
}

/** The one sample of `name` whose labels include `labels`; fails when there is none or several. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`expected one ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]?.value ?? Number.NaN;
}

const ENQUIRIES = 'query Enquiries { enquiries(first: 25) { nodes { id } } }';
const USERS = 'query GenericUsers { users(first: 5, vendors: [GENERIC]) { nodes { id } } }';

describe('GET /metrics', () => {
  it('counts each upstream attempt as the vendor saw it, and each GraphQL request by operation and outcome', async () => {
    stack = await startStack();
    await gqlData(stack.url, ENQUIRIES);
    await gqlData(stack.url, ENQUIRIES);
    await gqlData(stack.url, USERS);
    const failed = await gql(stack.url, 'query Broken { nosuchfield }');
    expect(failed.errors).toBeDefined();

    const { samples } = await scrape(stack);
    const requests = 'vendor_graph_upstream_requests_total';
    const enquiryPages = callsTo(stack.carehq.log, 'care-enquiries');
    expect(enquiryPages).toBeGreaterThanOrEqual(2);
    expect(value(samples, requests, { vendor: 'carehq', operation: 'listEnquiries', method: 'GET', status: '200', outcome: 'ok' })).toBe(
      enquiryPages,
    );
    expect(value(samples, requests, { vendor: 'generic', operation: 'listUsers', status: '200', outcome: 'ok' })).toBe(
      callsTo(stack.generic.log, 'users'),
    );
    // Vendors nobody asked have no series at all.
    expect(samples.filter((s) => s.name === requests && s.labels.vendor === 'clinicea')).toEqual([]);

    const duration = 'vendor_graph_upstream_request_duration_seconds';
    expect(value(samples, `${duration}_count`, { vendor: 'carehq', operation: 'listEnquiries' })).toBe(enquiryPages);
    expect(value(samples, `${duration}_sum`, { vendor: 'carehq', operation: 'listEnquiries' })).toBeGreaterThan(0);
    expect(value(samples, `${duration}_sum`, { vendor: 'carehq', operation: 'listEnquiries' })).toBeLessThan(10);
    expect(value(samples, 'vendor_graph_upstream_queue_wait_seconds_count', { vendor: 'carehq' })).toBe(enquiryPages);

    const graphql = 'vendor_graph_graphql_requests_total';
    expect(value(samples, graphql, { operation: 'Enquiries', outcome: 'ok' })).toBe(2);
    expect(value(samples, graphql, { operation: 'GenericUsers', outcome: 'ok' })).toBe(1);
    // A document that does not validate has no resolved operation: counted, as anonymous, as an error.
    expect(value(samples, graphql, { operation: 'anonymous', outcome: 'error' })).toBe(1);
    expect(value(samples, 'vendor_graph_graphql_request_duration_seconds_count', { operation: 'Enquiries' })).toBe(2);

    expect(value(samples, 'vendor_graph_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('labels GraphQL requests by apollographql-client-name and -version, none when not sent', async () => {
    stack = await startStack();
    const as = (name: string, version: string) => ({ 'apollographql-client-name': name, 'apollographql-client-version': version });
    await gql(stack.url, ENQUIRIES, {}, as('web', '1.0.0'));
    await gql(stack.url, ENQUIRIES, {}, as('web', '1.0.0'));
    await gql(stack.url, ENQUIRIES, {}, as('web', '1.1.0'));
    await gql(stack.url, ENQUIRIES);
    const { samples } = await scrape(stack);
    const graphql = 'vendor_graph_graphql_requests_total';
    expect(value(samples, graphql, { operation: 'Enquiries', client_name: 'web', client_version: '1.0.0', outcome: 'ok' })).toBe(2);
    expect(value(samples, graphql, { operation: 'Enquiries', client_name: 'web', client_version: '1.1.0', outcome: 'ok' })).toBe(1);
    expect(value(samples, graphql, { operation: 'Enquiries', client_name: 'none', client_version: 'none', outcome: 'ok' })).toBe(1);
    const duration = 'vendor_graph_graphql_request_duration_seconds_count';
    expect(value(samples, duration, { operation: 'Enquiries', client_name: 'web', client_version: '1.0.0' })).toBe(2);
  });

  it('counts client name and version pairs past the first 100 as other', async () => {
    stack = await startStack();
    const url = stack.url;
    for (let i = 0; i < 104; i += 1) {
      await gql(url, '{ __typename }', {}, { 'apollographql-client-name': `app-${i}`, 'apollographql-client-version': String(i % 3) });
    }
    // One client spreading versions is bounded by the same pairs.
    await gql(url, '{ __typename }', {}, { 'apollographql-client-name': 'app-0', 'apollographql-client-version': 'new' });
    const { samples } = await scrape(stack);
    const series = samples.filter((s) => s.name === 'vendor_graph_graphql_requests_total');
    expect(series.length).toBe(101);
    expect(value(samples, 'vendor_graph_graphql_requests_total', { client_name: 'other', client_version: 'other' })).toBe(5);
    expect(value(samples, 'vendor_graph_graphql_requests_total', { client_name: 'app-99', client_version: '0' })).toBe(1);
  });

  it('reads every vendor budget, queue, circuit and the CareCloud quota on scrape', async () => {
    stack = await startStack();
    await gqlData(stack.url, ENQUIRIES);
    const { samples } = await scrape(stack);
    for (const vendor of ['carehq', 'clinicea', 'caseware', 'carecloud', 'generic']) {
      const limit = value(samples, 'vendor_graph_upstream_budget_limit', { vendor });
      const remaining = value(samples, 'vendor_graph_upstream_budget_remaining', { vendor });
      expect(limit).toBeGreaterThan(0);
      expect(remaining).toBeGreaterThanOrEqual(0);
      expect(remaining).toBeLessThanOrEqual(limit);
      expect(value(samples, 'vendor_graph_upstream_queue_depth', { vendor })).toBe(0);
      expect(value(samples, 'vendor_graph_upstream_circuit_open', { vendor })).toBe(0);
    }
    // CareHQ documents 10 a second; calls just made leave less than the full window.
    expect(value(samples, 'vendor_graph_upstream_budget_limit', { vendor: 'carehq' })).toBe(10);
    expect(value(samples, 'vendor_graph_upstream_budget_remaining', { vendor: 'carehq' })).toBeLessThanOrEqual(10);
    const quota = samples.filter((s) => s.name === 'vendor_graph_upstream_quota_remaining');
    expect(quota.map((s) => s.labels.vendor)).toEqual(['carecloud']);
    expect(quota[0]?.value).toBeGreaterThan(0);
  });

  it('labels a 429 from the vendor rate_limited, and the retry that followed ok', async () => {
    stack = await startStack();
    stack.carehq.faults.rateLimitBurst = 1;
    await gqlData(stack.url, 'query One { enquiries(first: 3) { nodes { id } } }');
    const { samples } = await scrape(stack);
    const labels = { vendor: 'carehq', operation: 'listEnquiries', method: 'GET' };
    expect(value(samples, 'vendor_graph_upstream_requests_total', { ...labels, status: '429', outcome: 'rate_limited' })).toBe(1);
    expect(value(samples, 'vendor_graph_upstream_requests_total', { ...labels, status: '200', outcome: 'ok' })).toBe(1);
  });

  it('puts no credential, id or query value in any label', async () => {
    stack = await startStack();
    const list = await gqlData<{ enquiries: { nodes: Array<{ id: string }> } }>(stack.url, '{ enquiries(first: 4) { nodes { id } } }');
    const ids = list.enquiries.nodes.map((n) => n.id);
    await gqlData(stack.url, 'query Lookup($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    await gqlData(stack.url, 'query Search { enquiries(first: 2, filter: { search: "zebra-query-value" }) { nodes { id } } }');
    const { text, samples } = await scrape(stack);
    const secrets = [
      ...Object.values(stack.carehq.credentials),
      ...Object.values(stack.generic.credentials),
      ...ids,
      ...stack.carehq.log.map((e) => e.path.split('/')[1]).filter((id) => id !== undefined && id !== ''),
      // The lookup's vendor ids, sent as one filters-ids list call.
      ...stack.carehq.log.flatMap((e) => new URLSearchParams(e.query).getAll('filters-ids')),
      'zebra-query-value',
    ];
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(text).not.toContain(secret);
    const operations = new Set(samples.filter((s) => s.labels.vendor === 'carehq' && s.labels.operation).map((s) => s.labels.operation));
    expect([...operations].sort()).toEqual(['getEnquiries', 'listEnquiries']);
  });

  it('is not served when metrics are turned off', async () => {
    stack = await startStack({ gateway: { metrics: false } });
    await gqlData(stack.url, ENQUIRIES);
    expect((await fetch(new URL('/metrics', stack.url))).status).toBe(404);
  });

  it('refuses methods other than GET', async () => {
    stack = await startStack();
    const res = await fetch(new URL('/metrics', stack.url), { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
