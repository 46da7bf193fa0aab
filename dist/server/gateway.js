import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { CursorCodec } from "../graphql/connection.js";
import { createLoaders } from "../graphql/loaders.js";
import { buildSchema } from "../graphql/schema.js";
import { CallBudget } from "../upstream/budget.js";
import { UpstreamCore } from "../upstream/client.js";
import { CareCloudSource } from "../vendors/carecloud/index.js";
import { CareHqSource } from "../vendors/carehq/index.js";
import { CasewareSource } from "../vendors/caseware/index.js";
import { CliniceaSource } from "../vendors/clinicea/index.js";
import { GenericSource } from "../vendors/generic/index.js";
import { DownloadUrls } from "./download-urls.js";
import { createCors } from "./cors.js";
import { fileRoutes } from "./file-routes.js";
import { formatError } from "./format-error.js";
import { rejectUnauthenticated, requireScope } from "./auth/guards.js";
import { createAuthenticator } from "./auth/principal.js";
import { clientLimitGate } from "./client-limits.js";
import { createHttpServer, listen } from "./http.js";
import { Lifecycle } from "./lifecycle.js";
import { GRAPHQL_MAX_BODY_BYTES, queryLimits } from "./limits.js";
import { createMetrics } from "./metrics.js";
import { requestIdOf } from "./request-id.js";
import { GENERIC_WEBHOOK_PATH, GenericWebhookReceiver } from "./webhook-routes.js";
export function createVendors(core, options) {
    const carehq = CareHqSource.create(core, options.carehq);
    const clinicea = CliniceaSource.create(core, options.clinicea);
    const caseware = CasewareSource.create(core, options.caseware);
    const carecloud = CareCloudSource.create(core, options.carecloud);
    const generic = GenericSource.create(core, options.generic);
    const mode = (vendor) => options.modes?.[vendor] ?? 'LIVE';
    return {
        carehq,
        clinicea,
        caseware,
        carecloud,
        generic,
        cursors: new CursorCodec(options.cursorSecret),
        handles: [
            { vendor: 'CAREHQ', mode: mode('carehq'), client: carehq.upstream },
            { vendor: 'CLINICEA', mode: mode('clinicea'), client: clinicea.upstream },
            { vendor: 'CASEWARE', mode: mode('caseware'), client: caseware.upstream },
            { vendor: 'CARECLOUD', mode: mode('carecloud'), client: carecloud.upstream, quota: () => carecloud.quota() },
            { vendor: 'GENERIC', mode: mode('generic'), client: generic.upstream },
        ],
    };
}
export async function startGateway(options) {
    // The core must know its onCall when it is built, and the vendors are built on the core: so the metrics
    // come first and read the vendors' handles only when scraped.
    const metrics = options.metrics === false ? undefined : createMetrics(() => vendors.handles);
    const onCall = [options.core?.onCall, metrics?.onCall].filter((hook) => hook !== undefined);
    const core = new UpstreamCore({
        ...options.core,
        logger: options.logger,
        ...(onCall.length > 0 ? { onCall: (event) => onCall.forEach((hook) => hook(event)) } : {}),
    });
    const vendors = createVendors(core, options);
    const genericWebhooks = new GenericWebhookReceiver({ invalidateUsers: () => vendors.generic.upstream.invalidate(), logger: options.logger, clock: core.clock }, options.genericWebhooks);
    const production = options.production ?? false;
    const limits = queryLimits(options.limits);
    const apollo = new ApolloServer({
        schema: buildSchema({ maxEntityRepresentations: options.limits?.maxEntityRepresentations }),
        introspection: options.introspection ?? !production,
        // Apollo's own notices go to our structured log, not to stdout.
        logger: options.logger,
        includeStacktraceInErrorResponses: false,
        hideSchemaDetailsFromClientErrors: production,
        formatError: formatError(options.logger, { hideSuggestions: production }),
        parseOptions: limits.parseOptions,
        validationRules: limits.validationRules,
        plugins: [
            (options.sandbox ?? !production) ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
            limits.plugin,
            ...(metrics ? [metrics.plugin] : []),
        ],
    });
    await apollo.start();
    const authenticate = createAuthenticator(options.auth ?? { mode: 'open' }, { jwt: { logger: options.logger } });
    // One principal per request, however many routes and hooks ask.
    const principals = new WeakMap();
    const principalFor = (req) => {
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
    const callFor = async (req) => {
        // Background jobs (syncs, exports) say so, and then yield the rate budget to their client's interactive calls.
        const priority = req.headers['x-priority'] === 'background' ? 'background' : 'interactive';
        // A signed download carries no credentials; such callers share one turn in the fair queue.
        const client = await principalFor(req).then((principal) => principal.id, () => 'signed-url');
        const budget = new CallBudget(options.limits?.maxUpstreamCallsPerRequest);
        return { priority, deadline: Date.now() + options.requestTimeoutMs, client, budget };
    };
    const context = async (req) => {
        // Refused callers get 401 here, before the operation is parsed or run: no vendor is called.
        const principal = await principalFor(req).catch(rejectUnauthenticated);
        const call = await callFor(req);
        const logger = options.logger.child({ requestId: requestIdOf(req) });
        return { vendors, loaders: createLoaders(vendors, call), call, logger, publicUrl: publicUrl(), principal, downloadUrl: (id) => downloadUrls.url(id) };
    };
    const server = createHttpServer({
        apollo,
        context,
        maxBodyBytes: GRAPHQL_MAX_BODY_BYTES,
        cors: createCors({ origins: options.corsOrigins, production }),
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
        prefixRoutes: fileRoutes({ carecloud: vendors.carecloud, callFor, downloadUrls, principalFor, logger: options.logger }),
    });
    const lifecycle = new Lifecycle({
        server,
        vendors: () => vendors.handles,
        ...(options.redis ? { redis: options.redis } : {}),
        ...(options.shutdownGraceMs === undefined ? {} : { graceMs: options.shutdownGraceMs }),
        logger: options.logger,
    });
    const address = await listen(server, options.port, options.host);
    const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
    origin ||= `http://${host}:${address.port}`;
    return {
        url: `http://${host}:${address.port}/graphql`,
        vendors,
        core,
        genericWebhooks,
        close: async () => {
            await lifecycle.drain();
            await apollo.stop();
        },
    };
}
//# sourceMappingURL=gateway.js.map