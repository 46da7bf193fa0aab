/** How `npm run simulate -- carehq` finds, configures and starts the CareHQ simulator. */
import { startCareHqSimulator } from "./server.js";
const ENV_NAMES = {
    accountId: 'CAREHQ_ACCOUNT_ID',
    apiKey: 'CAREHQ_API_KEY',
    apiSecret: 'CAREHQ_API_SECRET',
};
export const carehqCli = {
    name: 'carehq',
    /** All three variables or none (then the demo credentials); a partial set is a mistake worth stopping on. */
    envCredentials: (env) => {
        const entries = Object.entries(ENV_NAMES).map(([field, name]) => [field, name, env[name] ?? '']);
        const set = entries.filter(([, , value]) => value !== '');
        if (set.length === 0)
            return undefined;
        if (set.length < entries.length) {
            const missing = entries.filter(([, , value]) => value === '').map(([, name]) => name);
            throw new Error(`expected ${Object.values(ENV_NAMES).join(', ')} to be set together, got nothing for ${missing.join(', ')}`);
        }
        return Object.fromEntries(set.map(([field, , value]) => [field, value]));
    },
    start: async (port, credentials) => {
        const sim = await startCareHqSimulator({ port, credentials: credentials ? toCredentials(credentials) : undefined });
        return {
            baseUrl: sim.baseUrl,
            credentials: { ...sim.credentials },
            /** Lines for the banner: the official SDKs add `/v1` themselves. */
            notes: [`Official CareHQ SDKs take the origin as their base URL: ${sim.origin}`],
            close: () => sim.close(),
        };
    },
};
function toCredentials(raw) {
    const { accountId, apiKey, apiSecret } = raw;
    if (!accountId || !apiKey || !apiSecret) {
        throw new Error(`expected CareHQ credentials with accountId, apiKey and apiSecret, got keys: ${Object.keys(raw).join(', ') || 'none'}`);
    }
    return { accountId, apiKey, apiSecret };
}
//# sourceMappingURL=cli-entry.js.map