/**
 * CareCloud's payloads as they cross the wire (../shared/vendors.md, "CareCloud"). Shared by the data source and
 * the simulator so that both agree on every field name. The API sits behind AWS API Gateway, so every error
 * the gateway itself makes is `{ message }`; field names are PascalCase in the vendor's style.
 */
/** The API Gateway stage every route sits under. Our choice: the real stage name is per deployment. */
export const CARECLOUD_PREFIX = '/prod';
/**
 * `GET files/{workspaceId}/{bucketId}/{name}?metadata=true` answers the file's `CareCloudFile` as JSON instead of
 * its bytes: how the gateway looks a file up without downloading it. Our choice (vendors.md: the file operations
 * are not public), as a query flag rather than HEAD so the answer can carry the whole record in one call.
 */
export const CARECLOUD_METADATA_QUERY = { metadata: 'true' };
export const CARECLOUD_DEFAULT_PAGE_SIZE = 50;
export const CARECLOUD_MAX_PAGE_SIZE = 100;
/** What `x-amzn-ErrorType` says on API Gateway's own errors; a client tells throttle from quota by it. */
export const CARECLOUD_ERROR_TYPES = {
    throttled: 'TooManyRequestsException',
    quotaExceeded: 'LimitExceededException',
    forbidden: 'ForbiddenException',
    missingToken: 'MissingAuthenticationTokenException',
};
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
};
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
};
//# sourceMappingURL=wire.js.map