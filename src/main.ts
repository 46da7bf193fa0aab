/**
 * Composition root: config -> vendors (real, or simulated when unconfigured) -> server. Nothing else.
 */
import { ConfigError, loadConfig } from './config.ts';
import { ResponseCache } from './upstream/cache.ts';
import { REDIS_FAIL_FAST, sharedBudgets } from './upstream/shared-budgets.ts';
import { startGateway } from './server/gateway.ts';
import { createLogger } from './server/logger.ts';
import { GENERIC_WEBHOOK_PATH, subscribeToSimulator } from './server/webhook-routes.ts';
import { simulatedVendors, vendorOptions } from './server/vendor-options.ts';
import type { DemoSimulators } from './simulators/demo.ts';

/** Every vendor live: nothing simulated, nothing to close. */
const NO_SIMULATORS: DemoSimulators = { carecloudTarget: { workspaceId: '', bucketId: '' }, close: async () => undefined };

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // A bug that leaves a promise unhandled must never take every request in flight down with it.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection (kept serving)'));
  // Listen for signals before anything starts: until a listener exists, a signal kills the process outright.
  // One that comes before the gateway is up has nothing in flight to wait for.
  const shutdown: { stop?: (signal: NodeJS.Signals) => void } = {};
  const onSignal = (signal: NodeJS.Signals) => (shutdown.stop ? shutdown.stop(signal) : process.exit(0));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
    ...options,
  });
  // The demo shows live cache invalidation: with no secret of its own, the gateway subscribes to the Generic
  // simulator and trusts the secret it issues. A configured secret means someone else subscribed it.
  const webhookUrl =
    sims.generic && config.generic.webhookSecrets.length === 0 ? subscribeToSimulator(sims.generic, gateway.url, gateway.genericWebhooks) : undefined;

  console.log(`GraphQL gateway ready at ${gateway.url}`);
  if (config.auth.mode === 'open') {
    console.log('  Auth:         open local mode: anonymous callers may do anything (loopback only; set API_KEYS_FILE or JWT_* to require credentials)');
  } else {
    const ways = [config.auth.apiKeys.length > 0 || config.auth.jwt === undefined ? `${config.auth.apiKeys.length} API key(s)` : '', config.auth.jwt ? 'JWTs' : ''];
    console.log(`  Auth:         required (${ways.filter(Boolean).join(' and ')})`);
  }
  console.log(
    config.sandbox
      ? `  Sandbox:      open ${gateway.url} in a browser (${config.sandbox === 'apollo' ? "Apollo Sandbox, from Apollo's CDN" : 'GraphiQL, served by the gateway'})`
      : '  Sandbox:      off (GRAPHQL_SANDBOX=true turns it on)',
  );
  console.log(`  Shared state: ${redis ? 'Redis (rate budgets, client limits, response cache, APQ, webhook ids)' : 'in this process'}`);
  if (config.metricsEnabled) console.log(`  Metrics:      ${new URL('/metrics', gateway.url).toString()}`);
  console.log(`  Webhooks:     ${webhookUrl ? `${webhookUrl} (subscribed to the Generic simulator)` : new URL(GENERIC_WEBHOOK_PATH, gateway.url).toString()}`);
  for (const [vendor, mode] of Object.entries(options.modes ?? {})) {
    const target = options[vendor as keyof typeof options] as { baseUrl?: string } | undefined;
    console.log(`  ${vendor.padEnd(10)} ${mode === 'LIVE' ? 'live' : 'simulator'} at ${target?.baseUrl ?? '?'}`);
  }

  // Drain first (requests in flight still need the simulators and Redis), then close what they used.
  let stopping = false;
  shutdown.stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining (up to ${config.shutdownGraceMs} ms for requests in flight)`);
    void gateway
      .close()
      .then(() => shared?.stop())
      .then(() => Promise.all([sims.close(), redis?.quit()]))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`configuration error:\n${error.message}`);
  else if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    console.error(`port ${process.env.PORT ?? '4000'} is in use: set PORT to a free port (PORT=0 picks one)`);
  } else console.error(error);
  process.exit(1);
});
