import { offsetConnection, scopeOf } from "../../connection.js";
import { badInput } from "../../errors.js";
import { fromGlobalId } from "../../global-id.js";
function leadQuery(changedSince, filter) {
    if (filter?.createdFrom && filter.createdTo && filter.createdFrom > filter.createdTo) {
        throw badInput('filter.createdFrom must not be after filter.createdTo', { argument: 'filter' });
    }
    return {
        ...(changedSince ? { changedSince } : {}),
        ...(filter?.createdFrom ? { createdFrom: filter.createdFrom } : {}),
        ...(filter?.createdTo ? { createdTo: filter.createdTo } : {}),
    };
}
export const leadQueries = {
    lead: (_parent, { id }, context) => {
        const decoded = fromGlobalId(id, 'Lead');
        return decoded.vendor === 'CLINICEA' ? context.loaders.cliniceaLead.load(decoded.id) : null;
    },
    leads: async (_parent, args, context) => {
        // Taken before any page is read, so a change made during the read is caught by the next sync.
        const syncedAt = new Date();
        const query = leadQuery(args.changedSince, args.filter);
        const source = context.vendors.clinicea.leads(query, context.call);
        const connection = await offsetConnection(source, args, context.vendors.cursors, scopeOf('leads', query));
        return { ...connection, syncedAt };
    },
};
//# sourceMappingURL=leads.js.map