/**
 * A loopback CareCloud (MCT data sync) behind a simulated AWS API Gateway (vendors.md, "CareCloud"): `x-api-key`
 * auth, a per-key token bucket and monthly quota, the gateway's `{ message }` errors and `x-amzn-*` headers,
 * file upload/list/download/delete, and the documented appdata record operations.
 */
import { CARECLOUD_ERROR_MESSAGES, CARECLOUD_PREFIX } from "../../vendors/carecloud/wire.js";
import { SimRouter, startSimServer } from "../http.js";
import { hexId, guid, prng } from "../seed.js";
import { error, gatewayError, missingToken } from "./answers.js";
import { createCareCloudGuard } from "./guard.js";
import { CareCloudLimiter, DEFAULT_CARECLOUD_LIMITS, validateLimits, } from "./limits.js";
import { resolveOptions } from "./options.js";
import { registerAppDataRoutes } from "./routes-appdata.js";
import { registerFileRoutes } from "./routes-files.js";
import { startCareCloudSftp } from "./sftp.js";
import { buildStore } from "./store.js";
export { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, CARECLOUD_DEFAULT_WORKSPACES } from "./seed.js";
export { DEFAULT_CARECLOUD_LIMITS } from "./limits.js";
export { CARECLOUD_DEFAULT_MAX_FILE_BYTES, CARECLOUD_DEMO_CREDENTIALS, CARECLOUD_SFTP_DEMO_USERNAME, } from "./options.js";
export { generateSshKeyPair, sftpFingerprint } from "./sftp.js";
export async function startCareCloudSimulator(options = {}) {
    const config = resolveOptions(options);
    const limits = { ...DEFAULT_CARECLOUD_LIMITS, ...options.limits };
    validateLimits(limits);
    const limiter = new CareCloudLimiter(limits, config.clock);
    const apiKeys = new Set([config.credentials.apiKey, ...config.extraApiKeys]);
    const store = buildStore(config);
    // Kept apart from the seed stream so generated ids do not depend on how many records were seeded.
    const ids = prng(config.seed + 0x5eed);
    const newFileId = () => guid(ids).toLowerCase();
    const router = new SimRouter();
    registerFileRoutes(router, store, config, newFileId);
    registerAppDataRoutes(router, store, config.clock, () => hexId(ids));
    const { guard, decorate } = createCareCloudGuard(router, apiKeys, limiter);
    const server = await startSimServer({
        prefix: CARECLOUD_PREFIX,
        router,
        port: config.port,
        hooks: {
            guard,
            decorate,
            serverError: () => error(502, CARECLOUD_ERROR_MESSAGES.serverError),
            rateLimited: () => gatewayError(429, 'throttled'),
            notFound: missingToken,
        },
    });
    let sftp;
    try {
        sftp = config.sftp ? await startCareCloudSftp(store, config, newFileId) : undefined;
    }
    catch (error) {
        await server.close();
        throw error;
    }
    return {
        baseUrl: server.baseUrl,
        credentials: config.credentials,
        workspaces: config.workspaces,
        faults: server.faults,
        log: server.log,
        store,
        limits,
        sftp: sftp?.endpoint,
        usage: (apiKey = config.credentials.apiKey) => limiter.usage(apiKey),
        close: async () => {
            await Promise.all([server.close(), sftp?.close()]);
        },
    };
}
//# sourceMappingURL=server.js.map