/**
 * Clinicea's payloads as they cross the wire (../shared/vendors.md, "Clinicea"). Shared by the data source and
 * the simulator so that both agree on every field name. PascalCase, as the vendor sends it.
 */

/** Base path every Clinicea route sits under (`https://api.clinicea.com/api/v1/`). */
export const CLINICEA_PREFIX = '/api/v1';

/** The request header that carries the API key (vendors.md: "Key sent in the `api` header"). */
export const CLINICEA_API_KEY_HEADER = 'api';

/**
 * Token login, for the API versions that trade the key for a token (vendors.md: "log in with the key for a
 * token that lives about an hour", observed). The exact call is not public; our design, after Clinicea's v2
 * help: `GET login/getTokenByApiKey?apiKey=<key>&loginUserName=<user>&pwd=<password>` answers
 * `{ "Token": "..." }` (CliniceaTokenResponse); every later call carries the token as the query parameter
 * `api_key=<token>` instead of the `api` header. A token lives CLINICEA_TOKEN_TTL_MS; an expired or unknown
 * one gets a 401 `{ Message }`, and so does a login with a wrong key, user or password.
 */
export const CLINICEA_TOKEN_PATH = 'login/getTokenByApiKey';

/** The query parameter that carries the token on every call after login. */
export const CLINICEA_TOKEN_PARAM = 'api_key';

/** How long a token lives: about an hour (observed). The login answer states no expiry. */
export const CLINICEA_TOKEN_TTL_MS = 60 * 60 * 1000;

/** Query parameters of `GET login/getTokenByApiKey`; all required. */
export interface CliniceaTokenQuery {
  apiKey: string;
  loginUserName: string;
  pwd: string;
}

/** JSON body of a successful `GET login/getTokenByApiKey` (our choice of shape). */
export interface CliniceaTokenResponse {
  Token: string;
}

/** Records per list page; the vendor takes no page-size parameter. A shorter page is the last one. */
export const CLINICEA_PAGE_SIZE = 100;

/** The page number of the first page in the documented API; another version of the vendor's help says 1. */
export const CLINICEA_FIRST_PAGE_NUMBER = 0;

/**
 * How the vendor writes an unset date (observed). Map it to null; never show it to a user as a real date.
 * Dates are `YYYY-MM-DDTHH:mm:ss`, no zone and no milliseconds; we read them as UTC (our choice).
 */
export const CLINICEA_NULL_DATE = '0001-01-01T00:00:00';

/**
 * How a date-time is written on the wire: `YYYY-MM-DDTHH:mm:ss`, no milliseconds (records' dates, and the
 * start of a `lastSyncTimestamp`).
 */
export const CLINICEA_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * `lastSyncTimestamp`: the docs' example is `2015-03-21T14:30:10+0:00`, so an offset of `±H:MM` or `±HH:MM`
 * may follow the seconds; without one the time is UTC (our choice). Milliseconds or a trailing `Z` get a 400
 * (observed), so neither is allowed here.
 */
export const CLINICEA_SYNC_TIMESTAMP_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:([+-])(\d{1,2}):(\d{2}))?$/;

/** The offset the client writes after a `lastSyncTimestamp`, in the docs' own form. */
export const CLINICEA_UTC_OFFSET = '+0:00';

/** `startRange` / `endRange`: a calendar date written `yyyymmdd`. */
export const CLINICEA_RANGE_PATTERN = /^\d{8}$/;

export const LEAD_SOURCES = ['Website', 'Facebook', 'Instagram', 'Google Ads', 'Referral', 'Walk-in', 'Phone'] as const;
export type CliniceaLeadSource = (typeof LEAD_SOURCES)[number];

export const LEAD_STATUSES = ['New', 'Contacted', 'Qualified', 'Converted', 'Lost'] as const;
export type CliniceaLeadStatus = (typeof LEAD_STATUSES)[number];

/** What happened to a record since `lastSyncTimestamp`; `None` on lists without one. */
export const DATA_STATUSES = ['None', 'Added', 'Modified', 'Deleted'] as const;
export type CliniceaDataStatus = (typeof DATA_STATUSES)[number];

/**
 * A lead. The vendor publishes no lead schema; these names follow its patient and appointment payloads
 * (vendors.md, our choice). A `Deleted` record is a tombstone: only `LeadID`, `DataStatusStr` and
 * `ModifiedDatetime` (the deletion time) mean anything; strings are null and `CreatedDatetime` is the sentinel.
 */
export interface CliniceaLead {
  /** Digits only, e.g. `'100245'`; numerically ascending in creation order. */
  LeadID: string;
  FirstName: string | null;
  LastName: string | null;
  Email: string | null;
  Mobile: string | null;
  Source: CliniceaLeadSource | null;
  Status: CliniceaLeadStatus | null;
  Notes: string | null;
  /** The id of the staff user who owns the lead, from the user directory; null when unassigned. */
  OwnerUserID: string | null;
  CreatedDatetime: string;
  /** `CLINICEA_NULL_DATE` when the record was never modified after creation (observed on some records). */
  ModifiedDatetime: string;
  DataStatusStr: CliniceaDataStatus;
}

/** A list page: a bare JSON array. An empty page is a 204 with no body, not `[]`. No totals anywhere. */
export type CliniceaLeadPage = CliniceaLead[];

/** Every 4xx/5xx body, ASP.NET Web API style (our choice). */
export interface CliniceaErrorBody {
  Message: string;
}

/** Query parameters of `GET leads`; all optional. */
export interface CliniceaLeadListQuery {
  /** `yyyymmdd`, inclusive, on the date part of `CreatedDatetime`. */
  startRange?: string;
  /** `yyyymmdd`, inclusive. */
  endRange?: string;
  /** Page number from `CLINICEA_FIRST_PAGE_NUMBER`; missing means the first page. */
  intPageNo?: number;
  /** `YYYY-MM-DDTHH:mm:ss`: return what was added, modified or deleted strictly after it, with `DataStatusStr`. */
  lastSyncTimestamp?: string;
}

/** The fields a client may write. Ids, timestamps and `DataStatusStr` are the server's. */
export type CliniceaLeadWritable = Pick<
  CliniceaLead,
  'FirstName' | 'LastName' | 'Email' | 'Mobile' | 'Source' | 'Status' | 'Notes' | 'OwnerUserID'
>;

/**
 * JSON body of `POST leads` (our choice: the vendor documents no lead writes). `FirstName` is required;
 * `Status` defaults to `New`; anything else left out is null. Unknown fields are a 400.
 */
export type CliniceaLeadCreateBody = Partial<CliniceaLeadWritable> & { FirstName: string };

/** JSON body of `PUT leads/{id}`: a partial update; fields left out keep their value, null clears one. */
export type CliniceaLeadUpdateBody = Partial<CliniceaLeadWritable>;

