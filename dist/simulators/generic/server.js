/**
 * A loopback simulator of the Generic OAuth2 API (vendors.md, "Generic OAuth2 API"): client-credentials
 * tokens, users with page/limit lists, bulk create with per-item results and Idempotency-Key replay, a fixed
 * window rate limit reported in a choice of header styles, and Standard Webhooks deliveries.
 *
 * The token endpoint is not rate limited and needs no bearer (our choice: it is how a client recovers from an
 * expired token, so limiting it would lock a client out). Everything else needs a live bearer token and
 * counts against the token's client.
 */
import { GENERIC_PREFIX, GENERIC_TOKEN_PATH } from "../../vendors/generic/wire.js";
import { startSimServer } from "../http.js";
import { fail, rateLimited } from "./answers.js";
import { createGenericGuard } from "./guard.js";
import { resolveGenericOptions } from "./options.js";
import { genericRouter } from "./routes.js";
import { createGenericStore } from "./store.js";
import { WebhookHub } from "./webhooks.js";
export { GENERIC_DEMO_CREDENTIALS } from "./options.js";
export async function startGenericSimulator(options = {}) {
    const settings = resolveGenericOptions(options);
    const { clock, credentials, limits } = settings;
    const store = createGenericStore(settings);
    const stats = { tokenRequests: 0, tokensIssued: 0, usersCreated: 0 };
    const webhooks = new WebhookHub({
        clock,
        fetch: settings.fetch,
        retryDelaysMs: settings.webhookRetryDelaysMs,
        attemptTimeoutMs: settings.webhookTimeoutMs,
    });
    const { guard, decorate, clientOf } = createGenericGuard(settings, store);
    const router = genericRouter(settings, store, stats, webhooks, clientOf);
    const sim = await startSimServer({
        prefix: GENERIC_PREFIX,
        port: settings.port,
        router,
        hooks: {
            guard,
            decorate,
            serverError: () => fail(500, 'INTERNAL', 'internal server error; retry later'),
            rateLimited,
            notFound: () => fail(404, 'NOT_FOUND', 'no such resource'),
        },
    });
    return {
        baseUrl: sim.baseUrl,
        tokenUrl: `${sim.baseUrl}/${GENERIC_TOKEN_PATH}`,
        credentials,
        faults: sim.faults,
        log: sim.log,
        store,
        limits,
        stats,
        webhooks,
        close: async () => {
            webhooks.close();
            await sim.close();
        },
    };
}
//# sourceMappingURL=server.js.map