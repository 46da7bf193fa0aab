/**
 * Prometheus metrics at `GET /metrics`: every upstream attempt (from the core's `onCall`), every GraphQL
 * request (an Apollo plugin), each vendor's budget, queue and circuit read on scrape, and the process's own
 * metrics. Labels hold only bounded, non-secret values: vendor, operation name, client name and version,
 * method, status, outcome.
 * Ids, query values and credentials never become labels, so neither cardinality nor a leak can follow.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GraphQLContext } from '../graphql/context.ts';
import type { VendorHandle } from '../graphql/vendors.ts';
import type { CallEvent, ClientStatus } from '../upstream/client.ts';
import { clientNameOf } from './client-name.ts';
import type { RouteHandler } from './http.ts';

const PREFIX = 'vendor_graph_';

/** Client-chosen operation names beyond this many distinct ones are counted as `other`. */
const MAX_OPERATION_NAMES = 200;

/** Client name and version pairs (apollographql-client-name/-version) beyond this many are counted as `other`. */
const MAX_CLIENTS = 100;

export interface Metrics {
  /** This gateway's metrics plus the process's default ones. */
  readonly registry: Registry;
  /** For `UpstreamCoreOptions.onCall`. Never throws. */
  readonly onCall: (event: CallEvent) => void;
  readonly plugin: ApolloServerPlugin<GraphQLContext>;
  /** `GET /metrics` in the Prometheus text format. */
  readonly route: RouteHandler;
}

/**
 * Default process metrics (CPU, memory, event loop lag, GC) are per process, and collecting them starts
 * process-wide observers; so they live in one registry made once, however many gateways a process (a test
 * run) starts, and each gateway's registry is merged with it.
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: PREFIX });
  }
  return processRegistry;
}

/**
 * `handles` is read at scrape time, not here: the vendors are built on a core whose `onCall` this module
 * provides, so they exist only after `createMetrics` has returned.
 */
export function createMetrics(handles: () => readonly VendorHandle[]): Metrics {
  const own = new Registry();
  const registers = [own];

  const upstreamRequests = new Counter({
    name: `${PREFIX}upstream_requests_total`,
    help: 'Upstream attempts (retries count each), by vendor, operation, method, HTTP status (none when no answer came) and outcome.',
    labelNames: ['vendor', 'operation', 'method', 'status', 'outcome'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: 'Time on the wire of one upstream attempt, queue wait excluded.',
    labelNames: ['vendor', 'operation'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const queueWait = new Histogram({
    name: `${PREFIX}upstream_queue_wait_seconds`,
    help: "Time one upstream attempt waited for the vendor's rate budget before it was sent.",
    labelNames: ['vendor'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });

  // Every gauge below is filled from one status read per vendor per scrape: the gauges are collected
  // concurrently, and the first to ask starts the read the others then share.
  let reading: Promise<ReadonlyArray<{ handle: VendorHandle; status: ClientStatus }>> | undefined;
  const statuses = () => {
    reading ??= Promise.all(handles().map(async (handle) => ({ handle, status: await handle.client.status() }))).finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const vendorGauge = (name: string, help: string, value: (status: ClientStatus, handle: VendorHandle) => number | undefined | Promise<number | undefined>) =>
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      labelNames: ['vendor'] as const,
      registers,
      async collect() {
        this.reset();
        for (const { handle, status } of await statuses()) {
          const v = await value(status, handle);
          if (v !== undefined) this.set({ vendor: status.vendor }, v);
        }
      },
    });
  vendorGauge('upstream_budget_remaining', 'Calls (or tokens) left in the current rate window or bucket, as last learned.', (s) => s.budget.remaining);
  vendorGauge('upstream_budget_limit', 'The rate window limit or bucket capacity, as last learned from the vendor.', (s) => s.budget.limit);
  vendorGauge('upstream_queue_depth', 'Calls waiting for the rate budget.', (s) => s.queueDepth);
  vendorGauge('upstream_circuit_open', '1 while the circuit breaker refuses calls (open or isolated), else 0.', (s) =>
    s.circuit === 'open' || s.circuit === 'isolated' ? 1 : 0,
  );
  vendorGauge('upstream_quota_remaining', 'Calls left in the monthly quota (vendors with one: CareCloud).', async (_s, handle) => (await handle.quota?.())?.remaining);

  const graphqlRequests = new Counter({
    name: `${PREFIX}graphql_requests_total`,
    help: 'GraphQL requests by operation name (anonymous when unnamed), client name and version (apollographql-client-name/-version, none when not sent) and outcome (error when the response carries any error).',
    labelNames: ['operation', 'client_name', 'client_version', 'outcome'] as const,
    registers,
  });
  const graphqlDuration = new Histogram({
    name: `${PREFIX}graphql_request_duration_seconds`,
    help: 'Time from receiving a GraphQL request to sending its response.',
    labelNames: ['operation', 'client_name', 'client_version'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers,
  });

  // Operation and client names come from clients; bounded sets keep one client from growing the series without end.
  const operationLabel = boundedLabels(MAX_OPERATION_NAMES);
  const clientLabel = boundedLabels(MAX_CLIENTS);

  const onCall = (event: CallEvent): void => {
    try {
      upstreamRequests.inc({
        vendor: event.vendor,
        operation: event.operation,
        method: event.method,
        status: event.status === undefined ? 'none' : String(event.status),
        outcome: event.outcome,
      });
      upstreamDuration.observe({ vendor: event.vendor, operation: event.operation }, event.durationMs / 1000);
      queueWait.observe({ vendor: event.vendor }, event.queuedMs / 1000);
    } catch {
      // The core's contract: onCall must not throw. A metric lost is better than a call failed.
    }
  };

  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let failed = false;
      return {
        async didEncounterErrors() {
          failed = true;
        },
        async willSendResponse(requestContext) {
          const operation = requestContext.operationName ? operationLabel(requestContext.operationName) : 'anonymous';
          const client = clientNameOf(requestContext.request.http?.headers);
          const name = client.name ?? 'none';
          const version = client.version ?? 'none';
          // Counted as a pair, so a client cannot spread its versions past the bound either.
          const known = clientLabel(`${name}\n${version}`) !== 'other';
          const labels = { operation, client_name: known ? name : 'other', client_version: known ? version : 'other' };
          graphqlRequests.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
          graphqlDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };

  const registry = Registry.merge([processMetrics(), own]);

  const route: RouteHandler = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'use GET' }));
      return;
    }
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return { registry, onCall, plugin, route };
}

/** The value itself while fewer than `max` distinct ones were seen, and `other` for every new one after. */
function boundedLabels(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}
