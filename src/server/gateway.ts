/**
 * Builds the running gateway from resolved options: upstream core, vendor sources, schema, Apollo and HTTP.
 * main.ts and the tests both start it through here, so tests exercise exactly what users run.
 */
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Logger } from 'pino';
import { CursorCodec } from '../graphql/connection.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { createLoaders } from '../graphql/loaders.ts';
import { buildSchema } from '../graphql/schema.ts';
import type { Vendors } from '../graphql/vendors.ts';
import { UpstreamCore, type UpstreamCoreOptions } from '../upstream/client.ts';
import type { Priority } from '../upstream/queue.ts';
import { CareHqSource, type CareHqOptions } from '../vendors/carehq/index.ts';
import { formatError } from './format-error.ts';
import { createHttpServer, listen } from './http.ts';

export interface GatewayOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  /** How long one GraphQL request may wait on upstream calls (queue included), ms. */
  readonly requestTimeoutMs: number;
  /** Signs cursors; random per process when absent. */
  readonly cursorSecret?: string;
  readonly carehq: CareHqOptions;
  readonly core?: Omit<UpstreamCoreOptions, 'logger'>;
}

export interface Gateway {
  readonly url: string;
  readonly vendors: Vendors;
  readonly core: UpstreamCore;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const core = new UpstreamCore({ ...options.core, logger: options.logger });
  const carehq = CareHqSource.create(core, options.carehq);
  const vendors: Vendors = {
    carehq,
    clients: [carehq.upstream],
    cursors: new CursorCodec(options.cursorSecret),
  };

  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(options.logger),
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true })],
  });
  await apollo.start();

  const context = (req: IncomingMessage): Promise<GraphQLContext> => {
    // Background jobs (syncs, exports) say so, and then yield the rate budget to interactive users.
    const priority: Priority = req.headers['x-priority'] === 'background' ? 'background' : 'interactive';
    const call = { priority, deadline: Date.now() + options.requestTimeoutMs };
    return Promise.resolve({ vendors, loaders: createLoaders(vendors, call), call, logger: options.logger });
  };

  const server = createHttpServer({
    apollo,
    context,
    maxBodyBytes: MAX_BODY_BYTES,
    routes: {
      '/health': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok' }));
      },
    },
  });
  const address = await listen(server, options.port, options.host);
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  return {
    url: `http://${host}:${address.port}/graphql`,
    vendors,
    core,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}
