/**
 * OpenTelemetry over real HTTP against the simulators, with an in-memory exporter: a router's traceparent is
 * continued, the operation, the resolvers that called a vendor, each queue wait and each attempt are spans
 * of one trace, and each vendor received a traceparent naming its attempt's span.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTracing, type Tracing } from '../../src/server/tracing.ts';
import { loadConfig } from '../../src/config.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gql } from '../helpers/graphql.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROUTER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

const tracingConfig = () => {
  const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }).tracing;
  if (!config) throw new Error('expected tracing to be on');
  return config;
};

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let s: TestStack;
  beforeAll(async () => {
    tracing = createTracing(tracingConfig(), { exporter, simple: true });
    s = await startStack({ gateway: { tracing } });
  });
  afterAll(async () => {
    await s.close();
    await tracing.shutdown();
  });
  beforeEach(() => exporter.reset());

  const spans = (name: string | RegExp): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => (typeof name === 'string' ? span.name === name : name.test(span.name)));
  const one = (name: string | RegExp): ReadableSpan => {
    const found = spans(name);
    expect(found.map((span) => span.name)).toHaveLength(1);
    return found[0] as ReadableSpan;
  };

  it("continues a router's trace through the operation, the resolver, the queue and the attempt, to the vendor", async () => {
    const mark = s.carehq.log.length;
    const result = await gql(s.url, 'query Recent { enquiries(first: 2) { nodes { id } } }', {}, { traceparent: `00-${TRACE_ID}-${ROUTER_SPAN}-01` });
    expect(result.errors).toBeUndefined();

    const operation = one('query Recent');
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(operation.parentSpanContext?.spanId).toBe(ROUTER_SPAN);
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'Recent', 'graphql.operation.type': 'query' });

    const resolver = one('Query.enquiries');
    expect(resolver.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
    const queue = one('queue wait');
    const attempt = one('carehq listEnquiries');
    for (const span of [queue, attempt]) {
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(resolver.spanContext().spanId);
    }
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'vendor_graph.outcome': 'ok' });

    const calls = s.carehq.log.slice(mark);
    expect(calls).toHaveLength(1);
    const [, traceId, parentId] = TRACEPARENT.exec(String(calls[0]?.headers.traceparent)) ?? [];
    expect(traceId).toBe(TRACE_ID);
    expect(parentId).toBe(attempt.spanContext().spanId);
    // Resolvers that called no vendor (node fields, ids) leave no span.
    expect(spans(/^(Enquiry|EnquiryConnection)\./)).toEqual([]);
  });

  it('starts a new trace without a traceparent, and gives each retried attempt its own span', async () => {
    s.carehq.faults.rateLimitBurst = 1;
    const mark = s.carehq.log.length;
    await gql(s.url, 'query Retried { enquiries(first: 1) { nodes { id } } }');
    const operation = one('query Retried');
    expect(operation.parentSpanContext).toBeUndefined();
    const attempts = spans('carehq listEnquiries');
    expect(attempts.map((span) => span.attributes['vendor_graph.outcome'])).toEqual(['rate_limited', 'ok']);
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans('queue wait')).toHaveLength(2);
    const sent = s.carehq.log.slice(mark).map((entry) => TRACEPARENT.exec(String(entry.headers.traceparent))?.[2]);
    expect(sent).toEqual(attempts.map((span) => span.spanContext().spanId));
    for (const span of attempts) expect(span.spanContext().traceId).toBe(operation.spanContext().traceId);
  });

  it('marks an operation whose response carries errors, with their codes', async () => {
    await gql(s.url, 'query Bad { node(id: "nope") { id } }');
    const operation = one('query Bad');
    expect(operation.status.code).toBe(SpanStatusCode.ERROR);
    expect(operation.attributes['vendor_graph.error_codes']).toEqual(['BAD_USER_INPUT']);
  });

  it('traces no probe', async () => {
    await fetch(new URL('/healthz', s.url));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('tracing an attempt refused before it is sent', () => {
  it('ends its queue span with the refusal, and sends nothing', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(tracingConfig(), { exporter, simple: true });
    const s = await startStack({ gateway: { tracing, limits: { maxUpstreamCallsPerRequest: 1 } } });
    try {
      const result = await gql(s.url, 'query TwoVendors { enquiries(first: 1) { nodes { id } } leads(first: 1) { nodes { id } } }');
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_EXPENSIVE']);
      const finished = exporter.getFinishedSpans();
      const refused = finished.filter((span) => span.name === 'queue wait' && span.attributes['vendor_graph.outcome'] === 'call_budget_spent');
      expect(refused).toHaveLength(1);
      expect(refused[0]?.status.code).toBe(SpanStatusCode.ERROR);
      // One attempt went out (the one the budget allowed); the refused one has no attempt span.
      expect(finished.filter((span) => span.kind === SpanKind.CLIENT)).toHaveLength(1);
    } finally {
      await s.close();
      await tracing.shutdown();
    }
  });
});

describe('tracing off (the default)', () => {
  it('sends no traceparent to vendors', async () => {
    const s = await startStack();
    try {
      await gql(s.url, '{ enquiries(first: 1) { nodes { id } } }', {}, { traceparent: `00-${TRACE_ID}-${ROUTER_SPAN}-01` });
      expect(s.carehq.log.length).toBeGreaterThan(0);
      expect(s.carehq.log.map((entry) => entry.headers.traceparent)).toEqual(s.carehq.log.map(() => undefined));
    } finally {
      await s.close();
    }
  });
});
