/** How `npm run simulate -- clinicea --port N` starts the Clinicea simulator. */
import { startCliniceaSimulator } from "./server.js";
export const cliniceaCli = {
    name: 'clinicea',
    /** CLINICEA_API_KEY, when set, replaces the demo key; undefined keeps the demo key. */
    envCredentials: (env) => {
        const apiKey = env.CLINICEA_API_KEY?.trim();
        return apiKey ? { apiKey } : undefined;
    },
    start: async (port, credentials) => {
        const sim = await startCliniceaSimulator({ port, credentials });
        return { baseUrl: sim.baseUrl, credentials: { apiKey: sim.credentials.apiKey }, close: () => sim.close() };
    },
};
//# sourceMappingURL=cli-entry.js.map