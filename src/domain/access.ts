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
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export interface Principal {
  /**
   * The caller's identity for fairness and per-client limits: `key:<name>`, `jwt:<sub>`, or `anonymous`.
   * Never a secret: a key's name, not the key.
   */
  readonly id: string;
  readonly kind: 'api_key' | 'jwt' | 'anonymous';
  readonly scopes: ReadonlySet<string>;
  can(scope: Scope): boolean;
}

export function principal(id: string, kind: Principal['kind'], scopes: Iterable<string>): Principal {
  const granted: ReadonlySet<string> = new Set(scopes);
  return Object.freeze({ id, kind, scopes: granted, can: (scope: Scope) => granted.has('*') || granted.has(scope) });
}

/** Open local mode: no keys or JWT settings, loopback only, not production. The caller may do anything. */
export const ANONYMOUS_LOCAL: Principal = principal('anonymous', 'anonymous', ['*']);
