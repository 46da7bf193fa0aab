/**
 * How a refused caller is answered, on `/graphql` and on plain routes: 401 with `WWW-Authenticate: Bearer`
 * for missing or bad credentials, 403 for a principal without the scope a route needs. Both bodies are
 * GraphQL-shaped (`{"errors": [{"message", "extensions": {"code"}}]}`) so that a client reads one shape.
 * Nothing here echoes what the caller sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Principal, Scope } from '../../domain/access.ts';
import type { RouteHandler } from '../http.ts';
import { errorBody } from '../error-body.ts';
import { requestIdOf } from '../request-id.ts';
import { AuthenticationError } from './authentication-error.ts';

/** RFC 6750 3: name the scheme, and say `invalid_token` only when a credential was presented. */
function challenge(error: AuthenticationError): string {
  return error.problem === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"';
}

/**
 * For the GraphQL context: an AuthenticationError becomes a GraphQLError that Apollo answers with HTTP 401
 * (from `extensions.http`, which Apollo strips from the body) before the operation is parsed or run.
 * Anything else is rethrown as it was.
 */
export function rejectUnauthenticated(error: unknown, requestId: string): never {
  if (!(error instanceof AuthenticationError)) throw error;
  throw new GraphQLError(error.message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      // Thrown before Apollo's request plugins run, so no plugin can tag it with the id (request-id.ts).
      requestId,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge(error)]]) },
    },
  });
}

/** A route that needs `scope`: 401 without good credentials, 403 without the scope, else `route` runs. */
export function requireScope(scope: Scope, principalFor: (req: IncomingMessage) => Promise<Principal>, route: RouteHandler): RouteHandler {
  return async (req, res, url) => {
    let caller: Principal;
    try {
      caller = await principalFor(req);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      refuse(req, res, 401, { 'www-authenticate': challenge(error) }, error.message, 'UNAUTHENTICATED');
      return;
    }
    if (!caller.can(scope)) {
      refuse(req, res, 403, { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` }, `missing scope ${scope}`, 'FORBIDDEN');
      return;
    }
    await route(req, res, url);
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, message: string, code: string): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(errorBody(message, { code }, requestIdOf(req))));
}
