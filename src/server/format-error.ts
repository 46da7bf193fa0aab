/**
 * Apollo's last look at each error before it leaves. Upstream and unknown errors go through
 * graphql/errors.ts; nothing internal (stack, vendor body, secret) survives. Refusals by the query limits
 * get their own code back (limits.ts).
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { isUpstreamError } from '../upstream/errors.ts';
import { isGraphQLError, toGraphQLError } from '../graphql/errors.ts';
import { limitError } from './limits.ts';

export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const limited = limitError(formatted, error);
    if (limited) return limited;
    const original = unwrapResolverError(error);
    // Errors Apollo made itself (parse, validation, bad variables) are already safe and well coded.
    if (isGraphQLError(original) && original.extensions?.code) return formatted;
    if (!isUpstreamError(original) && !isGraphQLError(original)) {
      logger.error({ err: original, path: formatted.path }, 'resolver failed');
    }
    const safe = toGraphQLError(original);
    return { message: safe.message, locations: formatted.locations, path: formatted.path, extensions: { ...safe.extensions } };
  };
}
