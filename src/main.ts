/**
 * Composition root: config -> vendors (real or simulated) -> server. Nothing else happens here.
 */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './server/logger.ts';
import { startGateway } from './server/gateway.ts';
import { startCareHqSimulator } from './simulators/carehq/server.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const closers: Array<() => Promise<void>> = [];

  let carehq;
  if (config.carehq.target.mode === 'live') {
    carehq = { baseUrl: config.carehq.target.baseUrl, credentials: config.carehq.target.credentials };
  } else {
    const sim = await startCareHqSimulator();
    closers.push(() => sim.close());
    carehq = { baseUrl: sim.baseUrl, credentials: sim.credentials };
  }

  const gateway = await startGateway({
    port: config.port,
    host: config.host,
    logger,
    requestTimeoutMs: config.requestTimeoutMs,
    cursorSecret: config.cursorSecret,
    carehq: { ...carehq, requestsPerSecond: config.carehq.requestsPerSecond, cacheTtlMs: config.cacheTtlMs },
    core: { timeoutMs: config.upstreamTimeoutMs },
  });
  closers.unshift(() => gateway.close());

  console.log(`GraphQL gateway ready at ${gateway.url}`);
  console.log(`  Sandbox: open ${gateway.url} in a browser`);
  console.log(`  CareHQ:  ${config.carehq.target.mode === 'live' ? config.carehq.target.baseUrl : `simulator at ${carehq.baseUrl}`}`);

  const stop = () => {
    void Promise.all(closers.map((close) => close())).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error:\n${error.message}` : error);
  process.exit(1);
});
