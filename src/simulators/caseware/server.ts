/**
 * A loopback Caseware Cloud API v2 (../shared/vendors.md, "Caseware Cloud"): bearer tokens from `auth/token`,
 * paged bare-array lists with `search`, and Spring Cloud Gateway's token bucket per API client.
 */
import { casewarePrefix } from '../../vendors/caseware/wire.ts';
import { startSimServer, type SimFaults, type SimLogEntry } from '../http.ts';
import { error } from './answers.ts';
import { createCasewareAuth, type CasewareStats } from './auth.ts';
import { createCasewareGuard } from './guard.ts';
import {
  DEFAULT_CASEWARE_LIMITS,
  resolveCasewareOptions,
  type CasewareCredentials,
  type CasewareLimits,
  type CasewareSimulatorOptions,
} from './options.ts';
import { casewareRouter } from './routes.ts';
import { seedCaseware, type CasewareStore } from './seed.ts';
import { CASEWARE_UNDOCUMENTED } from './undocumented.ts';

export type { CasewareStore } from './seed.ts';
export type { CasewareStats } from './auth.ts';
export {
  CASEWARE_DEFAULT_FIRM,
  CASEWARE_DEMO_CREDENTIALS,
  DEFAULT_CASEWARE_LIMITS,
  type CasewareCredentials,
  type CasewareLimits,
  type CasewareSimulatorOptions,
} from './options.ts';

export interface CasewareSimulator {
  /** Origin plus `/{firm}/ms/caseware-cloud/api/v2`, no trailing slash. */
  readonly baseUrl: string;
  readonly firm: string;
  /** The current credentials; `resetSecret` changes `clientSecret` here. */
  readonly credentials: Readonly<CasewareCredentials>;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  /** The live records; edit them and the next request sees the change. */
  readonly store: CasewareStore;
  /** Live: changing a field changes the next answer's headers and throttling. */
  readonly limits: CasewareLimits;
  readonly stats: CasewareStats;
  /** Sets a new client secret and ends every session, as resetting it in Caseware does (docs). */
  resetSecret(newSecret: string): void;
  close(): Promise<void>;
}

export async function startCasewareSimulator(options: CasewareSimulatorOptions = {}): Promise<CasewareSimulator> {
  const settings = resolveCasewareOptions(options);
  const { clock, firm } = settings;
  const credentials: CasewareCredentials = { ...settings.credentials };
  const limits: CasewareLimits = { ...DEFAULT_CASEWARE_LIMITS, ...options.limits };
  const store = seedCaseware({ seed: settings.seed, users: settings.users, entities: settings.entities });
  const stats: CasewareStats = { tokenRequests: 0, tokensIssued: 0 };
  const auth = createCasewareAuth(settings, credentials, stats);
  const { guard, decorate, rateLimited } = createCasewareGuard(clock, limits, stats, auth.authenticate);
  const router = casewareRouter(store, auth.issueToken);

  const server = await startSimServer({
    strict: options.strict ? CASEWARE_UNDOCUMENTED : undefined,
    prefix: casewarePrefix(firm),
    router,
    port: settings.port,
    host: options.host,
    hooks: {
      guard,
      decorate,
      serverError: () => error(500, 'An unexpected error occurred'),
      rateLimited,
      notFound: () => error(404, 'Resource not found'),
    },
  });

  return {
    baseUrl: server.baseUrl,
    firm,
    credentials,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    stats,
    resetSecret(newSecret: string) {
      if (typeof newSecret !== 'string' || newSecret === '') {
        throw new Error(`expected a non-empty new client secret, got ${JSON.stringify(newSecret)}`);
      }
      credentials.clientSecret = newSecret;
      auth.endSessions();
    },
    close: () => server.close(),
  };
}
