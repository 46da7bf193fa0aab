/** How `npm run simulate -- generic --port N` starts the Generic OAuth2 API simulator. */
import { describeLoad, type SimKnobs } from '../knobs.ts';
import { startGenericSimulator, type GenericCredentials } from './server.ts';

export const genericCli = {
  name: 'generic',
  /** GENERIC_CLIENT_ID and GENERIC_CLIENT_SECRET together, or neither (the demo credentials). */
  envCredentials: (env: NodeJS.ProcessEnv): GenericCredentials | undefined => {
    const clientId = env.GENERIC_CLIENT_ID;
    const clientSecret = env.GENERIC_CLIENT_SECRET;
    if (!clientId && !clientSecret) return undefined;
    if (!clientId || !clientSecret) {
      const missing = clientId ? 'GENERIC_CLIENT_SECRET' : 'GENERIC_CLIENT_ID';
      throw new Error(
        `expected GENERIC_CLIENT_ID and GENERIC_CLIENT_SECRET to be set together, got nothing in ${missing}`,
      );
    }
    return { clientId, clientSecret };
  },
  /**
   * `knobs.rate`: windows of one second holding that many requests (the documented window is 10 s of 50, which
   * would let 11 calls in one second through); `knobs.records`: users, the service user included.
   */
  start: async (
    port: number,
    credentials?: GenericCredentials,
    knobs: SimKnobs = {},
  ): Promise<{ baseUrl: string; credentials: Record<string, string>; load: string; close(): Promise<void> }> => {
    const sim = await startGenericSimulator({
      port,
      credentials,
      userCount: knobs.records,
      strict: knobs.strict,
      ...(knobs.rate === undefined ? {} : { limits: { limit: knobs.rate, windowSeconds: 1 } }),
    });
    return {
      baseUrl: sim.baseUrl,
      // tokenUrl is not a secret, but the banner that prints these is where a person looks for it.
      credentials: { ...sim.credentials, tokenUrl: sim.tokenUrl },
      load: describeLoad(`${sim.limits.limit} requests per ${sim.limits.windowSeconds}-second window`, sim.store.users.length, 'users'),
      close: sim.close,
    };
  },
};
