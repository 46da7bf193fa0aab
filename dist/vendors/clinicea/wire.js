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
/** Records per list page; the vendor takes no page-size parameter. A shorter page is the last one. */
export const CLINICEA_PAGE_SIZE = 100;
/** The page number of the first page in the documented API; another version of the vendor's help says 1. */
export const CLINICEA_FIRST_PAGE_NUMBER = 0;
/**
 * How the vendor writes an unset date (observed). Map it to null; never show it to a user as a real date.
 * Dates are `YYYY-MM-DDTHH:mm:ss`, no zone and no milliseconds; we read them as UTC (our choice).
 */
export const CLINICEA_NULL_DATE = '0001-01-01T00:00:00';
/** `lastSyncTimestamp` must match this exactly: milliseconds or a trailing `Z` get a 400 (observed). */
export const CLINICEA_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
/** `startRange` / `endRange`: a calendar date written `yyyymmdd`. */
export const CLINICEA_RANGE_PATTERN = /^\d{8}$/;
export const LEAD_SOURCES = ['Website', 'Facebook', 'Instagram', 'Google Ads', 'Referral', 'Walk-in', 'Phone'];
export const LEAD_STATUSES = ['New', 'Contacted', 'Qualified', 'Converted', 'Lost'];
/** What happened to a record since `lastSyncTimestamp`; `None` on lists without one. */
export const DATA_STATUSES = ['None', 'Added', 'Modified', 'Deleted'];
//# sourceMappingURL=wire.js.map