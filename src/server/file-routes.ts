/**
 * Plain HTTP routes for file bytes, beside /graphql: uploads too large for base64-in-GraphQL, and downloads
 * (the `File.downloadUrl`), so clients never hold the vendor's API key.
 *
 *   PUT /files/{name}                 needs files:write; raw body, Content-Type kept; optional X-Uploaded-By: <User id>
 *   GET /files/download/{File id}     a signed URL (download-urls.ts), or files:read credentials; streams the
 *                                     bytes after checking their SHA-256, as an attachment (served-content.ts)
 *
 * Every check that needs no vendor comes first: credentials, then the name or id, then the body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { GraphQLError } from 'graphql';
import type { Principal, Scope } from '../domain/access.ts';
import { badInput, toGraphQLError } from '../graphql/errors.ts';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.ts';
import type { CallContext } from '../upstream/client.ts';
import { fileNameProblem } from '../vendors/carecloud/ids.ts';
import type { CareCloudSource } from '../vendors/carecloud/index.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { publishChange } from '../graphql/published-changes.ts';
import { AuthenticationError } from './auth/principal.ts';
import { DOWNLOAD_PATH, type DownloadUrls } from './download-urls.ts';
import { errorBody } from './error-body.ts';
import { requestIdOf } from './request-id.ts';
import { readBytes, requestPath, type RouteHandler } from './http.ts';
import { downloadHeaders } from './served-content.ts';

const UPLOAD_PATH = '/files/';

interface FileRouteDeps {
  readonly carecloud: CareCloudSource;
  readonly callFor: (req: IncomingMessage) => Promise<CallContext>;
  /** Makes and checks the signed `downloadUrl`s. */
  readonly downloadUrls: DownloadUrls;
  /** The caller, authenticated once per request (rejects with AuthenticationError). */
  readonly principalFor: (req: IncomingMessage) => Promise<Principal>;
  readonly logger: Logger;
  /** Live events: an upload here is a change like `uploadFile`'s. */
  readonly events: Pick<GraphQLContext, 'events'>;
}

/**
 * Statuses of errors from vendors and input. A vendor's UNAUTHENTICATED or FORBIDDEN is the gateway's own key
 * being refused upstream: a bad gateway (502), not the caller's fault. The caller's own 401 and 403 are
 * answered by `refuseCaller`.
 */
const HTTP_STATUS: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  UPSTREAM_BAD_REQUEST: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  QUOTA_EXHAUSTED: 429,
  UNAUTHENTICATED: 502,
  FORBIDDEN: 502,
  UPSTREAM_TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(req: IncomingMessage, res: ServerResponse, error: GraphQLError, headers: Record<string, string> = {}): void {
  const code = String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR');
  const retryAfter = error.extensions.retryAfter;
  json(
    res,
    HTTP_STATUS[code] ?? 502,
    errorBody(error.message, error.extensions, requestIdOf(req)),
    { ...headers, ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}) },
  );
}

