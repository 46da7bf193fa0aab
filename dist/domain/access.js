/**
 * Who is calling and what they may do. Built once per request by the server's auth layer and carried in the
 * GraphQL context; resolvers and routes ask `principal.can(scope)` and never look at headers.
 */
/** Every scope a key or token can grant. `*` grants them all. */
export const SCOPES = [
    'enquiries:read',
    'enquiries:write',
    'leads:read',
    'leads:write',
    'clients:read',
    'users:read',
    'users:write',
    'files:read',
    'files:write',
    'status:read',
    '*',
];
export function isScope(value) {
    return SCOPES.includes(value);
}
export function principal(id, kind, scopes) {
    const granted = new Set(scopes);
    return Object.freeze({ id, kind, scopes: granted, can: (scope) => granted.has('*') || granted.has(scope) });
}
/** Open local mode: no keys or JWT settings, loopback only, not production. The caller may do anything. */
export const ANONYMOUS_LOCAL = principal('anonymous', 'anonymous', ['*']);
//# sourceMappingURL=access.js.map