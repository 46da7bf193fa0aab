import { unwrapResolverError } from '@apollo/server/errors';
import { isUpstreamError } from "../upstream/errors.js";
import { ErrorCode, isGraphQLError, toGraphQLError } from "../graphql/errors.js";
import { limitError } from "./limits.js";
import { currentRequestId } from "./request-id.js";
export function formatError(logger, options = {}) {
    const format = formatSafely(logger);
    if (!options.hideSuggestions)
        return format;
    return (formatted, error) => withoutSuggestions(format(formatted, error));
}
function formatSafely(logger) {
    return (formatted, error) => {
        const limited = limitError(formatted, error);
        if (limited)
            return limited;
        const original = unwrapResolverError(error);
        // Errors Apollo made itself (parse, validation, bad variables) are already safe and well coded.
        if (isGraphQLError(original) && original.extensions?.code)
            return formatted;
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
function withoutSuggestions(formatted) {
    const message = formatted.message.replace(/ ?Did you mean .*\?$/s, '');
    return message === formatted.message ? formatted : { ...formatted, message };
}
//# sourceMappingURL=format-error.js.map