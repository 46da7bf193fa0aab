import { badInput } from "../errors.js";
import { fromGlobalId } from "../global-id.js";
import { typeRefusal } from "../scopes.js";
import { loadNode, loadUser } from "./lookup.js";
const MAX_NODES = 100;
/**
 * Lookups by global id. Lists live in queries/, one file per entity. `node` and `nodes` return the Node
 * interface, so the scopes of the type each id names are checked here, before its lookup.
 */
export const nodeQueries = {
    node: (_parent, { id }, context, info) => {
        const decoded = fromGlobalId(id);
        const refusal = typeRefusal(info.schema, context.principal, decoded.type);
        if (refusal)
            throw refusal;
        return loadNode(decoded, context);
    },
    nodes: (_parent, { ids }, context, info) => {
        if (ids.length > MAX_NODES)
            throw badInput(`at most ${MAX_NODES} ids at once, got ${ids.length}`, { argument: 'ids' });
        // Decode all first so one malformed id fails the field before any upstream call is made.
        const decoded = ids.map((id) => fromGlobalId(id));
        // A list of promises, not Promise.all: one failed lookup or refused type nulls its own item, not the whole
        // list. codegen's item wrapper cannot say that an item's promise may resolve to null, hence the cast.
        return decoded.map((id) => {
            const refusal = typeRefusal(info.schema, context.principal, id.type);
            return refusal ? Promise.reject(refusal) : loadNode(id, context);
        });
    },
    user: (_parent, { id }, context) => loadUser(fromGlobalId(id, 'User'), context),
};
//# sourceMappingURL=Query.js.map