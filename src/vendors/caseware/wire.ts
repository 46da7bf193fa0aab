/**
 * Caseware Cloud API v2 payloads as they cross the wire (../shared/vendors.md, "Caseware Cloud"). Shared by
 * the data source and the simulator so that both agree on every field name. PascalCase, as the vendor sends it.
 */

/**
 * Path every route sits under, below `https://{region}.casewarecloud.com` (docs). The firm segment is the
 * customer's, so the gateway needs it in its config alongside the credentials.
 */
export function casewarePrefix(firm: string): string {
  return `/${firm}/ms/caseware-cloud/api/v2`;
}

/** Paging limits. The default is the vendor's; the maximum is our choice (vendors.md names none). */
export const CASEWARE_PAGE_SIZE = { default: 20, max: 100 } as const;

/** A token lives 30 minutes (docs). Refresh a little before this, never after a 401 only. */
export const CASEWARE_TOKEN_TTL_MS = 30 * 60_000;

/** Spring Cloud Gateway's token-bucket headers. The docs warn the values change: read them, never hard-code. */
export const CASEWARE_RATE_HEADERS = {
  burstCapacity: 'x-ratelimit-burst-capacity',
  /** Tokens left after this request; 0 on a 429. */
  remaining: 'x-ratelimit-remaining',
  /** Tokens added back per second. */
  replenishRate: 'x-ratelimit-replenish-rate',
  /** Tokens each request costs. */
  requestedTokens: 'x-ratelimit-requested-tokens',
} as const;

export const CASEWARE_OWNER_TYPES = ['Staff', 'Contact'] as const;
export type CasewareOwnerType = (typeof CASEWARE_OWNER_TYPES)[number];

/** Field names observed on the vendor; `CreatedDate`/`ModifiedDate` are our choice. Dates are ISO 8601. */
export interface CasewareUser {
  CWGuid: string;
  FirstName: string;
  LastName: string;
  MiddleName: string | null;
  Email: string;
  Title: string | null;
  UserName: string;
  OwnerType: CasewareOwnerType;
  Admin: boolean;
  CanLogin: boolean;
  /** `A` active, `I` inactive. */
  Type: 'A' | 'I';
  /** Set only when `Type` is `I`. */
  InActiveDate: string | null;
  CreatedDate: string;
  ModifiedDate: string;
}

export const CASEWARE_ENTITY_TYPES = ['Company', 'Individual', 'Partnership', 'Trust', 'Charity'] as const;
export type CasewareEntityType = (typeof CASEWARE_ENTITY_TYPES)[number];

/** A firm's client. `CWGuid`, `Name` and `Number` are the vendor's; the rest is our choice in its style. */
export interface CasewareEntity {
  CWGuid: string;
  Name: string;
  /** The firm's own client code, e.g. `C00123`. */
  Number: string;
  EntityType: CasewareEntityType;
  Email: string | null;
  Phone: string | null;
  /** One line, comma-separated, as people type it. */
  Address: string | null;
  CreatedDate: string;
  ModifiedDate: string;
  /** `CWGuid`s of the staff users who look after this client. */
  StaffCWGuids: string[];
}

/** Minimal: the gateway does not expose groups or roles yet. */
export interface CasewareGroup {
  CWGuid: string;
  Name: string;
  Description: string | null;
}

export interface CasewareRole {
  CWGuid: string;
  Name: string;
  Description: string | null;
}

/** `POST auth/token` body. `Language` is `en` in every documented example. */
export interface CasewareTokenRequest {
  ClientId: string;
  ClientSecret: string;
  Language: string;
}

/** An opaque bearer token, sent as `Authorization: Bearer <Token>`. No expiry is returned: see the TTL above. */
export interface CasewareTokenResponse {
  Token: string;
}

/** Every 4xx/5xx body except 429, which has no body at all (Spring Cloud Gateway). */
export interface CasewareErrorBody {
  errors: Array<{ message: string }>;
}

export type CasewareSearchOp = '=' | '<' | '>' | '<>';

/**
 * Query parameters of every list route. Lists are bare JSON arrays without totals; an empty array ends a walk.
 *
 * `search` is `<Field><op><value>`: strings in single quotes with a quote inside doubled (`'O''Neill'`),
 * numbers and `true`/`false` bare, top-level fields only (docs). Our extension (vendors.md is silent): `search`
 * may repeat; conditions on the same field are ORed and conditions on different fields ANDed, so
 * `search=CWGuid='A'&search=CWGuid='B'` fetches two records in one call. Also ours: on a list field such as
 * `StaffCWGuids`, `=` means "contains" and `<>` "does not contain". Text compares case-insensitively.
 */
export interface CasewareListQuery {
  /** From 1. */
  page?: number;
  /** Default 20, at most 100; anything else is a 400. */
  pageSize?: number;
  search?: string[];
}

/** One `search` term with its value quoted as the vendor expects. */
export function casewareSearch(field: string, op: CasewareSearchOp, value: string | number | boolean): string {
  const literal = typeof value === 'string' ? `'${value.replaceAll("'", "''")}'` : String(value);
  return `${field}${op}${literal}`;
}

/** Every route, keyed by method and path below the prefix. */
export interface CasewareRoutes {
  'POST auth/token': { body: CasewareTokenRequest; response: CasewareTokenResponse };
  'GET users': { query: CasewareListQuery; response: CasewareUser[] };
  'GET users/{CWGuid}': { response: CasewareUser };
  'GET entities': { query: CasewareListQuery; response: CasewareEntity[] };
  'GET entities/{CWGuid}': { response: CasewareEntity };
  'GET groups': { query: CasewareListQuery; response: CasewareGroup[] };
  'GET roles': { query: CasewareListQuery; response: CasewareRole[] };
}
