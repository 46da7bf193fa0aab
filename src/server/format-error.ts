/**
 * Apollo's last look at each error before it leaves. Upstream and unknown errors go through
 * graphql/errors.ts; nothing internal (stack, vendor body, secret) survives. Every error carries the request
 * id in `extensions.requestId`; a masked internal error's log line carries it too, so the two can be matched.
 * Refusals by the query limits get their own code back (limits.ts). With `hideSuggestions` (production), no message hints at field or type names
 * the client did not send: validation and variable errors alike lose their "Did you mean ...?".
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { isUpstreamError } from '../upstream/errors.ts';
import { isGraphQLError, toGraphQLError } from '../graphql/errors.ts';
import { limitError } from './limits.ts';
import { requestIdOfError } from './request-id.ts';

export interface FormatErrorOptions {
  /** Strip "Did you mean ...?" from messages. Default false. */
  readonly hideSuggestions?: boolean;
}

export function formatError(logger: Logger, options: FormatErrorOptions = {}) {
  const format = formatSafely(logger);
  if (!options.hideSuggestions) return format;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => withoutSuggestions(format(formatted, error));
}

function formatSafely(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = requestIdOfError(error);
    const withId = (made: GraphQLFormattedError): GraphQLFormattedError =>
      requestId === undefined ? made : { ...made, extensions: { ...made.extensions, requestId } };
    const limited = limitError(formatted, error);
    if (limited) return withId(limited);
    const original = unwrapResolverError(error);
    // Errors Apollo made itself (parse, validation, bad variables) are already safe and well coded.
    if (isGraphQLError(original) && original.extensions?.code) return withId(formatted);
    if (!isUpstreamError(original) && !isGraphQLError(original)) {
      logger.error({ err: original, path: formatted.path, requestId }, 'resolver failed');
    }
    const safe = toGraphQLError(original);
    return withId({ message: safe.message, locations: formatted.locations, path: formatted.path, extensions: { ...safe.extensions } });
  };
}

/** graphql-js ends such messages with its guesses: `... Did you mean "search"?`, `... Did you mean the enum value "PRIVATE"?`. */
function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/ ?Did you mean .*\?$/s, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}