/** The caller may not do this: no or bad credentials (401), or credentials without the scope (403). */
class CallerRefused extends Error {
  override readonly name = 'CallerRefused';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

function refuseCaller(req: IncomingMessage, res: ServerResponse, refusal: CallerRefused, headers: Record<string, string> = {}): void {
  const code = refusal.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  json(res, refusal.status, errorBody(refusal.message, { code }, requestIdOf(req)), {
    ...headers,
    ...(refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
}

async function requireScope(deps: FileRouteDeps, req: IncomingMessage, scope: Scope): Promise<void> {
  let caller: Principal;
  try {
    caller = await deps.principalFor(req);
  } catch (error) {
    if (error instanceof AuthenticationError) throw new CallerRefused(401, error.message);
    throw error;
  }
  if (!caller.can(scope)) throw new CallerRefused(403, `this route needs the ${scope} scope, which the credentials do not grant`);
}

/** The rest of the path after `prefix` as sent, percent-decoded; a malformed escape is the client's error, not ours. */
function pathRest(req: IncomingMessage, url: URL, prefix: string): string {
  try {
    return decodeURIComponent(requestPath(req, url).slice(prefix.length));
  } catch {
    throw badInput(`the path after ${prefix} is not valid percent-encoding`, { argument: 'path' });
  }
}

export function fileRoutes(deps: FileRouteDeps): Record<string, RouteHandler> {
  const download: RouteHandler = async (req, res, url) => {
    if (req.method !== 'GET') return json(res, 405, { message: 'use GET' }, { allow: 'GET' });
    try {
      let requested: string | GraphQLError;
      try {
        requested = pathRest(req, url, DOWNLOAD_PATH);
      } catch (error) {
        requested = toGraphQLError(error);
      }
      // A valid signature is the credential; anything else (none, expired, altered) needs files:read, so an
      // id built by hand downloads nothing without credentials.
      const signed = typeof requested === 'string' && deps.downloadUrls.check(requested, url.searchParams) === 'valid';
      if (!signed) await requireScope(deps, req, 'files:read');
      if (typeof requested !== 'string') return fail(req, res, requested);

      const id = fromGlobalId(requested, 'File');
      const file = id.vendor === 'CARECLOUD' ? await deps.carecloud.download(id.id, await deps.callFor(req)) : null;
      if (!file) return json(res, 404, errorBody('no such file', { code: 'NOT_FOUND' }, requestIdOf(req)));
      res.writeHead(200, {
        ...downloadHeaders(id.id, file.contentType),
        'content-length': String(file.bytes.length),
        'x-checksum-sha256': file.checksumSha256,
      });
      res.end(file.bytes);
    } catch (error) {
      if (error instanceof CallerRefused) return refuseCaller(req, res, error);
      fail(req, res, toGraphQLError(error));
    }
  };

  const upload: RouteHandler = async (req, res, url) => {
    if (req.method !== 'PUT') return json(res, 405, { message: 'use PUT with the raw file as the body' }, { allow: 'PUT' });
    // Refused before its body was read, the upload's connection is closed rather than drained: a caller
    // without credentials or with a bad name gets nowhere by sending megabytes.
    let unread: Record<string, string> = { connection: 'close' };
    try {
      await requireScope(deps, req, 'files:write');
      const name = pathRest(req, url, UPLOAD_PATH);
      const invalid = fileNameProblem(name);
      if (invalid) throw badInput(invalid, { argument: 'name' });
      const uploaderHeader = req.headers['x-uploaded-by'];
      const uploader = typeof uploaderHeader === 'string' && uploaderHeader ? fromGlobalId(uploaderHeader, 'User') : undefined;
      if (uploader && uploader.vendor !== 'GENERIC') throw badInput('X-Uploaded-By must be a Generic API user', { argument: 'x-uploaded-by' });

      const bytes = await readBytes(req, deps.carecloud.maxUploadBytes);
      unread = {};
      if (!bytes) {
        return json(res, 413, errorBody(`files may be at most ${deps.carecloud.maxUploadBytes} bytes`, { code: 'BAD_USER_INPUT' }, requestIdOf(req)));
      }
      const file = await deps.carecloud.upload(
        {
          name,
          contentType: req.headers['content-type'] ?? 'application/octet-stream',
          bytes,
          uploadedById: uploader?.id ?? null,
        },
        await deps.callFor(req),
      );
      publishChange(deps.events, 'CREATED', { entityType: 'FILE', entity: file });
      const id = toGlobalId(file.vendor, 'File', file.vendorId);
      json(res, 201, {
        file: {
          id,
          name: file.name,
          size: file.size,
          contentType: file.contentType,
          checksumSha256: file.checksumSha256,
          workspaceId: file.workspaceId,
          bucketId: file.bucketId,
          createdAt: file.createdAt.toISOString(),
          modifiedAt: file.modifiedAt.toISOString(),
          downloadUrl: deps.downloadUrls.url(id),
        },
      });
    } catch (error) {
      if (error instanceof CallerRefused) return refuseCaller(req, res, error, unread);
      deps.logger.debug({ err: error, requestId: requestIdOf(req) }, 'file upload failed');
      fail(req, res, toGraphQLError(error), unread);
    }
  };

  return { [DOWNLOAD_PATH]: download, [UPLOAD_PATH]: upload };
}
