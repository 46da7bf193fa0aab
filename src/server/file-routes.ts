/**
 * Plain HTTP routes for file bytes, beside /graphql: uploads too large for base64-in-GraphQL, and downloads
 * (the `File.downloadUrl`), so clients never hold the vendor's API key.
 *
 *   PUT /files/{name}                 raw body, Content-Type kept; optional X-Uploaded-By: <User id>
 *   GET /files/download/{File id}     streams the bytes after checking their SHA-256
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { GraphQLError } from 'graphql';
import type { Principal } from '../domain/access.ts';
import { badInput, toGraphQLError } from '../graphql/errors.ts';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.ts';
import type { CallContext } from '../upstream/client.ts';
import type { CareCloudSource } from '../vendors/carecloud/index.ts';
import { readBytes, type RouteHandler } from './http.ts';

interface FileRouteDeps {
  readonly carecloud: CareCloudSource;
  readonly callFor: (req: IncomingMessage) => Promise<CallContext>;
  readonly publicUrl: () => string;
  /** The caller, authenticated once per request (rejects with AuthenticationError). */
  readonly principalFor: (req: IncomingMessage) => Promise<Principal>;
  readonly logger: Logger;
}

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

function fail(res: ServerResponse, error: GraphQLError): void {
  const code = String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR');
  const retryAfter = error.extensions.retryAfter;
  json(
    res,
    HTTP_STATUS[code] ?? 502,
    { errors: [{ message: error.message, extensions: error.extensions }] },
    typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
  );
}

/** The rest of the path after `prefix`, percent-decoded; a malformed escape is the client's error, not ours. */
function pathRest(url: URL, prefix: string): string {
  try {
    return decodeURIComponent(url.pathname.slice(prefix.length));
  } catch {
    throw badInput(`the path after ${prefix} is not valid percent-encoding`, { argument: 'path' });
  }
}

export function fileRoutes(deps: FileRouteDeps): Record<string, RouteHandler> {
  const download: RouteHandler = async (req, res, url) => {
    if (req.method !== 'GET') return json(res, 405, { message: 'use GET' }, { allow: 'GET' });
    try {
      const id = fromGlobalId(pathRest(url, '/files/download/'), 'File');
      const file = id.vendor === 'CARECLOUD' ? await deps.carecloud.download(id.id, await deps.callFor(req)) : null;
      if (!file) return json(res, 404, { errors: [{ message: 'no such file', extensions: { code: 'NOT_FOUND' } }] });
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.bytes.length),
        'x-checksum-sha256': file.checksumSha256,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(id.id)}`,
      });
      res.end(file.bytes);
    } catch (error) {
      fail(res, toGraphQLError(error));
    }
  };

  const upload: RouteHandler = async (req, res, url) => {
    if (req.method !== 'PUT') return json(res, 405, { message: 'use PUT with the raw file as the body' }, { allow: 'PUT' });
    try {
      const name = pathRest(url, '/files/');
      const bytes = await readBytes(req, deps.carecloud.maxUploadBytes);
      if (!bytes) {
        return json(res, 413, {
          errors: [{ message: `files may be at most ${deps.carecloud.maxUploadBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      const uploaderHeader = req.headers['x-uploaded-by'];
      const uploader = typeof uploaderHeader === 'string' && uploaderHeader ? fromGlobalId(uploaderHeader, 'User') : undefined;
      const file = await deps.carecloud.upload(
        {
          name,
          contentType: req.headers['content-type'] ?? 'application/octet-stream',
          bytes,
          uploadedById: uploader?.vendor === 'GENERIC' ? uploader.id : null,
        },
        await deps.callFor(req),
      );
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
          downloadUrl: `${deps.publicUrl()}/files/download/${encodeURIComponent(id)}`,
        },
      });
    } catch (error) {
      deps.logger.debug({ err: error }, 'file upload failed');
      fail(res, toGraphQLError(error));
    }
  };

  return { '/files/download/': download, '/files/': upload };
}
