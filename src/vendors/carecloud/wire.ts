/**
 * CareCloud's payloads as they cross the wire (../shared/vendors.md, "CareCloud"). Shared by the data source and
 * the simulator so that both agree on every field name. The API sits behind AWS API Gateway, so every error
 * the gateway itself makes is `{ message }`; field names are PascalCase in the vendor's style.
 */

/** The API Gateway stage every route sits under. Our choice: the real stage name is per deployment. */
export const CARECLOUD_PREFIX = '/prod';

/** A stored file's metadata. The file operations are not public; these fields are our choice (vendors.md). */
export interface CareCloudFile {
  FileId: string;
  Name: string;
  /** Bytes. */
  Size: number;
  ContentType: string;
  /** Lower-case hex SHA-256 of the stored bytes. */
  ChecksumSha256: string;
  WorkspaceId: string;
  BucketId: string;
  /** The id of the user who uploaded it, when the upload said (`x-uploaded-by`). */
  UploadedBy: string | null;
  /** ISO 8601 with a `Z`. */
  CreatedAt: string;
  /** ISO 8601 with a `Z`; moves on every re-upload of the same name. */
  ModifiedAt: string;
  Status: 'complete';
}

/** One page of `GET files/{workspaceId}/{bucketId}` or of `GET appdata/{Entity}/retrieve`. Page counts from 1. */
export interface CareCloudPage<T> {
  Items: T[];
  Page: number;
  PageSize: number;
  TotalItems: number;
}

export type CareCloudFilePage = CareCloudPage<CareCloudFile>;

/** Query of the file list. `pageSize` defaults to 50 and may be at most 100 (our choice). */
export interface CareCloudFileListQuery {
  page?: number;
  pageSize?: number;
}

/**
 * `GET files/{workspaceId}/{bucketId}/{name}?metadata=true` answers the file's `CareCloudFile` as JSON instead of
 * its bytes: how the gateway looks a file up without downloading it. Our choice (vendors.md: the file operations
 * are not public), as a query flag rather than HEAD so the answer can carry the whole record in one call.
 */
export const CARECLOUD_METADATA_QUERY = { metadata: 'true' } as const;

export const CARECLOUD_DEFAULT_PAGE_SIZE = 50;
export const CARECLOUD_MAX_PAGE_SIZE = 100;

/**
 * Every error body. API Gateway's own answers use these exact messages (vendors.md); the ones our simulated
 * backend makes (`Not Found`, `Checksum mismatch`, ...) keep the same shape so a client parses one thing.
 */
export interface CareCloudErrorBody {
  message: string;
}

/** What `x-amzn-ErrorType` says on API Gateway's own errors; a client tells throttle from quota by it. */
export const CARECLOUD_ERROR_TYPES = {
  throttled: 'TooManyRequestsException',
  quotaExceeded: 'LimitExceededException',
  forbidden: 'ForbiddenException',
  missingToken: 'MissingAuthenticationTokenException',
} as const;

export const CARECLOUD_ERROR_MESSAGES = {
  throttled: 'Too Many Requests',
  quotaExceeded: 'Limit Exceeded',
  forbidden: 'Forbidden',
  /** API Gateway's answer for a path or method it has no route for, before any key check. */
  missingToken: 'Missing Authentication Token',
  serverError: 'Internal server error',
  notFound: 'Not Found',
  tooLarge: 'Request Too Long',
  checksumMismatch: 'Checksum mismatch',
} as const;

/** Header names, lower-cased as node reads them. */
export const CARECLOUD_HEADERS = {
  apiKey: 'x-api-key',
  /** On every answer; quote it to the vendor's support. */
  requestId: 'x-amzn-requestid',
  errorType: 'x-amzn-errortype',
  /** When present on an upload, wins over the workspace id in the path (docs). */
  workspaceOverride: 'x-param-override-workspaceid',
  /** When present on an upload, wins over the bucket id in the path (docs). */
  bucketOverride: 'x-param-override-bucketid',
  /** Our choice: the user id recorded as `UploadedBy`. */
  uploadedBy: 'x-uploaded-by',
  /** Our choice: hex SHA-256 of the body; a mismatch rejects the upload and stores nothing. */
  checksumSha256: 'x-checksum-sha256',
} as const;

/** The JSON that may sit in an appdata record's `Data`. */
export type CareCloudJson = string | number | boolean | null | CareCloudJson[] | { [key: string]: CareCloudJson };

/**
 * A row of an appdata table (`/appdata/{Entity}/...`, docs). The operations are public, the record layout is
 * not; our choice: a server-assigned `Id`, timestamps, and the caller's fields under `Data`.
 */
export interface CareCloudAppDataRecord {
  Id: string;
  Entity: string;
  CreatedAt: string;
  ModifiedAt: string;
  Data: { [key: string]: CareCloudJson };
}

/** Body of `POST appdata/{Entity}/create`. An `Id` may be given; otherwise the server makes one. */
export interface CareCloudAppDataCreate {
  Id?: string;
  Data: { [key: string]: CareCloudJson };
}

/** Body of `PUT appdata/{Entity}/update`: `Data` is merged key by key into the stored record's. */
export interface CareCloudAppDataUpdate {
  Id: string;
  Data: { [key: string]: CareCloudJson };
}

/**
 * Query of `GET appdata/{Entity}/retrieve` (with `Id`: that record; without: a page of all) and of
 * `DELETE appdata/{Entity}/delete` (`Id` required; answers 204).
 */
export interface CareCloudAppDataQuery {
  Id?: string;
  page?: number;
  pageSize?: number;
}
