/**
 * The bench's comparison of HTTP layers (issue 7: keep the hand-written node:http server only if fastify
 * loses requests per second). One process, one gateway, two front doors:
 * - the gateway exactly as `node dist/main.js` starts it (src/start-configured.ts), on its own node:http
 *   server (src/server/http.ts);
 * - the same ApolloServer, context function, client gate, request ids (async-local, as http.ts keeps them) and
 *   CORS origins, served by fastify with @as-integrations/fastify and @fastify/cors, with the same body limit.
 * Both serve from the same process, so the only difference between them is the HTTP layer. Run with the
 * gateway's environment; prints `BENCH_FRONTS {"node":"<url>","fastify":"<url>"}` once both listen.
 */
import fastifyApollo from '@as-integrations/fastify';
import fastifyCors from '@fastify/cors';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_S } from '../src/server/cors.ts';
import { createLogger } from '../src/server/logger.ts';
import { requestIdOf, withRequestId } from '../src/server/request-id.ts';
import { startConfigured } from '../src/start-configured.ts';

export const FRONTS_READY = /BENCH_FRONTS (\{.*\})/;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { gateway } = await startConfigured(config, logger);
  const { front } = gateway;

  const app = Fastify({ bodyLimit: front.maxBodyBytes, logger: false });
  await app.register(fastifyCors, {
    origin: config.corsOrigins ? [...config.corsOrigins] : false,
    methods: CORS_ALLOW_METHODS,
    allowedHeaders: CORS_ALLOW_HEADERS,
    exposedHeaders: CORS_EXPOSE_HEADERS,
    maxAge: CORS_MAX_AGE_S,
  });
  // As the node:http server does: the request id in the answer, and current (async-local) for the rest of
  // the request's handling, where masked errors and log lines read it.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', requestIdOf(request.raw));
    withRequestId(request.raw, done);
  });
  // The same client gate as the node:http server runs; when it answers (429) itself, fastify stays out.
  app.addHook('preHandler', async (request, reply) => {
    if (front.admit && !(await front.admit(request.raw, reply.raw))) reply.hijack();
  });
  await app.register(fastifyApollo(front.apollo), { path: '/graphql', context: async (request) => front.context(request.raw) });
  const fastifyUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  console.log(`BENCH_FRONTS ${JSON.stringify({ node: gateway.url, fastify: `${fastifyUrl}/graphql` })}`);
  const stop = () => void app.close().then(() => gateway.close()).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
