/** How `npm run simulate -- clinicea --port N` starts the Clinicea simulator. */
import { startCliniceaSimulator, type CliniceaCredentials } from './server.ts';

export const cliniceaCli = {
  name: 'clinicea',
  /** CLINICEA_API_KEY, when set, replaces the demo key; undefined keeps the demo key. */
  envCredentials: (env: NodeJS.ProcessEnv): CliniceaCredentials | undefined => {
    const apiKey = env.CLINICEA_API_KEY?.trim();
    return apiKey ? { apiKey } : undefined;
  },
  start: async (
    port: number,
    credentials?: CliniceaCredentials,
  ): Promise<{ baseUrl: string; credentials: Record<string, string>; close(): Promise<void> }> => {
    const sim = await startCliniceaSimulator({ port, credentials });
    return { baseUrl: sim.baseUrl, credentials: { apiKey: sim.credentials.apiKey }, close: () => sim.close() };
  },
};
