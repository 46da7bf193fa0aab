/**
 * Builds the running gateway from resolved options: upstream core, vendor sources, schema, Apollo and HTTP.
 * main.ts and the tests both start it through here, so tests exercise exactly what users run.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Principal } from '../domain/access.ts';
import type { AuthConfig, LimitsConfig } from '../config.ts';
import { CursorCodec } from '../graphql/connection.ts';
import { RequestContext, type GraphQLContext } from '../graphql/context.ts';
import { createLoaders } from '../graphql/loaders.ts';
import { buildSchema } from '../graphql/schema.ts';
import type { Vendors } from '../graphql/vendors.ts';
import { CallBudget } from '../upstream/budget.ts';
import { UpstreamCore, type CallContext, type UpstreamCoreOptions } from '../upstream/client.ts';
import type { Priority } from '../upstream/queue.ts';
import { responseCacheFor, SharedResponseCache } from '../upstream/shared-response-cache.ts';
import { sharedCapabilities } from '../upstream/capabilities.ts';
import { sharedTokensAndQuotas } from '../upstream/shared-tokens-quotas.ts';
import { CareCloudSource, type CareCloudOptions } from '../vendors/carecloud/index.ts';
import { CareHqSource, type CareHqOptions } from '../vendors/carehq/index.ts';
import { CasewareSource, type CasewareOptions } from '../vendors/caseware/index.ts';
import { CliniceaSource, type CliniceaOptions } from '../vendors/clinicea/index.ts';
import { GenericSource, type GenericOptions } from '../vendors/generic/index.ts';
import { DownloadUrls } from './download-urls.ts';
import { accessLog, ranByApollo, refusalLog } from './access-log.ts';
import { createCors, originPolicy } from './cors.ts';
import { LocalEventBus, RedisEventBus } from './events/event-bus.ts';
import { LiveEvents, type LiveEventsOptions } from './events/live-events.ts';
import { fileRoutes } from './file-routes.ts';
import { formatError } from './format-error.ts';
import { rejectUnauthenticated, requireScope } from './auth/guards.ts';
import { createCredentialCheck, presentedCredential } from './auth/principal.ts';
import { clientLimitGate } from './client-limits.ts';
import { createFront, listen, type HttpOptions } from './http.ts';
import { Lifecycle } from './lifecycle.ts';
import { GRAPHQL_MAX_BODY_BYTES, queryLimits } from './limits.ts';
import { createMetrics } from './metrics.ts';
import { PersistedQueryStore } from './persisted-queries.ts';
import { requestIdOf, requestIdPlugin } from './request-id.ts';
import type { Tracing } from './tracing.ts';
import { GENERIC_WEBHOOK_PATH, GenericWebhookReceiver, type GenericWebhookOptions } from './webhook-routes.ts';
import { startLiveServer } from './websocket.ts';

export type Mode = 'LIVE' | 'SIMULATOR';

export interface GatewayOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  /** How long one GraphQL request may wait on upstream calls (queue included), ms. */
  readonly requestTimeoutMs: number;
  /** Signs cursors; random per process when absent. */
  readonly cursorSecret?: string;
  /**
   * The origin clients reach the gateway at, for URLs it hands out. Default: the address it listens on
   * (never a request's Host header, which any client can forge).
   */
  readonly publicUrl?: string;
  /** Who may call. Default: open local mode (anonymous, every scope); config.ts allows that only on loopback. */
  readonly auth?: AuthConfig;
  /**
   * NODE_ENV=production: no suggestions in errors; introspection and the landing page off unless asked for.
   * Default false. (Internal errors are masked, with the request id, in every mode.)
   */
  readonly production?: boolean;
  /** What one request may cost; each unset one takes config.ts's default. */
  readonly limits?: Partial<LimitsConfig>;
  /** Requests per minute per client (key name, JWT subject, or anonymous). Default 600. */
  readonly clientRequestsPerMinute?: number;
  /** Lifetime of a signed `File.downloadUrl`, seconds. Default 300. */
  readonly downloadUrlTtlS?: number;
  /** Browser origins allowed by CORS. Default: http://localhost:* and http://127.0.0.1:* outside production, none in it. */
  readonly corsOrigins?: readonly string[];
  /** Introspection. Default: on outside production, off in it. */
  readonly introspection?: boolean;
  /**
   * The page a browser gets at /graphql: true is the self-hosted GraphiQL (no request leaves the machine),
   * 'apollo' is Apollo Sandbox (loaded from Apollo's CDN). Default: true outside production, false in it.
   */
  readonly sandbox?: boolean | 'apollo';
  /**
   * Shared state between replicas: per-client limits, the response cache (behind the in-memory LRU), APQ,
   * webhook ids, OAuth tokens and quota counts (unless `core` brings its own stores), each falling back to
   * memory while Redis fails. The core's rate budget store is passed separately. Default: all in memory.
   */
  readonly redis?: Redis;
  /** Prefix of the response cache's, APQ's and webhook ids' keys in Redis. Default `vendor-graph:`. */
  readonly redisPrefix?: string;
  /** How long requests in flight may take to finish once `close()` starts a drain, ms. Default 10000. */
  readonly shutdownGraceMs?: number;
  readonly carehq: CareHqOptions;
  readonly clinicea: CliniceaOptions;
  readonly caseware: CasewareOptions;
  readonly carecloud: CareCloudOptions;
  readonly generic: GenericOptions;
  /** Which vendors are simulated, for `vendorStatus`. Default: all live. */
  readonly modes?: Partial<Record<'carehq' | 'clinicea' | 'caseware' | 'carecloud' | 'generic', Mode>>;
  readonly core?: Omit<UpstreamCoreOptions, 'logger'>;
  /** Prometheus metrics at `/metrics` (upstream calls, GraphQL requests, budgets, process). Default true. */
  readonly metrics?: boolean;
  /** The Generic API's webhook deliveries at `/webhooks/generic`. Default: no secret, so all are refused. */
  readonly genericWebhooks?: GenericWebhookOptions;
  /** OpenTelemetry spans (tracing.ts); its owner shuts it down. Default: none. */
  readonly tracing?: Tracing;
  /** Bounds of the `vendorEvents` subscriptions (per client, per subscriber); see live-events.ts for defaults. */
  readonly liveEvents?: LiveEventsOptions;
  /** Websocket connections this replica holds at once; past it an upgrade gets 503. Default 5000. */
  readonly maxWebSockets?: number;
}

