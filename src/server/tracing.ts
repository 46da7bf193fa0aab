/**
 * OpenTelemetry tracing, off unless configured (config.ts: OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), exported as OTLP over HTTP. One trace per request:
 *
 *   <operation span>  `query Enquiries` (SERVER; continues the caller's W3C `traceparent`, e.g. a router's)
 *     `Query.enquiries`            a resolver, only when it called a vendor
 *       `queue wait`               an attempt waiting for the vendor's rate budget
 *       `carehq listEnquiries`     one attempt on the wire (CLIENT), whose `traceparent` the vendor receives
 *
 * The upstream core knows only its vendor-neutral hook (upstream/tracer.ts); this file fills it in. The
 * current span travels in OpenTelemetry's async-local context, so nothing about tracing rides in CallContext.
 * The provider is this gateway's own (not registered globally), so several gateways in one process (tests)
 * keep their spans apart; only the context manager is process-wide, and it holds no spans.
 */
import type { IncomingMessage } from 'node:http';
import { context, createContextKey, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { TracingConfig, TracingSampler } from '../config.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import type { AttemptInfo, AttemptTrace, UpstreamTracer } from '../upstream/tracer.ts';
import { requestPath } from './http.ts';
import { requestIdOf } from './request-id.ts';

export interface Tracing {
  /** For `UpstreamCoreOptions.tracer`. */
  readonly upstream: UpstreamTracer;
  /** Names the operation span once Apollo knows the operation, and marks it failed when errors go out. */
  readonly plugin: ApolloServerPlugin<GraphQLContext>;
  /** For `HttpOptions.around`: runs a request's handling inside its operation span. */
  around(req: IncomingMessage, handle: () => Promise<void>): Promise<void>;
  /** Wraps the schema's resolvers in place so that those which call a vendor get a span. */
  traceResolvers(schema: GraphQLSchema): GraphQLSchema;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go. Default: OTLP over HTTP to `config.url`. Tests pass an InMemorySpanExporter. */
  readonly exporter?: SpanExporter;
  /** Export each span as it ends instead of in batches (tests). Default false. */
  readonly simple?: boolean;
}

/** Only what acts for a client is traced; probes, metrics scrapes and the GraphiQL page are not. */
const TRACED_PATHS = ['/graphql', '/files/'];

/** A resolver under way; its span is made only when it calls a vendor, starting when it started. */
interface PendingResolver {
  readonly name: string;
  readonly path: string;
  readonly startedAt: number;
  readonly parent: Context;
  span: Span | undefined;
  ended: boolean;
}

const RESOLVER = createContextKey('vendor-graph resolver');
const propagator = new W3CTraceContextPropagator();
let contextManagerSet = false;

export function createTracing(config: TracingConfig, options: TracingOptions = {}): Tracing {
  if (!contextManagerSet) {
    // Process-wide: without it, context.with() is a no-op and no span would find its parent.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: config.url, headers: { ...config.headers } });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: samplerFor(config.sampler, config.samplerRatio),
    spanProcessors: [options.simple ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('vendor-graph');

  return {
    upstream: { attemptStarted: (info) => attemptTrace(tracer, info) },
    plugin: operationPlugin(),
    around: (req, handle) => {
      const path = requestPath(req, new URL(req.url ?? '/', 'http://gateway.local'));
      if (!TRACED_PATHS.some((traced) => path === traced || (traced.endsWith('/') && path.startsWith(traced)))) return handle();
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const method = req.method ?? 'GET';
      const span = tracer.startSpan(
        path === '/graphql' ? 'graphql' : `${method} /files`,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path.startsWith('/files/') ? '/files/' : path, 'vendor_graph.request_id': requestIdOf(req) } },
        parent,
      );
      return context.with(trace.setSpan(parent, span), handle).finally(() => span.end());
    },
    traceResolvers: wrapResolvers,
    shutdown: () => provider.shutdown(),
  };
}

function samplerFor(kind: TracingSampler, ratio: number): Sampler {
  switch (kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

function operationPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      // Apollo runs inside the request's context (around), so the active span is this request's.
      const span = trace.getActiveSpan();
      if (!span) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!operation) return;
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (response.body.initialResult.errors ?? []);
          if (errors.length === 0) return;
          const codes = [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          span.setAttribute('vendor_graph.error_codes', codes);
          span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
        },
      };
    },
  };
}

