/**
 * One log line per GraphQL request, once its response is ready: which operation, who sent it (the client
 * application's name and version, and the authenticated caller), how long it took, how many vendor calls it
 * made and which error codes it answered. The line carries the request id like every other line of a request.
 * Requests refused before Apollo runs them (401, a client over its limit, a body too large or not JSON, a
 * request blocked as CSRF) get the same line from `refusalLog`, with no operation, caller or vendor call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../graphql/context.ts';
import { clientNameOf } from './client-name.ts';
import { requestIdOf } from './request-id.ts';

export function accessLog(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ request }) {
      // Below info (LOG_LEVEL=warn, say) the line would be dropped: build nothing for it.
      if (!logger.isLevelEnabled('info')) return {};
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response, contextValue }) {
          const client = clientNameOf(request.http?.headers);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (response.body.initialResult.errors ?? []);
          const codes = [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? request.operationName ?? null,
              operationType: operation?.operation ?? null,
              clientName: client.name ?? null,
              clientVersion: client.version ?? null,
              // The caller as authenticated: an API key's name or `jwt:<sub>`, never the key itself.
              principal: contextValue.principal.id,
              durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
              // Attempts sent to vendors, retries included; cache hits and shared in-flight reads cost none.
              upstreamCalls: contextValue.call.budget?.spent ?? 0,
              status: response.http.status ?? 200,
              errorCodes: codes,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

/** Requests whose GraphQL context was made: Apollo runs them, and the plugin above writes their line. */
const reachedApollo = new WeakSet<IncomingMessage>();

/** Marks `req` as run by Apollo (its context was made), so `refusalLog` leaves its line to the plugin. */
export function ranByApollo(req: IncomingMessage): void {
  reachedApollo.add(req);
}

/**
 * The code each refusal before Apollo answers with (http.ts, client-limits.ts, auth/guards.ts, Apollo's own
 * CSRF check): one per status in this gateway.
 */
const REFUSAL_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  413: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_SERVER_ERROR',
};

/**
 * For http.ts to call on each GraphQL request as it arrives: once its answer is sent, a request Apollo never
 * ran that was refused (4xx/5xx) gets its access line here.
 */
export function refusalLog(logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (!logger.isLevelEnabled('info')) return;
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      if (reachedApollo.has(req) || res.statusCode < 400) return;
      const headers = new HeaderMap();
      for (const name of ['apollographql-client-name', 'apollographql-client-version']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const client = clientNameOf(headers);
      logger.info(
        {
          requestId: requestIdOf(req),
          operationName: null,
          operationType: null,
          clientName: client.name ?? null,
          clientVersion: client.version ?? null,
          principal: null,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          upstreamCalls: 0,
          status: res.statusCode,
          errorCodes: [REFUSAL_CODES[res.statusCode] ?? 'BAD_REQUEST'],
        },
        'graphql request',
      );
    });
  };
}
