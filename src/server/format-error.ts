/**
 * Apollo's last look at each error before it leaves. Upstream and unknown errors go through
 * graphql/errors.ts; nothing internal (stack, vendor body, secret) survives. A masked internal error carries
 * the request id, and its log line too, so the two can be matched. Refusals by the query limits get their
 * own code back (limits.ts). With `hideSuggestions` (production), no message hints at field or type names
 * the client did not send: validation and variable errors alike lose their "Did you mean ...?".
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { isUpstreamError } from '../upstream/errors.ts';
import { ErrorCode, isGraphQLError, toGraphQLError } from '../graphql/errors.ts';
import { limitError } from './limits.ts';
import { currentRequestId } from './request-id.ts';

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
    const limited = limitError(formatted, error);
    if (limited) return limited;
    const original = unwrapResolverError(error);
    // Errors Apollo made itself (parse, validation, bad variables) are already safe and well coded.
    if (isGraphQLError(original) && original.extensions?.code) return formatted;
    const requestId = currentRequestId();
    if (!isUpstreamError(original) && !isGraphQLError(original)) {
      logger.error({ err: original, path: formatted.path, requestId }, 'resolver failed');
    }
    const safe = toGraphQLError(original);
    const extensions = { ...safe.extensions, ...(safe.extensions.code === ErrorCode.INTERNAL_SERVER_ERROR && requestId ? { requestId } : {}) };
    return { message: safe.message, locations: formatted.locations, path: formatted.path, extensions };
  };
}

/** graphql-js ends such messages with its guesses: `... Did you mean "search"?`, `... Did you mean the enum value "PRIVATE"?`. */
function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/ ?Did you mean .*\?$/s, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}
