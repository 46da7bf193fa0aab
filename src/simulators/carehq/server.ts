/**
 * A loopback CareHQ (vendors.md, "CareHQ"): signed requests, a per-key limit of N requests per one-second
 * window, URL-encoded forms in and JSON out, care enquiries and users. Built on the shared simulator server;
 * this file wires the pieces in this folder: options.ts, guard.ts (with signature.ts), store.ts, routes.ts.
 */
import { CAREHQ_PREFIX, CAREHQ_RATE_HEADERS } from '../../vendors/carehq/wire.ts';
import { startSimServer, type SimFaults, type SimLogEntry } from '../http.ts';
import { prng } from '../seed.ts';
import { errorResponse, notFound, rateLimited } from './answers.ts';
import { createCareHqGuard, type CareHqLimits } from './guard.ts';
import { resolveCareHqOptions, type CareHqCredentials, type CareHqSimulatorOptions } from './options.ts';
import { careHqRouter } from './routes.ts';
import { objectIdFactory } from './seed.ts';
import { createCareHqStore, type CareHqStore } from './store.ts';
import { CAREHQ_UNDOCUMENTED } from './undocumented.ts';

export { CAREHQ_DEMO_CREDENTIALS, type CareHqCredentials, type CareHqSimulatorOptions } from './options.ts';
export type { CareHqLimits } from './guard.ts';
export type { CareHqStore } from './store.ts';

export interface CareHqSimulator {
  /** Origin plus `/v1`: what a client that joins paths onto a base URL configures. */
  readonly baseUrl: string;
  /** Origin only: what the official SDKs take as their base URL (they add `/v1` themselves). */
  readonly origin: string;
  readonly credentials: CareHqCredentials;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: CareHqStore;
  readonly limits: CareHqLimits;
  close(): Promise<void>;
}

export async function startCareHqSimulator(options: CareHqSimulatorOptions = {}): Promise<CareHqSimulator> {
  const settings = resolveCareHqOptions(options);
  const { credentials, clock } = settings;

  const store = createCareHqStore(settings);
  const limits: CareHqLimits = { perSecond: settings.perSecond };
  const { guard, decorate } = createCareHqGuard(settings, limits);
  // Separate stream from the seed's so records created at run time do not shift the seeded ones.
  const nextId = objectIdFactory(prng(settings.seed ^ 0x5eed));

  const router = careHqRouter(store, clock, nextId, settings.idsFilter);

  const server = await startSimServer({
    strict: options.strict ? CAREHQ_UNDOCUMENTED : undefined,
    prefix: CAREHQ_PREFIX,
    port: settings.port,
    host: settings.host,
    router,
    hooks: {
      guard,
      decorate,
      serverError: () =>
        errorResponse(500, { error_type: 'api_error', hint: 'CareHQ could not handle the request; try again shortly.' }),
      // An injected burst skips the window count, so say "none left" here; decorate adds limit and reset.
      rateLimited: () => ({ ...rateLimited(), headers: { [CAREHQ_RATE_HEADERS.remaining]: '0' } }),
      notFound: () => notFound('No such resource.'),
    },
  });

  return {
    baseUrl: server.baseUrl,
    origin: server.baseUrl.slice(0, -CAREHQ_PREFIX.length),
    credentials,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    close: () => server.close(),
  };
}
