import { offsetConnection, scopeOf } from "../../connection.js";
import { badInput } from "../../errors.js";
import { fromGlobalId } from "../../global-id.js";
function clientFilter(input) {
    if (!input)
        return {};
    const staff = input.staffId ? fromGlobalId(input.staffId, 'User') : undefined;
    if (staff && staff.vendor !== 'CASEWARE')
        throw badInput('filter.staffId must be a Caseware user', { argument: 'filter' });
    return {
        ...(input.name ? { name: input.name } : {}),
        ...(input.entityType ? { entityType: input.entityType } : {}),
        ...(staff ? { staffId: staff.id } : {}),
    };
}
export const clientQueries = {
    client: (_parent, { id }, context) => {
        const decoded = fromGlobalId(id, 'Client');
        return decoded.vendor === 'CASEWARE' ? context.loaders.casewareClient.load(decoded.id) : null;
    },
    clients: (_parent, args, context) => {
        const filter = clientFilter(args.filter);
        const source = context.vendors.caseware.clients(filter, context.call);
        return offsetConnection(source, args, context.vendors.cursors, scopeOf('clients', filter));
    },
};
//# sourceMappingURL=clients.js.map