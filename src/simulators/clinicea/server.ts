/**
 * A loopback fake of Clinicea's lead API (../shared/vendors.md, "Clinicea"): the `api` header key (and, with
 * `authMode: 'token'`, the token login of wire.ts), zero-based
 * pages of 100 as bare arrays with 204 for an empty page, incremental sync by `lastSyncTimestamp` with
 * `DataStatusStr`, the `0001-01-01T00:00:00` unset-date sentinel, and ASP.NET-style `{ Message }` errors.
 * Lead writes are our addition so that tests and demos can change data through HTTP and see it in a sync.
 */
import { CLINICEA_PREFIX } from '../../vendors/clinicea/wire.ts';
import { startSimServer, type SimFaults, type SimLogEntry } from '../http.ts';
import { error, json } from './answers.ts';
import { createCliniceaGuard } from './guard.ts';
import {
  resolveCliniceaOptions,
  type CliniceaCredentials,
  type CliniceaLimits,
  type CliniceaSimulatorOptions,
} from './options.ts';
import { cliniceaRouter } from './routes.ts';
import { seedCliniceaLeads } from './seed.ts';
import { createCliniceaStore, type CliniceaStore } from './store.ts';
import { createCliniceaTokens, type CliniceaTokenStats } from './tokens.ts';
import { CLINICEA_UNDOCUMENTED } from './undocumented.ts';

export { CliniceaValidationError } from './lead-validation.ts';
export {
  CLINICEA_DEMO_CREDENTIALS,
  CLINICEA_DEMO_USER,
  type CliniceaCredentials,
  type CliniceaUser,
  type CliniceaLimits,
  type CliniceaSimulatorOptions,
} from './options.ts';
export type { CliniceaChange, CliniceaStore, CliniceaTombstone } from './store.ts';
export type { CliniceaTokenStats } from './tokens.ts';

export interface CliniceaSimulator {
  /** Origin plus `/api/v1`: what a client configures in place of `https://api.clinicea.com/api/v1`. */
  readonly baseUrl: string;
  readonly credentials: CliniceaCredentials;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: CliniceaStore;
  readonly limits: CliniceaLimits;
  readonly paging: { readonly pageSize: number; readonly firstPageNumber: 0 | 1 };
  readonly authMode: 'header' | 'token';
  /** Logins and token use; all zero in header mode. */
  readonly tokenStats: Readonly<CliniceaTokenStats>;
  /** Forgets every issued token (token mode), so that the next call with one gets a 401. */
  revokeTokens(): void;
  close(): Promise<void>;
}

export async function startCliniceaSimulator(options: CliniceaSimulatorOptions = {}): Promise<CliniceaSimulator> {
  const config = resolveCliniceaOptions(options);
  const { clock, credentials } = config;

  const limits: CliniceaLimits = { perSecond: config.perSecond, serverErrorStatus: config.serverErrorStatus };
  const store = createCliniceaStore(
    seedCliniceaLeads({ seed: config.seed, count: config.leadCount, ownerUserIds: options.ownerUserIds }),
    clock,
  );
  const paging = Object.freeze({ pageSize: config.pageSize, firstPageNumber: config.firstPageNumber });

  const tokens = createCliniceaTokens(credentials, config.users, config.tokenTtlMs, clock);
  const tokenMode = config.authMode === 'token';
  const { guard, tooManyRequests } = createCliniceaGuard(credentials, limits, clock, tokenMode ? tokens : undefined);
  const router = cliniceaRouter(store, paging, tokenMode ? tokens : undefined);

  const server = await startSimServer({
    strict: options.strict ? CLINICEA_UNDOCUMENTED : undefined,
    prefix: CLINICEA_PREFIX,
    port: config.port,
    host: options.host,
    router,
    hooks: {
      guard,
      rateLimited: tooManyRequests,
      serverError: () =>
        limits.serverErrorStatus === 503
          ? json(503, error('The service is unavailable.'))
          : json(500, error('An error has occurred.')),
      notFound: () => json(404, error('No HTTP resource was found that matches the request URI.')),
    },
  });

  return {
    baseUrl: server.baseUrl,
    credentials,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    paging,
    authMode: config.authMode,
    tokenStats: tokens.stats,
    revokeTokens: () => tokens.revoke(),
    close: () => server.close(),
  };
}
