/**
 * Composition root: config -> vendors (real, or simulated when unconfigured) -> server. Nothing else.
 */
import { ConfigError, loadConfig, loadDotEnv } from './config.ts';
import { createLogger } from './server/logger.ts';
import { GENERIC_WEBHOOK_PATH, subscribeToSimulator } from './server/webhook-routes.ts';
import type { SimulatedVendor } from './simulators/demo.ts';
import { demoAccess } from './simulators/demo-access.ts';
import { startConfigured } from './start-configured.ts';

async function main(): Promise<void> {
  const dotEnv = loadDotEnv();
  if (dotEnv.kind === 'unsupported') console.error(`${dotEnv.path} was not read: loading it needs Node 20.12 or later (this is ${process.version})`);
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
  // Loaded only when configured: an untraced gateway never uses the OpenTelemetry SDK or its OTLP exporter
  // (loading them cost it 2 MiB of heap at start, and more of resident memory).
  const tracing = config.tracing ? (await import('./server/tracing.ts')).createTracing(config.tracing) : undefined;
  const { gateway, sims, options, redis, shared } = await startConfigured(config, logger, tracing);

  // The demo shows live cache invalidation: with no secret of its own, the gateway subscribes to the Generic
  // simulator and trusts the secret it issues. A configured secret means someone else subscribed it.
  const webhookUrl =
    sims.generic && config.generic.webhookSecrets.length === 0 ? subscribeToSimulator(sims.generic, gateway.url, gateway.genericWebhooks) : undefined;

  console.log(`GraphQL gateway ready at ${gateway.url}`);
  if (dotEnv.kind === 'loaded') console.log(`  Env file:     ${dotEnv.path} (variables set in the environment win over it)`);
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
  console.log(`  Shared state: ${redis ? 'Redis (rate budgets, client limits, response cache, APQ, webhook ids, live events)' : 'in this process'}`);
  console.log(`  Live events:  subscription vendorEvents over graphql-ws at ${gateway.url.replace(/^http/, 'ws')}`);
  if (config.metricsEnabled) console.log(`  Metrics:      ${new URL('/metrics', gateway.url).toString()}`);
  console.log(`  Tracing:      ${config.tracing ? `OTLP to ${withoutCredentials(config.tracing.url)} as ${config.tracing.serviceName}` : 'off (OTEL_EXPORTER_OTLP_ENDPOINT turns it on)'}`);
  console.log(`  Webhooks:     ${webhookUrl ? `${webhookUrl} (subscribed to the Generic simulator)` : new URL(GENERIC_WEBHOOK_PATH, gateway.url).toString()}`);
  const access = demoAccess(sims);
  for (const [vendor, mode] of Object.entries(options.modes ?? {})) {
    const target = options[vendor as keyof typeof options] as { baseUrl?: string } | undefined;
    console.log(`  ${vendor.padEnd(10)} ${mode === 'LIVE' ? 'live' : 'simulator'} at ${target?.baseUrl ?? '?'}`);
    for (const line of access[vendor as SimulatedVendor] ?? []) console.log(`  ${''.padEnd(10)} ${line}`);
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
      .then(() => tracing?.shutdown())
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

/** A URL as it may be printed: user and password (some collectors take them there) left out. */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`configuration error:\n${error.message}`);
  else if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    // Node names the port it could not take; config.ts stays the only reader of the environment.
    console.error(`port ${String((error as { port?: unknown }).port ?? 'PORT')} is in use: set PORT to a free port (PORT=0 picks one)`);
  } else console.error(error);
  process.exit(1);
});
