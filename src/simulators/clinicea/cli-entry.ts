/** How `npm run simulate -- clinicea --port N` starts the Clinicea simulator. */
import { describeLoad, type SimKnobs } from '../knobs.ts';
import { startCliniceaSimulator, type CliniceaCredentials } from './server.ts';

export const cliniceaCli = {
  name: 'clinicea',
  /** CLINICEA_API_KEY, when set, replaces the demo key; undefined keeps the demo key. */
  envCredentials: (env: NodeJS.ProcessEnv): CliniceaCredentials | undefined => {
    const apiKey = env.CLINICEA_API_KEY?.trim();
    return apiKey ? { apiKey } : undefined;
  },
  /** `knobs.rate`: requests per one-second window; `knobs.records`: leads. */
  start: async (
    port: number,
    credentials?: CliniceaCredentials,
    knobs: SimKnobs = {},
  ): Promise<{ baseUrl: string; credentials: Record<string, string>; load: string; close(): Promise<void> }> => {
    const sim = await startCliniceaSimulator({ port, credentials, perSecond: knobs.rate, leadCount: knobs.records, strict: knobs.strict });
    return {
      baseUrl: sim.baseUrl,
      credentials: { apiKey: sim.credentials.apiKey },
      load: describeLoad(`${sim.limits.perSecond} requests per one-second window`, sim.store.leads.size, 'leads'),
      close: () => sim.close(),
    };
  },
};
