import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { CursorCodec } from "../graphql/connection.js";
import { createLoaders } from "../graphql/loaders.js";
import { buildSchema } from "../graphql/schema.js";
import { UpstreamCore } from "../upstream/client.js";
import { CareCloudSource } from "../vendors/carecloud/index.js";
import { CareHqSource } from "../vendors/carehq/index.js";
import { CasewareSource } from "../vendors/caseware/index.js";
import { CliniceaSource } from "../vendors/clinicea/index.js";
import { GenericSource } from "../vendors/generic/index.js";
import { fileRoutes } from "./file-routes.js";
import { formatError } from "./format-error.js";
import { createAuthenticator } from "./auth/principal.js";
import { createHttpServer, listen } from "./http.js";
import { Lifecycle } from "./lifecycle.js";
import { createMetrics } from "./metrics.js";
import { GENERIC_WEBHOOK_PATH, GenericWebhookReceiver } from "./webhook-routes.js";
const MAX_BODY_BYTES = 8 * 1024 * 1024;
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
    const apollo = new ApolloServer({
        schema: buildSchema(),
        introspection: true,
        // Apollo's own notices go to our structured log, not to stdout.
        logger: options.logger,
        includeStacktraceInErrorResponses: false,
        formatError: formatError(options.logger),
        plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true }), ...(metrics ? [metrics.plugin] : [])],
    });
    await apollo.start();
    const authenticate = createAuthenticator(options.auth ?? { mode: 'open' });
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
    const callFor = (req) => {
        // Background jobs (syncs, exports) say so, and then yield the rate budget to interactive users.
        const priority = req.headers['x-priority'] === 'background' ? 'background' : 'interactive';
        return { priority, deadline: Date.now() + options.requestTimeoutMs };
    };
    const context = async (req) => {
        const principal = await principalFor(req);
        const call = callFor(req);
        return { vendors, loaders: createLoaders(vendors, call), call, logger: options.logger, publicUrl: publicUrl(), principal };
    };
    const server = createHttpServer({
        apollo,
        context,
        maxBodyBytes: MAX_BODY_BYTES,
        routes: {
            '/healthz': (req, res, url) => lifecycle.healthz(req, res, url),
            // The old name, kept for probes configured before /healthz existed.
            '/health': (req, res, url) => lifecycle.healthz(req, res, url),
            '/readyz': (req, res, url) => lifecycle.readyz(req, res, url),
            [GENERIC_WEBHOOK_PATH]: genericWebhooks.route,
            ...(metrics ? { '/metrics': metrics.route } : {}),
        },
        prefixRoutes: fileRoutes({ carecloud: vendors.carecloud, callFor, publicUrl, principalFor, logger: options.logger }),
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