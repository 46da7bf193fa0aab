import { displayName } from "../../../domain/user.js";
import { scopeOf } from "../../connection.js";
import { badInput } from "../../errors.js";
import { mergedConnection } from "../../merged-connection.js";
import { sortedSource } from "../../sorted-source.js";
/** The merged order: last name, first name (by code unit, as the vendors sort), then vendor and id. */
export function compareUsers(a, b) {
    const keys = (u) => [u.lastName ?? '', u.firstName ?? '', u.vendor, u.vendorId];
    const [ka, kb] = [keys(a), keys(b)];
    for (let i = 0; i < ka.length; i += 1) {
        const x = ka[i] ?? '';
        const y = kb[i] ?? '';
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return 0;
}
const USER_VENDORS = ['CAREHQ', 'CASEWARE', 'GENERIC'];
function userSource(vendor, context) {
    const { vendors, call } = context;
    switch (vendor) {
        // CareHQ sorts by one field only, so its (staff-sized) list is sorted here.
        case 'CAREHQ':
            return sortedSource(vendors.carehq.users(call), compareUsers);
        // Caseware and the Generic API already list users by last name, first name, id.
        case 'CASEWARE':
            return vendors.caseware.users(call);
        case 'GENERIC':
            return vendors.generic.users(call);
    }
}
function accept(filter) {
    const search = filter?.search?.trim().toLowerCase();
    const active = filter?.active;
    if (!search && (active === null || active === undefined))
        return undefined;
    return (user) => (!search || `${displayName(user)} ${user.email ?? ''}`.toLowerCase().includes(search)) &&
        (active === null || active === undefined || user.active === null || user.active === active);
}
export const userQueries = {
    users: (_parent, args, context) => {
        const asked = args.vendors ?? USER_VENDORS;
        const unknown = asked.filter((v) => !USER_VENDORS.includes(v));
        if (unknown.length > 0) {
            throw badInput(`vendors without users: ${unknown.join(', ')}; users come from ${USER_VENDORS.join(', ')}`, { argument: 'vendors' });
        }
        const chosen = USER_VENDORS.filter((v) => asked.includes(v));
        const streams = chosen.map((vendor) => ({ key: vendor, source: userSource(vendor, context) }));
        const filter = accept(args.filter);
        const scope = scopeOf('users', { vendors: chosen, filter: args.filter ?? null });
        return mergedConnection(streams, args, context.vendors.cursors, scope, { compare: compareUsers, ...(filter ? { accept: filter } : {}) });
    },
    viewer: (_parent, _args, context) => context.vendors.generic.viewer(context.call),
};
//# sourceMappingURL=users.js.map