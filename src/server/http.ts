/**
 * The HTTP front door: fastify, with `/graphql` through Apollo's fastify integration. Every route and the 404
 * answer go through one gate first (request id, tracing, CORS, the GraphiQL page, the client gate), which is
 * fastify's `onRequest` hook. Routes that are not GraphQL (probes, webhooks, files) and the 404 are answered
 * there too, on the raw response (`hijack`), before fastify looks at a body: they read their own. Only
 * `/graphql` has a body parser, ours, capped at `maxBodyBytes`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GraphQLContext } from '../graphql/context.ts';
import type { Cors } from './cors.ts';
import { errorBody } from './error-body.ts';
import { requestIdOf } from './request-id.ts';

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
  /** Runs around each request's handling (tracing.ts starts its span there). Default: none. */
  readonly around?: (req: IncomingMessage, handle: () => Promise<void>) => Promise<void>;
  /** Called as each GraphQL request (not a preflight) arrives, before any gate (access-log.ts). Default: none. */
  readonly onGraphqlRequest?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Each request's response, so that `readBytes` can close the connection of a body it stops reading. */
const responses = new WeakMap<IncomingMessage, ServerResponse>();

/** An answer given outside Apollo and the routes (a body refused, a failure): its status and our error code. */
class Refusal extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 500,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const NODE_REQUEST_TIMEOUT_MS = 300_000;

const notFound: RouteHandler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: 'not found: the GraphQL endpoint is /graphql' }));
};

/** The fastify app serving `options`; its node server is `app.server` (listen with `listen` once `ready`). */
export async function createFront(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Our own pino logger writes the access log; fastify's would log every request a second time.
    logger: false,
    // Node's own default, which fastify turns off: a client that never finishes sending its request is cut.
    requestTimeout: NODE_REQUEST_TIMEOUT_MS,
    frameworkErrors: (_error, request, reply) => void dispatchUnroutable(options, request, reply),
  });
  // The raw routes by the route fastify matched; the bool says exact (no page, no client gate before it).
  const rawRoutes = new Map<string, { handler: RouteHandler; exact: boolean }>();
  for (const [path, handler] of Object.entries(options.routes)) rawRoutes.set(path, { handler, exact: true });
  for (const [prefix, handler] of Object.entries(options.prefixRoutes ?? {})) rawRoutes.set(`${prefix}*`, { handler, exact: false });

  app.addHook('onRequest', (request, reply, done) => {
    const req = request.raw;
    const res = reply.raw;
    responses.set(req, res);
    res.setHeader('x-request-id', requestIdOf(req));
    // The 404 too is ours before fastify judges the body: a POST with any content type to no route is a 404.
    const route = request.is404 ? { handler: notFound, exact: false } : rawRoutes.get(request.routeOptions.url ?? '');
    const run = async (): Promise<void> => {
      const closed = new Promise<void>((resolve) => res.once('close', resolve));
      const url = urlOf(req);
      if (options.onGraphqlRequest && req.method !== 'OPTIONS' && isGraphqlPath(requestPath(req, url))) options.onGraphqlRequest(req, res);
      try {
        if (await answeredAtGate(options, req, res, requestPath(req, url), route?.exact ?? false)) {
          reply.hijack();
        } else if (route) {
          // Taken before fastify looks at the body at all: these routes read their own, whatever its type.
          reply.hijack();
          await route.handler(req, res, url);
        }
      } catch {
        reply.hijack();
        failed(req, res);
      }
      // Called inside `around` (tracing's span, when on), so the rest of the request runs in it.
      done();
      await closed;
    };
    void (options.around ? options.around(req, run) : run()).catch(() => failed(req, res));
  });

  // Bodies are read by whoever needs one: nothing is parsed outside `/graphql`.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.setErrorHandler((error, request, reply) => {
    const refusal = refusalOf(error);
    void reply
      .code(refusal.statusCode)
      .type('application/json')
      .send(JSON.stringify(errorBody(refusal.message, { code: refusal.code }, requestIdOf(request.raw))));
  });

  // The onRequest hook above answers these routes; the handler fastify wants answers only if that ever fails to.
  for (const path of rawRoutes.keys()) {
    app.all(path, (request, reply) => {
      reply.hijack();
      failed(request.raw, reply.raw);
    });
  }

  await app.register(async (graphql) => {
    graphql.removeAllContentTypeParsers();
    graphql.addContentTypeParser('*', (request: FastifyRequest, payload: IncomingMessage) => graphqlBody(request, payload, options.maxBodyBytes));
    const handler = fastifyApolloHandler(options.apollo, { context: async (request) => options.context(request.raw) });
    graphql.all('/graphql', handler);
    graphql.all('/', handler);
  });
  return app;
}

function isGraphqlPath(path: string): boolean {
  return path === '/graphql' || path === '/';
}

/**
 * What runs before routing, in this order: CORS (answers preflights), then for all but the exact routes the
 * GraphiQL page and the client gate. True when one of them answered.
 */
async function answeredAtGate(options: HttpOptions, req: IncomingMessage, res: ServerResponse, path: string, exact: boolean): Promise<boolean> {
  if (options.cors?.(req, res)) return true;
  if (exact) return false;
  if (options.page && (await options.page(req, res, path))) return true;
  return Boolean(options.admit && !(await options.admit(req, res)));
}

/**
 * A path fastify's router cannot decode (a malformed percent escape) still gets the gate and, under a prefix
 * route, that route, which says what is wrong with it: routes match on the path as sent, not as decoded.
 */
async function dispatchUnroutable(options: HttpOptions, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.hijack();
  const req = request.raw;
  const res = reply.raw;
  responses.set(req, res);
  res.setHeader('x-request-id', requestIdOf(req));
  const url = urlOf(req);
  const path = requestPath(req, url);
  const run = async (): Promise<void> => {
    if (await answeredAtGate(options, req, res, path, false)) return;
    const route = Object.entries(options.prefixRoutes ?? {}).find(([prefix]) => path.startsWith(prefix))?.[1];
    return (route ?? notFound)(req, res, url);
  };
  await (options.around ? options.around(req, run) : run()).catch(() => failed(req, res));
}

/** The GraphQL request body: parsed JSON for a JSON content type, else the text, for Apollo to judge. */
async function graphqlBody(request: FastifyRequest, payload: IncomingMessage, limit: number): Promise<unknown> {
  const bytes = await readBytes(payload, limit);
  if (bytes === undefined) throw new Refusal(413, 'BAD_USER_INPUT', `request body too large: at most ${limit} bytes`);
  const text = bytes.toString('utf8');
  if (!(request.headers['content-type'] ?? '').includes('json') || text.length === 0) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'BAD_REQUEST', 'the request body is not valid JSON');
  }
}

/**
 * What a client is told of an error: ours as they are; fastify's own 4xx (a content-type that is not a media
 * type) as the 400 Apollo gave such requests before; anything else as a bare 500, nothing of the error itself.
 */
function refusalOf(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new Refusal(400, 'BAD_REQUEST', 'the request is malformed');
  return new Refusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
}

function urlOf(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://gateway.local');
}

/** The last resort for a handler that threw: a 500 in our shape, nothing of the error itself. */
function failed(req: IncomingMessage, res: ServerResponse): void {
  if (res.writableEnded) return;
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify(errorBody('Internal server error', { code: 'INTERNAL_SERVER_ERROR' }, requestIdOf(req))));
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