/** Epoch ms with sub-millisecond precision, as OpenTelemetry takes a start time. */
const now = () => performance.timeOrigin + performance.now();

function attemptTrace(tracer: Tracer, info: AttemptInfo): AttemptTrace {
  const active = context.active();
  const parent = resolverContext(tracer, active) ?? active;
  // An attempt outside any traced request (a background refresh) would start a trace of its own: skip it.
  if (!trace.getSpan(parent)) return UNTRACED;
  const attributes = { 'vendor_graph.vendor': info.vendor, 'vendor_graph.operation': info.operation };
  const queue = tracer.startSpan('queue wait', { attributes }, parent);
  let attempt: Span | undefined;
  return {
    sending() {
      queue.end();
      attempt = tracer.startSpan(
        `${info.vendor} ${info.operation}`,
        { kind: SpanKind.CLIENT, attributes: { ...attributes, 'http.request.method': info.method } },
        parent,
      );
      const headers: Record<string, string> = {};
      propagator.inject(trace.setSpan(parent, attempt), headers, defaultTextMapSetter);
      return headers;
    },
    end(status, outcome) {
      const span = attempt ?? queue;
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      span.setAttribute('vendor_graph.outcome', outcome);
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      span.end();
    },
  };
}

const UNTRACED: AttemptTrace = { sending: () => ({}), end: () => undefined };

/** The context of the resolver this attempt is made for, its span made now if this is its first call. */
function resolverContext(tracer: Tracer, active: Context): Context | undefined {
  const pending = active.getValue(RESOLVER) as PendingResolver | undefined;
  if (!pending) return undefined;
  if (!pending.span) {
    pending.span = tracer.startSpan(pending.name, { startTime: pending.startedAt, attributes: { 'graphql.field.path': pending.path } }, pending.parent);
    // A call that outlived its resolver (a batch it only started) still has a parent to hang from.
    if (pending.ended) pending.span.end();
  }
  return trace.setSpan(pending.parent, pending.span);
}

/**
 * Every resolver the schema defines (not graphql-js's default property reads, which never call a vendor)
 * runs with a pending span in its context; the first upstream attempt made under it turns it into a real
 * span, so resolvers that answer from what their parent holds leave no trace.
 */
function wrapResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = traced(resolve);
    }
  }
  return schema;
}

function traced(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, ctx, info) => {
    const parent = context.active();
    if (!trace.getSpan(parent)) return resolve(source, args, ctx, info);
    const pending: PendingResolver = {
      name: `${info.parentType.name}.${info.fieldName}`,
      path: pathOf(info.path),
      startedAt: now(),
      parent,
      span: undefined,
      ended: false,
    };
    const finish = (error?: unknown) => {
      pending.ended = true;
      if (!pending.span) return;
      if (error !== undefined) pending.span.setStatus({ code: SpanStatusCode.ERROR });
      pending.span.end();
    };
    let result: unknown;
    try {
      result = context.with(parent.setValue(RESOLVER, pending), () => resolve(source, args, ctx, info));
    } catch (error) {
      finish(error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          finish();
          return value;
        },
        (error: unknown) => {
          finish(error);
          throw error;
        },
      );
    }
    finish();
    return result;
  };
}

function pathOf(path: { readonly prev: unknown; readonly key: string | number }): string {
  const keys: Array<string | number> = [];
  for (let p: typeof path | undefined = path; p; p = p.prev as typeof path | undefined) keys.unshift(p.key);
  return keys.join('.');
}
