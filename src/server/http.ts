/**
 * The HTTP front door: `/graphql` through Apollo Server's integration API on Node's own http server, plus
 * `/health`. Plain node:http keeps room for non-GraphQL routes (uploads, webhooks) without a web framework.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GraphQLContext } from '../graphql/context.ts';
import type { Cors } from './cors.ts';
import { requestIdOf, withRequestId } from './request-id.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface HttpOptions {
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly context: (req: IncomingMessage) => Promise<GraphQLContext>;
  /** Extra routes by exact path, e.g. `/health`. */
  readonly routes: Readonly<Record<string, RouteHandler>>;
  /** Extra routes by path prefix, e.g. `/files/`; they read their own bodies. */
  readonly prefixRoutes?: Readonly<Record<string, RouteHandler>>;
  /** Largest GraphQL request body accepted, bytes. */
  readonly maxBodyBytes: number;
  /**
   * Runs before every route that acts for a client (all but the exact `routes`): resolve false once it has
   * answered itself (429 over a client's request limit). Default: everything goes on.
   */
  readonly admit?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** CORS headers and preflights, on every route. Default: none. */
  readonly cors?: Cors;
  /** The page a browser gets at `/graphql` and its assets, before any client limit; false passes. Default: none. */
  readonly page?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
}

/** Each request's response, so that `readBytes` can close the connection of a body it stops reading. */
const responses = new WeakMap<IncomingMessage, ServerResponse>();

export function createHttpServer(options: HttpOptions): Server {
  return createServer((req, res) => {
    responses.set(req, res);
    res.setHeader('x-request-id', requestIdOf(req));
    void withRequestId(req, () => handle(options, req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });
}

async function handle(options: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (options.cors?.(req, res)) return;
  const url = new URL(req.url ?? '/', 'http://gateway.local');
  const path = requestPath(req, url);
  const exact = options.routes[path];
  if (exact) return exact(req, res, url);
  if (options.page && (await options.page(req, res, path))) return;
  if (options.admit && !(await options.admit(req, res))) return;
  const route = Object.entries(options.prefixRoutes ?? {}).find(([prefix]) => path.startsWith(prefix))?.[1];
  if (route) return route(req, res, url);
  if (path !== '/graphql' && path !== '/') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'not found: the GraphQL endpoint is /graphql' }));
    return;
  }
  const raw = await readBody(req, options.maxBodyBytes);
  if (raw === undefined) {
    res.writeHead(413, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: `request body too large: at most ${options.maxBodyBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] }));
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown = raw;
  if ((headers.get('content-type') ?? '').includes('json') && raw.length > 0) {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
    context: () => options.context(req),
  });
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The path as the client sent it, still percent-encoded. Routes match on this rather than on the parsed URL,
 * which resolves `..` and `%2e%2e` segments first: `/files/a/../b` would otherwise reach a route as `/files/b`.
 */
export function requestPath(req: IncomingMessage, parsed: URL): string {
  const target = req.url ?? '/';
  // An absolute-form target (`GET http://host/path`, as sent to proxies) has no raw path to keep.
  return target.startsWith('/') ? (target.split(/[?#]/, 1)[0] ?? '/') : parsed.pathname;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return readBytes(req, limit).then((bytes) => bytes?.toString('utf8'));
}

/**
 * The whole body, or undefined when it is over `limit` bytes: refused from its `content-length` before a byte
 * is read, or, when streamed (chunked), cut off where it passes the limit. The rest is never read nor
 * drained: the answer the caller then writes (413) goes out with `Connection: close`, and the socket is
 * destroyed once that answer is flushed (see `abandon`), so a client cannot keep the server reading.
 */
export function readBytes(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    abandon(req);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      abandon(req);
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * How long an abandoned connection stays half-closed before it is destroyed, ms. Destroying a socket with
 * unread bytes sends a reset, which can reach a client still busy sending before it has read our 413; a
 * moment of half-close (our FIN sent, its bytes left unread in the kernel) lets it read the answer first.
 */
const ABANDON_LINGER_MS = 1000;

/**
 * Stops reading `req` for good. Node keeps a connection alive by draining a body nobody read once the
 * response ends; with `Connection: close` it closes instead, and here the socket is destroyed shortly after
 * the response is flushed, without reading another byte.
 */
function abandon(req: IncomingMessage): void {
  req.pause();
  const res = responses.get(req);
  if (!res) return;
  if (!res.headersSent) res.setHeader('connection', 'close');
  res.once('finish', () => {
    const socket = req.socket;
    // Node's own finish handler ran first: it ended the socket and set it to be destroyed at once.
    socket.end();
    socket.removeListener('finish', socket.destroy);
    setTimeout(() => socket.destroy(), ABANDON_LINGER_MS).unref();
  });
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}
