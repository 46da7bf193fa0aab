/** The Caseware simulator as `npm run simulate -- caseware --port N` starts it. */
import { describeLoad, type SimKnobs } from '../knobs.ts';
import { CASEWARE_DEFAULT_FIRM, CASEWARE_DEMO_CREDENTIALS, startCasewareSimulator } from './server.ts';

/** `firm` is optional: it picks the path prefix, which a client configures along with its credentials. */
export interface CasewareCliCredentials {
  clientId: string;
  clientSecret: string;
  firm?: string;
}

export const casewareCli = {
  name: 'caseware',
  /**
   * CASEWARE_CLIENT_ID and CASEWARE_CLIENT_SECRET together, or neither (the demo client); CASEWARE_FIRM alone
   * keeps the demo client under another firm. Undefined when none is set.
   */
  envCredentials: (env: NodeJS.ProcessEnv): CasewareCliCredentials | undefined => {
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
  /**
   * `knobs.rate`: a token bucket of that many, refilled at that many per second (so the burst is the rate,
   * not the documented 20); `knobs.records`: entities (the firm's clients).
   */
  start: async (
    port: number,
    credentials?: CasewareCliCredentials,
    knobs: SimKnobs = {},
  ): Promise<{ baseUrl: string; credentials: Record<string, string>; load: string; close(): Promise<void> }> => {
    const sim = await startCasewareSimulator({
      port,
      entities: knobs.records,
      strict: knobs.strict,
      ...(knobs.rate === undefined ? {} : { limits: { burstCapacity: knobs.rate, replenishRate: knobs.rate } }),
      firm: credentials?.firm ?? CASEWARE_DEFAULT_FIRM,
      credentials: credentials
        ? { clientId: credentials.clientId, clientSecret: credentials.clientSecret }
        : CASEWARE_DEMO_CREDENTIALS,
    });
    return {
      baseUrl: sim.baseUrl,
      credentials: { clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, firm: sim.firm },
      load: describeLoad(
        `bucket of ${sim.limits.burstCapacity} refilled at ${sim.limits.replenishRate} per second`,
        sim.store.entities.length,
        'entities (clients)',
      ),
      close: () => sim.close(),
    };
  },
};
