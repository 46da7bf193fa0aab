/**
 * A loopback fake of Clinicea's lead API (../shared/vendors.md, "Clinicea"): the `api` header key (and, with
 * `authMode: 'token'`, the token login of wire.ts), zero-based
 * pages of 100 as bare arrays with 204 for an empty page, incremental sync by `lastSyncTimestamp` with
 * `DataStatusStr`, the `0001-01-01T00:00:00` unset-date sentinel, and ASP.NET-style `{ Message }` errors.
 * Lead writes are our addition so that tests and demos can change data through HTTP and see it in a sync.
 */
import { CLINICEA_PREFIX } from "../../vendors/clinicea/wire.js";
import { startSimServer } from "../http.js";
import { error, json } from "./answers.js";
import { createCliniceaGuard } from "./guard.js";
import { resolveCliniceaOptions, } from "./options.js";
import { cliniceaRouter } from "./routes.js";
import { seedCliniceaLeads } from "./seed.js";
import { createCliniceaStore } from "./store.js";
import { createCliniceaTokens } from "./tokens.js";
export { CliniceaValidationError } from "./lead-validation.js";
export { CLINICEA_DEMO_CREDENTIALS, CLINICEA_DEMO_USER, } from "./options.js";
export async function startCliniceaSimulator(options = {}) {
    const config = resolveCliniceaOptions(options);
    const { clock, credentials } = config;
    const limits = { perSecond: config.perSecond, serverErrorStatus: config.serverErrorStatus };
    const store = createCliniceaStore(seedCliniceaLeads({ seed: config.seed, count: config.leadCount, ownerUserIds: options.ownerUserIds }), clock);
    const paging = Object.freeze({ pageSize: config.pageSize, firstPageNumber: config.firstPageNumber });
    const tokens = createCliniceaTokens(credentials, config.users, config.tokenTtlMs, clock);
    const tokenMode = config.authMode === 'token';
    const { guard, tooManyRequests } = createCliniceaGuard(credentials, limits, clock, tokenMode ? tokens : undefined);
    const router = cliniceaRouter(store, paging, tokenMode ? tokens : undefined);
    const server = await startSimServer({
        prefix: CLINICEA_PREFIX,
        port: config.port,
        router,
        hooks: {
            guard,
            rateLimited: tooManyRequests,
            serverError: () => limits.serverErrorStatus === 503
                ? json(503, error('The service is unavailable.'))
                : json(500, error('An error has occurred.')),
            notFound: () => json(404, error('No HTTP resource was found that matches the request URI.')),
        },
    });
    return {
        baseUrl: server.baseUrl,
        credentials,
        faults: server.faults,
        log: server.log,
        store,
        limits,
        paging,
        authMode: config.authMode,
        tokenStats: tokens.stats,
        revokeTokens: () => tokens.revoke(),
        close: () => server.close(),
    };
}
//# sourceMappingURL=server.js.map