/**
 * Subscriptions over `graphql-ws` on `/graphql`, the protocol Apollo Router speaks to subgraphs (and browsers
 * through graphql-ws's client). Queries and mutations stay on HTTP, where the per-client request limits live: a
 * websocket serves subscription operations only, under the same parse, validation and cost limits as HTTP.
 *
 * - Auth happens once, on `connection_init`: the credential comes from its payload (`x-api-key`, or
 *   `authorization: Bearer ...`; a browser cannot set websocket headers) or else from the upgrade request's
 *   headers (a router forwarding the client's). Refused: close 4401. Each subscription then needs the read
 *   scope of its entity type (checked by the resolver).
 * - A browser page may open one only from an origin CORS allows (cross-site websocket hijacking).
 * - Every event runs with a fresh context: fresh DataLoaders (nothing cached for the life of a subscription)
 *   and a fresh deadline for the vendor calls it makes.
 * - A subscriber that falls behind is closed with SLOW_CONSUMER_CLOSE_CODE; a drain closes all with 1001.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../domain/access.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { ErrorCode } from '../graphql/errors.ts';
import { AuthenticationError } from './auth/authentication-error.ts';
import { presentedCredential } from './auth/principal.ts';
import { formatError } from './format-error.ts';
import { requestPath } from './http.ts';
import type { QueryLimits } from './limits.ts';

/** A subscriber whose queue overflowed (see LiveEvents' maxQueuedEvents); the reason says so. */
export const SLOW_CONSUMER_CLOSE_CODE = 4100;

export interface LiveServerOptions {
  readonly server: Server;
  readonly schema: GraphQLSchema;
  /** Where subscriptions are served. Default `/graphql`. */
  readonly path?: string;
  readonly checkCredential: (credential: string | undefined) => Promise<Principal>;
  /** A context for `principal`; called once per subscription and again for each event it delivers. */
  readonly contextFor: (principal: Principal, dropSlowConsumer: () => void) => Promise<GraphQLContext> | GraphQLContext;
  /** Whether a browser page on this origin may open a socket (requests without `Origin` are not browsers). */
  readonly originAllowed: (origin: string) => boolean;
  readonly limits: Pick<QueryLimits, 'parseOptions' | 'validationRules' | 'check'>;
  /** Largest message accepted, bytes. */
  readonly maxPayloadBytes: number;
  /** Open sockets this replica holds at once; past it an upgrade is answered 503. Default 5000. */
  readonly maxConnections?: number;
  readonly logger: Logger;
  readonly production: boolean;
}

export interface LiveServer {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>;
  /** Cuts whatever is still open after a drain's grace period. */
  terminate(): void;
}

export function startLiveServer(options: LiveServerOptions): LiveServer {
  const path = options.path ?? '/graphql';
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const principals = new WeakMap<WebSocket, Principal>();
  /** The subscribe-time context of each operation -> how to make a fresh one for each of its events. */
  const refresh = new WeakMap<object, () => Promise<GraphQLContext> | GraphQLContext>();
  const format = formatError(options.logger, { hideSuggestions: options.production });
  let accepting = true;
  const maxConnections = options.maxConnections ?? 5000;

  options.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${message}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (requestPath(req, new URL(req.url ?? '/', 'http://gateway.local')) !== path) return refuse(404, 'Not Found');
    if (!accepting || wss.clients.size >= maxConnections) return refuse(503, 'Service Unavailable');
    const origin = req.headers.origin;
    if (origin !== undefined && !options.originAllowed(origin)) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const server = useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>(
    {
      isProd: options.production,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const headers: Record<string, string | undefined> = {};
        for (const [key, value] of Object.entries(params)) if (typeof value === 'string') headers[key.toLowerCase()] = value;
        const credential = presentedCredential({ headers }) ?? presentedCredential(ctx.extra.request);
        try {
          principals.set(ctx.extra.socket, await options.checkCredential(credential));
          return true;
        } catch (error) {
          if (error instanceof AuthenticationError) {
            // A close reason may hold at most 123 bytes.
            ctx.extra.socket.close(CloseCode.Unauthorized, `Unauthorized: ${error.message}`.slice(0, 120));
          } else {
            // A JWKS that cannot be fetched, say: the caller is not at fault, and learns nothing of ours.
            options.logger.error({ err: error }, 'websocket authentication failed');
            ctx.extra.socket.close(CloseCode.InternalServerError, 'Internal server error');
          }
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const principal = principals.get(ctx.extra.socket);
        if (!principal) return [new GraphQLError('not authenticated', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        let document;
        try {
          document = parse(payload.query, options.limits.parseOptions);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('the operation could not be parsed')];
        }
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError('only subscriptions are served over websockets: send queries and mutations with POST /graphql', {
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            }),
          ];
        }
        const errors = validate(options.schema, document, [...specifiedRules, ...options.limits.validationRules]);
        if (errors.length > 0) return errors;
        try {
          // Each event runs the selection again, so a costly one is refused up front as over HTTP.
          options.limits.check(options.schema, document, operation, payload.variables);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('the operation could not be checked')];
        }
        const socket = ctx.extra.socket;
        const drop = () => {
          options.logger.warn({ client: principal.id }, 'live events: slow subscriber dropped');
          socket.close(SLOW_CONSUMER_CLOSE_CODE, 'Slow consumer: too many events waiting to be sent');
        };
        const fresh = () => options.contextFor(principal, drop);
        const contextValue = await fresh();
        refresh.set(contextValue, fresh);
        return { schema: options.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      subscribe: (args) => subscribeWithFreshContexts(args, refresh),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return result;
        return { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) };
      },
    },
    wss,
  );

  return {
    close: async () => {
      accepting = false;
      await server.dispose();
    },
    terminate: () => {
      for (const client of wss.clients) client.terminate();
    },
  };
}

/**
 * graphql-js's `subscribe`, except that each event is executed with a context of its own (graphql-js reuses
 * the subscription's for every event, so its DataLoaders would cache without bound and its deadline would
 * pass). `return()` reaches the source at once, even while it waits for an event.
 */
async function subscribeWithFreshContexts(
  args: ExecutionArgs,
  refresh: WeakMap<object, () => Promise<GraphQLContext> | GraphQLContext>,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const events = source[Symbol.asyncIterator]();
  const fresh = refresh.get(args.contextValue as object);
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const step = await events.next();
      if (step.done) return { value: undefined, done: true };
      const contextValue = fresh ? await fresh() : args.contextValue;
      return { value: await execute({ ...args, rootValue: step.value, contextValue }), done: false };
    },
    return: async () => {
      await events.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
