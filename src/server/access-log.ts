/**
 * One log line per GraphQL request, once its response is ready: which operation, who sent it (the client
 * application's name and version, and the authenticated caller), how long it took, how many vendor calls it
 * made and which error codes it answered. The line carries the request id like every other (logger.ts).
 * Requests refused before Apollo runs (401, a client over its limit, a body too large) have no operation
 * and are not in it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../graphql/context.ts';
import { clientNameOf } from './client-name.ts';

export function accessLog(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response, contextValue }) {
          const client = clientNameOf(request.http?.headers);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (response.body.initialResult.errors ?? []);
          const codes = [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info(
            {
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
