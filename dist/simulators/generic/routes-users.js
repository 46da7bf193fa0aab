/** Reading users: `page`/`limit` lists in (lastName, firstName, id) order, `ids=` look-ups and single users. */
import { GENERIC_LIST_LIMITS } from "../../vendors/generic/wire.js";
import { fail } from "./answers.js";
import { compareGenericUsers } from "./seed.js";
export function userReads(store) {
    function listUsers(req) {
        const ids = req.query.get('ids');
        if (ids !== null)
            return usersByIds(ids);
        const page = intParam(req.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
        if ('error' in page)
            return page.error;
        const limit = intParam(req.query, 'limit', GENERIC_LIST_LIMITS.defaultLimit, 1, GENERIC_LIST_LIMITS.maxLimit);
        if ('error' in limit)
            return limit.error;
        const sorted = [...store.users].sort(compareGenericUsers);
        const start = (page.value - 1) * limit.value;
        const body = {
            data: sorted.slice(start, start + limit.value),
            meta: {
                currentPage: page.value,
                totalPages: Math.ceil(sorted.length / limit.value),
                totalItems: sorted.length,
                itemsPerPage: limit.value,
            },
        };
        return { status: 200, body };
    }
    function usersByIds(raw) {
        const ids = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
        if (ids.length === 0 || ids.length > GENERIC_LIST_LIMITS.maxIds) {
            return fail(400, 'INVALID_INPUT', `ids takes 1 to ${GENERIC_LIST_LIMITS.maxIds} comma-separated ids`, {
                field: 'ids',
                value: raw,
            });
        }
        const byId = new Map(store.users.map((u) => [u.id, u]));
        const data = ids.flatMap((id) => byId.get(id) ?? []);
        const body = {
            data,
            meta: { currentPage: 1, totalPages: 1, totalItems: data.length, itemsPerPage: ids.length },
        };
        return { status: 200, body };
    }
    function oneUser(id) {
        const user = store.users.find((u) => u.id === id);
        if (!user)
            return fail(404, 'NOT_FOUND', `no user with id ${id}`, { field: 'id', value: id });
        return { status: 200, body: user };
    }
    return { listUsers, oneUser };
}
function intParam(query, field, fallback, min, max) {
    const raw = query.get(field);
    if (raw === null)
        return { value: fallback };
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `an integer from ${min}` : `an integer from ${min} to ${max}`;
        return { error: fail(400, 'INVALID_INPUT', `${field} must be ${range}`, { field, value: raw }) };
    }
    return { value };
}
//# sourceMappingURL=routes-users.js.map