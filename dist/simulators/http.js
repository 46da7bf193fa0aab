/**
 * The loopback HTTP server every vendor simulator is built on: routing under the vendor's real path prefix,
 * fault injection, and a request log that tests read. Each simulator supplies only its vendor's behaviour
 * (auth, rate limits, error shapes, data) through the hooks below.
 */
import { STATUS_CODES, createServer } from 'node:http';
export class SimRouter {
    routes = [];
    /** `pattern` is relative to the vendor prefix, with `:name` segments: `care-enquiries/:id`. */
    on(method, pattern, handler) {
        this.routes.push({ method: method.toUpperCase(), parts: pattern.split('/').filter(Boolean), handler });
        return this;
    }
    match(method, path) {
        const segments = path.split('/').filter(Boolean);
        for (const route of this.routes) {
            if (route.method !== method || route.parts.length !== segments.length)
                continue;
            const params = {};
            const ok = route.parts.every((part, i) => {
                const segment = segments[i] ?? '';
                if (part.startsWith(':')) {
                    params[part.slice(1)] = decodeURIComponent(segment);
                    return true;
                }
                return part === segment;
            });
            if (ok)
                return { handler: route.handler, params };
        }
        return undefined;
    }
}
/** Bytes of a request body a log entry keeps; uploads of megabytes would otherwise sit in the log. */
export const LOG_BODY_LIMIT = 64 * 1024;
/**
 * Appends to a log bounded at `limit` entries. Trims in batches (to `limit` once it passes 1.1 x `limit`) so
 * each append stays cheap, while tests keep reading the log as a plain array.
 */
export function appendBounded(log, item, limit) {
    log.push(item);
    if (log.length > limit + Math.ceil(limit / 10))
        log.splice(0, log.length - limit);
}
export function noFaults() {
    return { latencyMs: 0, serverErrors: 0, rateLimitBurst: 0, dropConnections: 0, clientErrors: 0, clientErrorStatus: 431 };
}
const ADMIN_PREFIX = '/__sim/';
export async function startSimServer(options) {
    const faults = noFaults();
    const log = [];
    const logLimit = options.logLimit ?? 10_000;
    const record = (item) => appendBounded(log, item, logLimit);
    const prefix = options.prefix.replace(/\/+$/, '');
    const server = createServer((req, res) => {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => {
            void (async () => {
                const url = new URL(req.url ?? '/', 'http://sim.local');
                const rawBody = Buffer.concat(chunks);
                const method = (req.method ?? 'GET').toUpperCase();
                // Admin routes sit outside the vendor prefix so that people driving a standalone simulator can
                // inject faults and read the log without touching vendor paths.
                if (url.pathname.startsWith(ADMIN_PREFIX)) {
                    const answer = admin(method, url.pathname.slice(ADMIN_PREFIX.length), rawBody, faults, log);
                    res.writeHead(answer.status, { 'content-type': 'application/json' });
                    res.end(JSON.stringify(answer.body));
                    return;
                }
                const inPrefix = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
                const path = inPrefix ? url.pathname.slice(prefix.length).replace(/^\/+|\/+$/g, '') : url.pathname;
                const base = { method, path, query: url.searchParams, headers: req.headers, rawBody };
                if (faults.dropConnections > 0) {
                    faults.dropConnections -= 1;
                    record(entry(base, 0));
                    req.socket.destroy();
                    return;
                }
                let answer;
                try {
                    answer = await respond(options, faults, inPrefix, { ...base, params: {} });
                }
                catch (error) {
                    console.error('simulator handler failed', error);
                    answer = options.hooks.serverError();
                }
                if (faults.latencyMs > 0)
                    await new Promise((r) => setTimeout(r, faults.latencyMs));
                const extra = options.hooks.decorate?.({ ...base, params: {} }, answer) ?? {};
                record(entry(base, answer.status));
                send(res, answer, extra);
            })();
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const { port, address } = server.address();
    const host = address.includes(':') ? `[${address}]` : address;
    return {
        baseUrl: `http://${host}:${port}${prefix}`,
        port,
        faults,
        log,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
async function respond(options, faults, inPrefix, req) {
    if (!inPrefix)
        return options.hooks.notFound();
    const guarded = await options.hooks.guard?.(req);
    if (guarded)
        return guarded;
    if (faults.rateLimitBurst > 0) {
        faults.rateLimitBurst -= 1;
        return options.hooks.rateLimited();
    }
    if (faults.serverErrors > 0) {
        faults.serverErrors -= 1;
        return options.hooks.serverError();
    }
    if (faults.clientErrors > 0) {
        faults.clientErrors -= 1;
        // What a front proxy says, not the vendor's own error shape: such refusals come before the application.
        return { status: faults.clientErrorStatus, body: { message: STATUS_CODES[faults.clientErrorStatus] ?? 'Client Error' } };
    }
    const match = options.router.match(req.method, req.path);
    if (!match)
        return options.hooks.notFound();
    return match.handler({ ...req, params: match.params });
}
function entry(req, status) {
    return {
        at: Date.now(),
        method: req.method,
        path: req.path,
        query: req.query.toString(),
        status,
        headers: req.headers,
        body: req.rawBody.subarray(0, LOG_BODY_LIMIT).toString('utf8'),
    };
}
function send(res, answer, extra) {
    const headers = { ...extra, ...answer.headers };
    let payload;
    if (answer.body === undefined)
        payload = undefined;
    else if (Buffer.isBuffer(answer.body) || typeof answer.body === 'string')
        payload = answer.body;
    else {
        payload = JSON.stringify(answer.body);
        headers['content-type'] ??= 'application/json';
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
}
function admin(method, path, body, faults, log) {
    if (path === 'faults' && method === 'GET')
        return { status: 200, body: faults };
    if (path === 'faults' && method === 'POST') {
        let patch;
        try {
            patch = JSON.parse(body.toString('utf8') || '{}');
        }
        catch {
            return { status: 400, body: { message: 'expected a JSON object of fault knobs' } };
        }
        if (typeof patch !== 'object' || patch === null)
            return { status: 400, body: { message: 'expected an object' } };
        for (const key of Object.keys(faults)) {
            const value = patch[key];
            if (typeof value === 'number' && value >= 0)
                faults[key] = value;
        }
        return { status: 200, body: faults };
    }
    if (path === 'log' && method === 'GET') {
        return { status: 200, body: log.map(({ headers: _h, ...rest }) => rest) };
    }
    if (path === 'log' && method === 'DELETE') {
        log.length = 0;
        return { status: 200, body: { cleared: true } };
    }
    return { status: 404, body: { message: 'admin routes: GET|POST faults, GET|DELETE log' } };
}
/** Reads a URL-encoded form body into key -> values, keeping repeated keys (`a=1&a=2`). */
export function readForm(req) {
    return multiMap(new URLSearchParams(req.rawBody.toString('utf8')));
}
export function multiMap(params) {
    const out = new Map();
    for (const [key, value] of params)
        out.set(key, [...(out.get(key) ?? []), value]);
    return out;
}
/** One request header's value (the first, when a client repeated it). */
export function header(req, name) {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
}
//# sourceMappingURL=http.js.map