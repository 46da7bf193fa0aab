/**
 * The gateway as the configuration describes it: simulators for the vendors left unconfigured, Redis when
 * REDIS_URL is set, every option from config.ts. main.ts runs it and prints its banner; the bench's comparison
 * of HTTP layers (bench/fronts-gateway.ts) runs the very same gateway behind a plain node:http server too.
 */
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { ResponseCache } from './upstream/cache.ts';
import { REDIS_FAIL_FAST, sharedBudgets } from './upstream/shared-budgets.ts';
import { startGateway, type Gateway, type GatewayOptions } from './server/gateway.ts';
import type { Tracing } from './server/tracing.ts';
import { simulatedVendors, vendorOptions } from './server/vendor-options.ts';
import type { DemoSimulators } from './simulators/demo.ts';

/** Every vendor live: nothing simulated, nothing to close. */
const NO_SIMULATORS: DemoSimulators = { carecloudTarget: { workspaceId: '', bucketId: '' }, close: async () => undefined };

export interface Configured {
  readonly gateway: Gateway;
  readonly sims: DemoSimulators;
  /** Each vendor's mode and options, as given to the gateway. */
  readonly options: Pick<GatewayOptions, 'modes' | 'carehq' | 'clinicea' | 'caseware' | 'carecloud' | 'generic'>;
  readonly redis: Redis | undefined;
  readonly shared: Awaited<ReturnType<typeof sharedBudgets>> | undefined;
}

/** `tracing` is made by the caller, before anything else loads, and shut down by it. */
export async function startConfigured(config: Config, logger: Logger, tracing?: Tracing): Promise<Configured> {
  const simulated = simulatedVendors(config);
  // Loaded only when a vendor is simulated: a gateway with every vendor live keeps the simulators' code (and
  // its memory) out of its process.
  const sims: DemoSimulators = simulated.size > 0 ? await (await import('./simulators/demo.ts')).startDemoSimulators(simulated) : NO_SIMULATORS;
  const options = vendorOptions(config, sims);
  // Loaded only with REDIS_URL set, as the simulators are: a gateway without Redis keeps its code out of memory.
  const redis = config.redisUrl ? new (await import('ioredis')).Redis(config.redisUrl, REDIS_FAIL_FAST) : undefined;
  // ioredis reports each failed reconnect as an 'error' event; the stores log state changes once instead.
  redis?.on('error', () => undefined);
  const shared = redis ? await sharedBudgets(redis, { logger }) : undefined;
  const gateway = await startGateway({
    port: config.port,
    host: config.host,
    logger,
    requestTimeoutMs: config.requestTimeoutMs,
    cursorSecret: config.cursorSecret,
    publicUrl: config.publicUrl,
    auth: config.auth,
    production: config.production,
    limits: config.limits,
    clientRequestsPerMinute: config.clientRequestsPerMinute,
    downloadUrlTtlS: config.downloadUrlTtlS,
    liveEvents: config.liveEvents,
    ...(config.corsOrigins ? { corsOrigins: config.corsOrigins } : {}),
    introspection: config.introspection,
    sandbox: config.sandbox,
    ...(redis ? { redis } : {}),
    shutdownGraceMs: config.shutdownGraceMs,
    core: {
      timeoutMs: config.upstreamTimeoutMs,
      cache: new ResponseCache({ maxBytes: config.cacheMaxBytes }),
      ...(shared ? { store: shared.store } : {}),
    },
    metrics: config.metricsEnabled,
    genericWebhooks: { secrets: config.generic.webhookSecrets },
    ...(tracing ? { tracing } : {}),
    ...options,
  });
  return { gateway, sims, options, redis, shared };
}