export interface Gateway {
  readonly url: string;
  readonly vendors: Vendors;
  readonly core: UpstreamCore;
  /** Receives `/webhooks/generic`; `useSecrets` takes a secret issued after start (the demo's). */
  readonly genericWebhooks: GenericWebhookReceiver;
  /** The `vendorEvents` feed of this replica (shared with the others through Redis when configured). */
  readonly liveEvents: LiveEvents;
  /**
   * What the HTTP server serves: Apollo, the per-request context, the client gate, CORS, the routes. For the
   * bench's comparison of HTTP layers (bench/fronts-gateway.ts), which serves the same gateway on plain node:http.
   */
  readonly front: HttpOptions;
  /** Drains: no new connections, requests in flight finish (up to `shutdownGraceMs`), then Apollo stops. */
  close(): Promise<void>;
}

export function createVendors(core: UpstreamCore, options: GatewayOptions): Vendors {
  const carehq = CareHqSource.create(core, options.carehq);
  const clinicea = CliniceaSource.create(core, options.clinicea);
  const caseware = CasewareSource.create(core, options.caseware);
  const carecloud = CareCloudSource.create(core, options.carecloud);
  const generic = GenericSource.create(core, options.generic);
  const mode = (vendor: keyof NonNullable<GatewayOptions['modes']>): Mode => options.modes?.[vendor] ?? 'LIVE';
  // Capability keys use each data source's own vendor name (the adapters' `vendor`).
  const learned = (vendor: string) => () => core.capabilities.learned(vendor);
  return {
    carehq,
    clinicea,
    caseware,
    carecloud,
    generic,
    cursors: new CursorCodec(options.cursorSecret),
    handles: [
      { vendor: 'CAREHQ', mode: mode('carehq'), client: carehq.upstream, extensions: learned('carehq') },
      { vendor: 'CLINICEA', mode: mode('clinicea'), client: clinicea.upstream, extensions: learned('clinicea') },
      { vendor: 'CASEWARE', mode: mode('caseware'), client: caseware.upstream, extensions: learned('caseware') },
      { vendor: 'CARECLOUD', mode: mode('carecloud'), client: carecloud.upstream, quota: () => carecloud.quota(), extensions: learned('carecloud') },
      { vendor: 'GENERIC', mode: mode('generic'), client: generic.upstream, extensions: learned('generic') },
    ],
  };
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  // The core must know its onCall when it is built, and the vendors are built on the core: so the metrics
  // come first and read the vendors' handles only when scraped.
  const metrics = options.metrics === false ? undefined : createMetrics(() => vendors.handles);
  const onCall = [options.core?.onCall, metrics?.onCall].filter((hook) => hook !== undefined);
  const redisPrefix = options.redisPrefix ?? 'vendor-graph:';
  const cache = responseCacheFor(options.core?.cache, options.redis, { prefix: `${redisPrefix}cache:`, logger: options.logger });
  const core = new UpstreamCore({
    ...(options.redis ? sharedTokensAndQuotas(options.redis, { logger: options.logger }) : {}),
    ...(options.redis ? { capabilities: sharedCapabilities(options.redis, { prefix: redisPrefix, logger: options.logger }) } : {}),
    ...options.core,
    cache,
    logger: options.logger,
    ...(onCall.length > 0 ? { onCall: (event) => onCall.forEach((hook) => hook(event)) } : {}),
    ...(options.tracing ? { tracer: options.tracing.upstream } : {}),
  });
  const vendors = createVendors(core, options);
  const bus = options.redis ? new RedisEventBus(options.redis, { channel: `${redisPrefix}events`, logger: options.logger }) : new LocalEventBus();
  const liveEvents = new LiveEvents(bus, options.liveEvents);
  const genericWebhooks = new GenericWebhookReceiver(
    {
      invalidateUsers: () => vendors.generic.upstream.invalidate(),
      logger: options.logger,
      clock: core.clock,
      redis: options.redis,
      redisPrefix: `${redisPrefix}webhook:`,
      events: liveEvents,
    },
    options.genericWebhooks,
  );

  const production = options.production ?? false;
  const limits = queryLimits(options.limits);
  const sandbox = options.sandbox ?? !production;
  const built = buildSchema({ maxEntityRepresentations: options.limits?.maxEntityRepresentations });
  // One schema for HTTP and websockets, so subscriptions are traced like queries.
  const schema = options.tracing ? options.tracing.traceResolvers(built) : built;
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: options.introspection ?? !production,
    // Apollo's own notices go to our structured log, not to stdout.
    logger: options.logger,
    // main.ts drains on SIGTERM/SIGINT itself; Apollo's own handlers would stop it mid-drain and leave the
    // process hanging (they are off under NODE_ENV=test, which is why only a real run shows it).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    formatError: formatError(options.logger, { hideSuggestions: production }),
    persistedQueries: { cache: new PersistedQueryStore({ redis: options.redis, prefix: redisPrefix, logger: options.logger }) },
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [
      sandbox === 'apollo' ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      limits.plugin,
      requestIdPlugin<GraphQLContext>(),
      // The schema sets no cache hints, so Apollo's cache-control plugin would only cost time on every field.
      ApolloServerPluginCacheControlDisabled(),
      ...(metrics ? [metrics.plugin] : []),
      accessLog(options.logger),
      ...(options.tracing ? [options.tracing.plugin] : []),
    ],
  });
  await apollo.start();

  // One check for HTTP requests and websocket connections alike.
  const checkCredential = await createCredentialCheck(options.auth ?? { mode: 'open' }, { jwt: { logger: options.logger } });
  const authenticate = (req: IncomingMessage) => checkCredential(presentedCredential(req));
  // One principal per request, however many routes and hooks ask.
  const principals = new WeakMap<IncomingMessage, ReturnType<typeof authenticate>>();
  const principalFor = (req: IncomingMessage) => {
    let found = principals.get(req);
    if (!found) {
      found = authenticate(req);
      principals.set(req, found);
    }
    return found;
  };
  // Filled in once the server listens: URLs never come from a request's Host header.
  let origin = options.publicUrl ?? '';
  const publicUrl = () => origin;
  const downloadUrls = new DownloadUrls({ publicUrl, secret: options.cursorSecret, ttlS: options.downloadUrlTtlS, clock: core.clock });
  const callFor = async (req: IncomingMessage): Promise<CallContext> => {
    // Background jobs (syncs, exports) say so, and then yield the rate budget to their client's interactive calls.
    const priority: Priority = req.headers['x-priority'] === 'background' ? 'background' : 'interactive';
    // A signed download carries no credentials; such callers share one turn in the fair queue.
    const client = await principalFor(req).then(
      (principal) => principal.id,
      () => 'signed-url',
    );
    const budget = new CallBudget(options.limits?.maxUpstreamCallsPerRequest);
    return { priority, deadline: Date.now() + options.requestTimeoutMs, client, budget, requestId: requestIdOf(req) };
  };
  const context = async (req: IncomingMessage): Promise<GraphQLContext> => {
    // Refused callers get 401 here, before the operation is parsed or run: no vendor is called.
    const principal = await principalFor(req).catch((error: unknown) => rejectUnauthenticated(error, requestIdOf(req)));
    const call = await callFor(req);
    ranByApollo(req);
    return contextOf(principal, call, requestIdOf(req));
  };
  const contextOf = (principal: Principal, call: CallContext, requestId: string, dropSlowConsumer?: () => void): GraphQLContext =>
    new RequestContext({
      vendors,
      loaders: createLoaders(vendors, call),
      call,
      parentLogger: options.logger,
      requestId,
      publicUrl: publicUrl(),
      principal,
      downloadUrl: (id) => downloadUrls.url(id),
      events: liveEvents,
      ...(dropSlowConsumer ? { dropSlowConsumer } : {}),
    });

  const front: HttpOptions = {
    apollo,
    context,
    maxBodyBytes: GRAPHQL_MAX_BODY_BYTES,
    cors: createCors({ origins: options.corsOrigins, production }),
    ...(options.tracing ? { around: options.tracing.around } : {}),
    onGraphqlRequest: refusalLog(options.logger),
    // Ruru is loaded only when the page is served (GRAPHQL_SANDBOX, on by default outside production).
    ...(sandbox === true ? { page: (await import('./graphiql.ts')).graphiqlPage({ apiKeyField: (options.auth?.mode ?? 'open') !== 'open' }) } : {}),
    admit: clientLimitGate({
      requestsPerMinute: options.clientRequestsPerMinute,
      ...(options.redis ? { redis: options.redis } : {}),
      logger: options.logger,
      principalFor,
    }),
    routes: {
      '/healthz': (req, res, url) => lifecycle.healthz(req, res, url),
      // The old name, kept for probes configured before /healthz existed.
      '/health': (req, res, url) => lifecycle.healthz(req, res, url),
      '/readyz': (req, res, url) => lifecycle.readyz(req, res, url),
      [GENERIC_WEBHOOK_PATH]: genericWebhooks.route,
      ...(metrics ? { '/metrics': requireScope('status:read', principalFor, metrics.route) } : {}),
    },
    prefixRoutes: fileRoutes({ carecloud: vendors.carecloud, callFor, downloadUrls, principalFor, logger: options.logger, events: { events: liveEvents } }),
  };
  const app = await createFront(front);
  const server = app.server;
  const allowedOrigin = originPolicy({ origins: options.corsOrigins, production });
  const live = startLiveServer({
    server,
    schema,
    checkCredential,
    // Each subscription, and each event it delivers, gets its own budget and deadline, like one HTTP request.
    contextFor: (principal, dropSlowConsumer) => {
      const call: CallContext = {
        priority: 'interactive',
        deadline: Date.now() + options.requestTimeoutMs,
        client: principal.id,
        budget: new CallBudget(options.limits?.maxUpstreamCallsPerRequest),
      };
      // Each event's own id: its log lines and errors carry it as an HTTP request's carry that request's.
      return contextOf(principal, call, randomUUID(), dropSlowConsumer);
    },
    // The gateway's own page (GraphiQL) is same-origin, whatever CORS lists.
    originAllowed: (candidate) => allowedOrigin(candidate) || (origin !== '' && candidate === new URL(origin).origin),
    limits,
    maxPayloadBytes: GRAPHQL_MAX_BODY_BYTES,
    ...(options.maxWebSockets === undefined ? {} : { maxConnections: options.maxWebSockets }),
    logger: options.logger,
    production,
  });
  const lifecycle = new Lifecycle({
    server,
    live,
    vendors: () => vendors.handles,
    ...(options.redis ? { redis: options.redis } : {}),
    ...(options.shutdownGraceMs === undefined ? {} : { graceMs: options.shutdownGraceMs }),
    logger: options.logger,
  });
  await app.ready();
  const address = await listen(server, options.port, options.host);
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  origin ||= `http://${host}:${address.port}`;

  return {
    url: `http://${host}:${address.port}/graphql`,
    vendors,
    core,
    genericWebhooks,
    liveEvents,
    front,
    close: async () => {
      await lifecycle.drain();
      await liveEvents.close();
      await apollo.stop();
      if (cache instanceof SharedResponseCache) cache.close();
    },
  };
}
