/**
 * A loopback CareHQ (vendors.md, "CareHQ"): signed requests, a per-key limit of N requests per one-second
 * window, URL-encoded forms in and JSON out, care enquiries and users. Built on the shared simulator server;
 * this file wires the pieces in this folder: options.ts, guard.ts (with signature.ts), store.ts, routes.ts.
 */
import { CAREHQ_PREFIX, CAREHQ_RATE_HEADERS } from "../../vendors/carehq/wire.js";
import { startSimServer } from "../http.js";
import { prng } from "../seed.js";
import { errorResponse, notFound, rateLimited } from "./answers.js";
import { createCareHqGuard } from "./guard.js";
import { resolveCareHqOptions } from "./options.js";
import { careHqRouter } from "./routes.js";
import { objectIdFactory } from "./seed.js";
import { createCareHqStore } from "./store.js";
export { CAREHQ_DEMO_CREDENTIALS } from "./options.js";
export async function startCareHqSimulator(options = {}) {
    const settings = resolveCareHqOptions(options);
    const { credentials, clock } = settings;
    const store = createCareHqStore(settings);
    const limits = { perSecond: settings.perSecond };
    const { guard, decorate } = createCareHqGuard(settings, limits);
    // Separate stream from the seed's so records created at run time do not shift the seeded ones.
    const nextId = objectIdFactory(prng(settings.seed ^ 0x5eed));
    const router = careHqRouter(store, clock, nextId);
    const server = await startSimServer({
        prefix: CAREHQ_PREFIX,
        port: settings.port,
        router,
        hooks: {
            guard,
            decorate,
            serverError: () => errorResponse(500, { error_type: 'api_error', hint: 'CareHQ could not handle the request; try again shortly.' }),
            // An injected burst skips the window count, so say "none left" here; decorate adds limit and reset.
            rateLimited: () => ({ ...rateLimited(), headers: { [CAREHQ_RATE_HEADERS.remaining]: '0' } }),
            notFound: () => notFound('No such resource.'),
        },
    });
    return {
        baseUrl: server.baseUrl,
        origin: server.baseUrl.slice(0, -CAREHQ_PREFIX.length),
        credentials,
        faults: server.faults,
        log: server.log,
        store,
        limits,
        close: () => server.close(),
    };
}
//# sourceMappingURL=server.js.map