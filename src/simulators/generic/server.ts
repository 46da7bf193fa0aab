/**
 * A loopback simulator of the Generic OAuth2 API (vendors.md, "Generic OAuth2 API"): client-credentials
 * tokens, users with page/limit lists, bulk create with per-item results and Idempotency-Key replay, a fixed
 * window rate limit reported in a choice of header styles, and Standard Webhooks deliveries.
 *
 * The token endpoint is not rate limited and needs no bearer (our choice: it is how a client recovers from an
 * expired token, so limiting it would lock a client out). Everything else needs a live bearer token and
 * counts against the token's client.
 */
import { GENERIC_PREFIX, GENERIC_TOKEN_PATH } from '../../vendors/generic/wire.ts';
import { startSimServer, type SimFaults, type SimLogEntry } from '../http.ts';
import { fail, rateLimited } from './answers.ts';
import { createGenericGuard } from './guard.ts';
import { resolveGenericOptions, type GenericCredentials, type GenericSimulatorOptions } from './options.ts';
import type { GenericLimits } from './ratelimit.ts';
import { genericRouter } from './routes.ts';
import { createGenericStore, type GenericStats, type GenericStore } from './store.ts';
import { WebhookHub } from './webhooks.ts';
import { GENERIC_UNDOCUMENTED } from './undocumented.ts';

export { GENERIC_DEMO_CREDENTIALS, type GenericCredentials, type GenericSimulatorOptions } from './options.ts';
export type { GenericStats, GenericStore } from './store.ts';

export interface GenericSimulator {
  /** Origin plus `/api/v1`: what a client configures. */
  readonly baseUrl: string;
  /** `${baseUrl}/oauth/token`. */
  readonly tokenUrl: string;
  readonly credentials: GenericCredentials;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: GenericStore;
  /** Live: a change applies to the next request. */
  readonly limits: GenericLimits;
  readonly stats: GenericStats;
  /** Subscriptions and `deliveries`; `await webhooks.idle()` waits for deliveries and their retries. */
  readonly webhooks: WebhookHub;
  close(): Promise<void>;
}

export async function startGenericSimulator(options: GenericSimulatorOptions = {}): Promise<GenericSimulator> {
  const settings = resolveGenericOptions(options);
  const { clock, credentials, limits } = settings;
  const store = createGenericStore(settings);
  const stats: GenericStats = { tokenRequests: 0, tokensIssued: 0, usersCreated: 0, usersUpdated: 0 };
  const webhooks = new WebhookHub({
    clock,
    fetch: settings.fetch,
    retryDelaysMs: settings.webhookRetryDelaysMs,
    attemptTimeoutMs: settings.webhookTimeoutMs,
  });
  const { guard, decorate, clientOf } = createGenericGuard(settings, store);
  const router = genericRouter(settings, store, stats, webhooks, clientOf);

  const sim = await startSimServer({
    strict: options.strict ? GENERIC_UNDOCUMENTED : undefined,
    prefix: GENERIC_PREFIX,
    port: settings.port,
    host: options.host,
    router,
    hooks: {
      guard,
      decorate,
      serverError: () => fail(500, 'INTERNAL', 'internal server error; retry later'),
      rateLimited,
      notFound: () => fail(404, 'NOT_FOUND', 'no such resource'),
    },
  });

  return {
    baseUrl: sim.baseUrl,
    tokenUrl: `${sim.baseUrl}/${GENERIC_TOKEN_PATH}`,
    credentials,
    faults: sim.faults,
    log: sim.log,
    store,
    limits,
    stats,
    webhooks,
    close: async () => {
      webhooks.close();
      await sim.close();
    },
  };
}
