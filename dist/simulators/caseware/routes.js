/**
 * Every route the Caseware simulator answers below `/{firm}/ms/caseware-cloud/api/v2`: the token endpoint, and
 * paged bare-array lists with `search` (./search.ts) plus single records by CWGuid.
 */
import { CASEWARE_PAGE_SIZE, } from "../../vendors/caseware/wire.js";
import { SimRouter } from "../http.js";
import { error } from "./answers.js";
import { compileSearch } from "./search.js";
const USER_SEARCH = {
    CWGuid: 'string',
    FirstName: 'string',
    LastName: 'string',
    MiddleName: 'nullable-string',
    Email: 'string',
    Title: 'nullable-string',
    UserName: 'string',
    OwnerType: 'string',
    Admin: 'boolean',
    CanLogin: 'boolean',
    Type: 'string',
    InActiveDate: 'nullable-string',
    CreatedDate: 'string',
    ModifiedDate: 'string',
};
const ENTITY_SEARCH = {
    CWGuid: 'string',
    Name: 'string',
    Number: 'string',
    EntityType: 'string',
    Email: 'nullable-string',
    Phone: 'nullable-string',
    Address: 'nullable-string',
    CreatedDate: 'string',
    ModifiedDate: 'string',
    StaffCWGuids: 'string-list',
};
const NAMED_SEARCH = {
    CWGuid: 'string',
    Name: 'string',
    Description: 'nullable-string',
};
export function casewareRouter(store, issueToken) {
    return new SimRouter()
        .on('POST', 'auth/token', (req) => issueToken(req))
        .on('GET', 'users', list(() => store.users, byUserName, USER_SEARCH))
        .on('GET', 'users/:guid', one(() => store.users, 'User not found'))
        .on('GET', 'entities', list(() => store.entities, byName, ENTITY_SEARCH))
        .on('GET', 'entities/:guid', one(() => store.entities, 'Entity not found'))
        .on('GET', 'groups', list(() => store.groups, byName, NAMED_SEARCH))
        .on('GET', 'roles', list(() => store.roles, byName, NAMED_SEARCH));
}
function list(records, order, schema) {
    return (req) => {
        const page = positiveInt(req.query.get('page'), 1, Number.MAX_SAFE_INTEGER);
        if (page === undefined)
            return error(400, `page must be a whole number from 1, got '${req.query.get('page')}'`);
        const pageSize = positiveInt(req.query.get('pageSize'), CASEWARE_PAGE_SIZE.default, CASEWARE_PAGE_SIZE.max);
        if (pageSize === undefined) {
            return error(400, `pageSize must be a whole number from 1 to ${CASEWARE_PAGE_SIZE.max}, got '${req.query.get('pageSize')}'`);
        }
        const search = compileSearch(req.query.getAll('search'), schema);
        if (search.kind === 'invalid')
            return error(400, search.message);
        const rows = records().filter(search.filter).sort(order);
        const start = (page - 1) * pageSize;
        return { status: 200, body: rows.slice(start, start + pageSize) };
    };
}
function one(records, notFound) {
    return (req) => {
        const wanted = (req.params.guid ?? '').toUpperCase();
        const record = records().find((r) => r.CWGuid.toUpperCase() === wanted);
        return record ? { status: 200, body: record } : error(404, notFound);
    };
}
/** Stable across machines: code-unit order, never the host's locale. */
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function byUserName(a, b) {
    return compare(a.LastName, b.LastName) || compare(a.FirstName, b.FirstName) || compare(a.CWGuid, b.CWGuid);
}
function byName(a, b) {
    return compare(a.Name, b.Name) || compare(a.CWGuid, b.CWGuid);
}
/** `fallback` when absent; undefined when present but not a whole number in [1, max]. */
function positiveInt(raw, fallback, max) {
    if (raw === null)
        return fallback;
    if (!/^\d+$/.test(raw))
        return undefined;
    const value = Number(raw);
    return value >= 1 && value <= max ? value : undefined;
}
//# sourceMappingURL=routes.js.map