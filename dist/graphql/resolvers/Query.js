import { badInput } from "../errors.js";
import { fromGlobalId } from "../global-id.js";
import { loadNode, loadUser } from "./lookup.js";
const MAX_NODES = 100;
/** Lookups by global id. Lists live in queries/, one file per entity. */
export const nodeQueries = {
    node: (_parent, { id }, context) => loadNode(fromGlobalId(id), context),
    nodes: (_parent, { ids }, context) => {
        if (ids.length > MAX_NODES)
            throw badInput(`at most ${MAX_NODES} ids at once, got ${ids.length}`, { argument: 'ids' });
        // Decode all first so one malformed id fails the field before any upstream call is made.
        const decoded = ids.map((id) => fromGlobalId(id));
        // A list of promises, not Promise.all: one failed lookup nulls its own item, not the whole list.
        // codegen's item wrapper cannot say that an item's promise may resolve to null, hence the cast.
        return decoded.map((id) => loadNode(id, context));
    },
    user: (_parent, { id }, context) => loadUser(fromGlobalId(id, 'User'), context),
};
//# sourceMappingURL=Query.js.map