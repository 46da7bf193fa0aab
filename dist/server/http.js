/**
 * The HTTP front door: `/graphql` through Apollo Server's integration API on Node's own http server, plus
 * `/health`. Plain node:http keeps room for non-GraphQL routes (uploads, webhooks) without a web framework.
 */
import { createServer } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { requestIdOf, withRequestId } from "./request-id.js";
/** Each request's response, so that `readBytes` can close the connection of a body it stops reading. */
const responses = new WeakMap();
export function createHttpServer(options) {
    return createServer((req, res) => {
        responses.set(req, res);
        res.setHeader('x-request-id', requestIdOf(req));
        void withRequestId(req, () => handle(options, req, res)).catch(() => {
            if (!res.headersSent)
                res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
        });
    });
}
async function handle(options, req, res) {
    if (options.cors?.(req, res))
        return;
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const path = requestPath(req, url);
    const exact = options.routes[path];
    if (exact)
        return exact(req, res, url);
    if (options.admit && !(await options.admit(req, res)))
        return;
    const route = Object.entries(options.prefixRoutes ?? {}).find(([prefix]) => path.startsWith(prefix))?.[1];
    if (route)
        return route(req, res, url);
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
        if (value !== undefined)
            headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body = raw;
    if ((headers.get('content-type') ?? '').includes('json') && raw.length > 0) {
        try {
            body = JSON.parse(raw);
        }
        catch {
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
            return;
        }
    }
    const result = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
        context: () => options.context(req),
    });
    for (const [key, value] of result.headers)
        res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
        res.end(result.body.string);
        return;
    }
    for await (const chunk of result.body.asyncIterator)
        res.write(chunk);
    res.end();
}
/**
 * The path as the client sent it, still percent-encoded. Routes match on this rather than on the parsed URL,
 * which resolves `..` and `%2e%2e` segments first: `/files/a/../b` would otherwise reach a route as `/files/b`.
 */
export function requestPath(req, parsed) {
    const target = req.url ?? '/';
    // An absolute-form target (`GET http://host/path`, as sent to proxies) has no raw path to keep.
    return target.startsWith('/') ? (target.split(/[?#]/, 1)[0] ?? '/') : parsed.pathname;
}
function readBody(req, limit) {
    return readBytes(req, limit).then((bytes) => bytes?.toString('utf8'));
}
/**
 * The whole body, or undefined when it is over `limit` bytes: refused from its `content-length` before a byte
 * is read, or, when streamed (chunked), cut off where it passes the limit. The rest is never read nor
 * drained: the answer the caller then writes (413) goes out with `Connection: close`, and the socket is
 * destroyed once that answer is flushed (see `abandon`), so a client cannot keep the server reading.
 */
export function readBytes(req, limit) {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
        abandon(req);
        return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const stop = () => {
            req.off('data', onData);
            req.off('end', onEnd);
            req.off('error', onError);
        };
        const onData = (chunk) => {
            size += chunk.length;
            if (size <= limit)
                return void chunks.push(chunk);
            stop();
            abandon(req);
            resolve(undefined);
        };
        const onEnd = () => {
            stop();
            resolve(Buffer.concat(chunks));
        };
        const onError = (error) => {
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
function abandon(req) {
    req.pause();
    const res = responses.get(req);
    if (!res)
        return;
    if (!res.headersSent)
        res.setHeader('connection', 'close');
    res.once('finish', () => {
        const socket = req.socket;
        // Node's own finish handler ran first: it ended the socket and set it to be destroyed at once.
        socket.end();
        socket.removeListener('finish', socket.destroy);
        setTimeout(() => socket.destroy(), ABANDON_LINGER_MS).unref();
    });
}
export function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address()));
    });
}
//# sourceMappingURL=http.js.map