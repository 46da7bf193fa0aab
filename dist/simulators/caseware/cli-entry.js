/** The Caseware simulator as `npm run simulate -- caseware --port N` starts it. */
import { CASEWARE_DEFAULT_FIRM, CASEWARE_DEMO_CREDENTIALS, startCasewareSimulator } from "./server.js";
export const casewareCli = {
    name: 'caseware',
    /**
     * CASEWARE_CLIENT_ID and CASEWARE_CLIENT_SECRET together, or neither (the demo client); CASEWARE_FIRM alone
     * keeps the demo client under another firm. Undefined when none is set.
     */
    envCredentials: (env) => {
        const clientId = env.CASEWARE_CLIENT_ID || undefined;
        const clientSecret = env.CASEWARE_CLIENT_SECRET || undefined;
        const firm = env.CASEWARE_FIRM || undefined;
        if ((clientId === undefined) !== (clientSecret === undefined)) {
            const [set, missing] = clientId
                ? ['CASEWARE_CLIENT_ID', 'CASEWARE_CLIENT_SECRET']
                : ['CASEWARE_CLIENT_SECRET', 'CASEWARE_CLIENT_ID'];
            throw new Error(`expected ${missing} to be set alongside ${set}, got nothing`);
        }
        if (clientId === undefined || clientSecret === undefined) {
            return firm === undefined ? undefined : { ...CASEWARE_DEMO_CREDENTIALS, firm };
        }
        return firm === undefined ? { clientId, clientSecret } : { clientId, clientSecret, firm };
    },
    start: async (port, credentials) => {
        const sim = await startCasewareSimulator({
            port,
            firm: credentials?.firm ?? CASEWARE_DEFAULT_FIRM,
            credentials: credentials
                ? { clientId: credentials.clientId, clientSecret: credentials.clientSecret }
                : CASEWARE_DEMO_CREDENTIALS,
        });
        return {
            baseUrl: sim.baseUrl,
            credentials: { clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, firm: sim.firm },
            close: () => sim.close(),
        };
    },
};
//# sourceMappingURL=cli-entry.js.map