/** How `npm run simulate -- generic --port N` starts the Generic OAuth2 API simulator. */
import { startGenericSimulator } from "./server.js";
export const genericCli = {
    name: 'generic',
    /** GENERIC_CLIENT_ID and GENERIC_CLIENT_SECRET together, or neither (the demo credentials). */
    envCredentials: (env) => {
        const clientId = env.GENERIC_CLIENT_ID;
        const clientSecret = env.GENERIC_CLIENT_SECRET;
        if (!clientId && !clientSecret)
            return undefined;
        if (!clientId || !clientSecret) {
            const missing = clientId ? 'GENERIC_CLIENT_SECRET' : 'GENERIC_CLIENT_ID';
            throw new Error(`expected GENERIC_CLIENT_ID and GENERIC_CLIENT_SECRET to be set together, got nothing in ${missing}`);
        }
        return { clientId, clientSecret };
    },
    start: async (port, credentials) => {
        const sim = await startGenericSimulator({ port, credentials });
        return {
            baseUrl: sim.baseUrl,
            // tokenUrl is not a secret, but the banner that prints these is where a person looks for it.
            credentials: { ...sim.credentials, tokenUrl: sim.tokenUrl },
            close: sim.close,
        };
    },
};
//# sourceMappingURL=cli-entry.js.map