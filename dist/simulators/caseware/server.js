/**
 * A loopback Caseware Cloud API v2 (../shared/vendors.md, "Caseware Cloud"): bearer tokens from `auth/token`,
 * paged bare-array lists with `search`, and Spring Cloud Gateway's token bucket per API client.
 */
import { casewarePrefix } from "../../vendors/caseware/wire.js";
import { startSimServer } from "../http.js";
import { error } from "./answers.js";
import { createCasewareAuth } from "./auth.js";
import { createCasewareGuard } from "./guard.js";
import { DEFAULT_CASEWARE_LIMITS, resolveCasewareOptions, } from "./options.js";
import { casewareRouter } from "./routes.js";
import { seedCaseware } from "./seed.js";
export { CASEWARE_DEFAULT_FIRM, CASEWARE_DEMO_CREDENTIALS, DEFAULT_CASEWARE_LIMITS, } from "./options.js";
export async function startCasewareSimulator(options = {}) {
    const settings = resolveCasewareOptions(options);
    const { clock, firm } = settings;
    const credentials = { ...settings.credentials };
    const limits = { ...DEFAULT_CASEWARE_LIMITS, ...options.limits };
    const store = seedCaseware({ seed: settings.seed, users: settings.users, entities: settings.entities });
    const stats = { tokenRequests: 0, tokensIssued: 0 };
    const auth = createCasewareAuth(settings, credentials, stats);
    const { guard, decorate, rateLimited } = createCasewareGuard(clock, limits, stats, auth.authenticate);
    const router = casewareRouter(store, auth.issueToken);
    const server = await startSimServer({
        prefix: casewarePrefix(firm),
        router,
        port: settings.port,
        hooks: {
            guard,
            decorate,
            serverError: () => error(500, 'An unexpected error occurred'),
            rateLimited,
            notFound: () => error(404, 'Resource not found'),
        },
    });
    return {
        baseUrl: server.baseUrl,
        firm,
        credentials,
        faults: server.faults,
        log: server.log,
        store,
        limits,
        stats,
        resetSecret(newSecret) {
            if (typeof newSecret !== 'string' || newSecret === '') {
                throw new Error(`expected a non-empty new client secret, got ${JSON.stringify(newSecret)}`);
            }
            credentials.clientSecret = newSecret;
            auth.endSessions();
        },
        close: () => server.close(),
    };
}
//# sourceMappingURL=server.js.map