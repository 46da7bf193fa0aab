/**
 * The bench's comparison of HTTP layers (issue 7: the hand-written node:http server was to go unless fastify
 * lost requests per second; it went). One process, one gateway, two front doors:
 * - the gateway exactly as `node dist/main.js` starts it (src/start-configured.ts), on its fastify front door
 *   (src/server/http.ts);
 * - the same ApolloServer, context function, client gate, CORS, request ids (async-local) and body cap on a
 *   plain node:http server with no routes but `/graphql`: what the hand-written server did for a GraphQL
 *   request, kept here as the peer that shows what fastify costs.
 * Both serve from the same process, so the only difference between them is the HTTP layer. Run with the
 * gateway's environment; prints `BENCH_FRONTS {"node":"<url>","fastify":"<url>"}` once both listen.
 */
import { createServer } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { loadConfig } from '../src/config.ts';
import { listen, readBytes } from '../src/server/http.ts';
import { createLogger } from '../src/server/logger.ts';
import { requestIdOf } from '../src/server/request-id.ts';
import { startConfigured } from '../src/start-configured.ts';

export const FRONTS_READY = /BENCH_FRONTS (\{.*\})/;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { gateway } = await startConfigured(config, logger);
  const { front } = gateway;

  const server = createServer((req, res) => {
    res.setHeader('x-request-id', requestIdOf(req));
    void (async () => {
      if (front.cors?.(req, res)) return;
      if (front.admit && !(await front.admit(req, res))) return;
      const bytes = await readBytes(req, front.maxBodyBytes);
      if (bytes === undefined) return void res.writeHead(413).end();
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const text = bytes.toString('utf8');
      const url = new URL(req.url ?? '/', 'http://bench.local');
      const result = await front.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: text.length > 0 ? (JSON.parse(text) as unknown) : text },
        context: () => front.context(req),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') return void res.end(result.body.string);
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const address = await listen(server, 0, '127.0.0.1');

  console.log(`BENCH_FRONTS ${JSON.stringify({ node: `http://127.0.0.1:${address.port}/graphql`, fastify: gateway.url })}`);
  const stop = () => void new Promise((resolve) => server.close(resolve)).then(() => gateway.close()).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
