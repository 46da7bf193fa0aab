/** How `npm run simulate -- carehq` finds, configures and starts the CareHQ simulator. */
import { describeLoad, type SimKnobs } from '../knobs.ts';
import { startCareHqSimulator, type CareHqCredentials } from './server.ts';

const ENV_NAMES = {
  accountId: 'CAREHQ_ACCOUNT_ID',
  apiKey: 'CAREHQ_API_KEY',
  apiSecret: 'CAREHQ_API_SECRET',
} as const;

export const carehqCli = {
  name: 'carehq',

  /** All three variables or none (then the demo credentials); a partial set is a mistake worth stopping on. */
  envCredentials: (env: NodeJS.ProcessEnv): CareHqCredentials | undefined => {
    const entries = Object.entries(ENV_NAMES).map(([field, name]) => [field, name, env[name] ?? ''] as const);
    const set = entries.filter(([, , value]) => value !== '');
    if (set.length === 0) return undefined;
    if (set.length < entries.length) {
      const missing = entries.filter(([, , value]) => value === '').map(([, name]) => name);
      throw new Error(`expected ${Object.values(ENV_NAMES).join(', ')} to be set together, got nothing for ${missing.join(', ')}`);
    }
    return Object.fromEntries(set.map(([field, , value]) => [field, value])) as CareHqCredentials;
  },

  /** `knobs.rate`: requests per one-second window; `knobs.records`: care enquiries. */
  start: async (port: number, credentials?: Readonly<Record<string, string>>, knobs: SimKnobs = {}) => {
    const sim = await startCareHqSimulator({
      port,
      credentials: credentials ? toCredentials(credentials) : undefined,
      perSecond: knobs.rate,
      enquiries: knobs.records,
      strict: knobs.strict,
    });
    return {
      baseUrl: sim.baseUrl,
      credentials: { ...sim.credentials },
      /** Lines for the banner: the official SDKs add `/v1` themselves. */
      notes: [`Official CareHQ SDKs take the origin as their base URL: ${sim.origin}`],
      load: describeLoad(`${sim.limits.perSecond} requests per one-second window`, sim.store.enquiries.size, 'care enquiries'),
      close: () => sim.close(),
    };
  },
};

function toCredentials(raw: Readonly<Record<string, string>>): CareHqCredentials {
  const { accountId, apiKey, apiSecret } = raw;
  if (!accountId || !apiKey || !apiSecret) {
    throw new Error(`expected CareHQ credentials with accountId, apiKey and apiSecret, got keys: ${Object.keys(raw).join(', ') || 'none'}`);
  }
  return { accountId, apiKey, apiSecret };
}
