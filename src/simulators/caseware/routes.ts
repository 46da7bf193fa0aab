/**
 * Every route the Caseware simulator answers below `/{firm}/ms/caseware-cloud/api/v2`: the token endpoint, and
 * paged bare-array lists with `search` (./search.ts) plus single records by CWGuid.
 */
import {
  CASEWARE_PAGE_SIZE,
  type CasewareEntity,
  type CasewareGroup,
  type CasewareUser,
} from '../../vendors/caseware/wire.ts';
import { SimRouter, type SimHandler, type SimRequest, type SimResponse } from '../http.ts';
import { error } from './answers.ts';
import { compileSearch, type FieldKind, type SearchSchema } from './search.ts';
import type { CasewareStore } from './seed.ts';

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
} as const satisfies Record<keyof CasewareUser, FieldKind>;

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
} as const satisfies Record<keyof CasewareEntity, FieldKind>;

const NAMED_SEARCH = {
  CWGuid: 'string',
  Name: 'string',
  Description: 'nullable-string',
} as const satisfies Record<keyof CasewareGroup, FieldKind>;

export function casewareRouter(store: CasewareStore, issueToken: (req: SimRequest) => SimResponse): SimRouter {
  return new SimRouter()
    .on('POST', 'auth/token', (req) => issueToken(req))
    .on('GET', 'users', list(() => store.users, byUserName, USER_SEARCH))
    .on('GET', 'users/:guid', one(() => store.users, 'User not found'))
    .on('GET', 'entities', list(() => store.entities, byName, ENTITY_SEARCH))
    .on('GET', 'entities/:guid', one(() => store.entities, 'Entity not found'))
    .on('GET', 'groups', list(() => store.groups, byName, NAMED_SEARCH))
    .on('GET', 'roles', list(() => store.roles, byName, NAMED_SEARCH));
}

function list<T extends object>(
  records: () => readonly T[],
  order: (a: T, b: T) => number,
  schema: SearchSchema,
): SimHandler {
  return (req) => {
    const page = positiveInt(req.query.get('page'), 1, Number.MAX_SAFE_INTEGER);
    if (page === undefined) return error(400, `page must be a whole number from 1, got '${req.query.get('page')}'`);
    const pageSize = positiveInt(req.query.get('pageSize'), CASEWARE_PAGE_SIZE.default, CASEWARE_PAGE_SIZE.max);
    if (pageSize === undefined) {
      return error(
        400,
        `pageSize must be a whole number from 1 to ${CASEWARE_PAGE_SIZE.max}, got '${req.query.get('pageSize')}'`,
      );
    }
    const search = compileSearch(req.query.getAll('search'), schema);
    if (search.kind === 'invalid') return error(400, search.message);
    const rows = records().filter(search.filter).sort(order);
    const start = (page - 1) * pageSize;
    return { status: 200, body: rows.slice(start, start + pageSize) };
  };
}

function one<T extends { CWGuid: string }>(records: () => readonly T[], notFound: string): SimHandler {
  return (req) => {
    const wanted = (req.params.guid ?? '').toUpperCase();
    const record = records().find((r) => r.CWGuid.toUpperCase() === wanted);
    return record ? { status: 200, body: record } : error(404, notFound);
  };
}

/** Stable across machines: code-unit order, never the host's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byUserName(a: CasewareUser, b: CasewareUser): number {
  return compare(a.LastName, b.LastName) || compare(a.FirstName, b.FirstName) || compare(a.CWGuid, b.CWGuid);
}

function byName(a: { Name: string; CWGuid: string }, b: { Name: string; CWGuid: string }): number {
  return compare(a.Name, b.Name) || compare(a.CWGuid, b.CWGuid);
}

/** `fallback` when absent; undefined when present but not a whole number in [1, max]. */
function positiveInt(raw: string | null, fallback: number, max: number): number | undefined {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 && value <= max ? value : undefined;
}
