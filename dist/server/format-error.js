import { unwrapResolverError } from '@apollo/server/errors';
import { isUpstreamError } from "../upstream/errors.js";
import { isGraphQLError, toGraphQLError } from "../graphql/errors.js";
export function formatError(logger) {
    return (formatted, error) => {
        const original = unwrapResolverError(error);
        // Errors Apollo made itself (parse, validation, bad variables) are already safe and well coded.
        if (isGraphQLError(original) && original.extensions?.code)
            return formatted;
        if (!isUpstreamError(original) && !isGraphQLError(original)) {
            logger.error({ err: original, path: formatted.path }, 'resolver failed');
        }
        const safe = toGraphQLError(original);
        return { message: safe.message, locations: formatted.locations, path: formatted.path, extensions: { ...safe.extensions } };
    };
}
//# sourceMappingURL=format-error.js.map