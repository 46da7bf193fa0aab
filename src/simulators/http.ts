/**
 * The loopback HTTP server every vendor simulator is built on: routing under the vendor's real path prefix,
 * fault injection, and a request log that tests read. Each simulator supplies only its vendor's behaviour
 * (auth, rate limits, error shapes, data) through the hooks below.
 */
import { STATUS_CODES, createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  readonly method: string;
  /** Path below the vendor prefix, without a leading slash: `care-enquiries/abc`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** Route parameters, e.g. `{ id }` for `care-enquiries/:id`. */
  readonly params: Readonly<Record<string, string>>;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-serialised unless it is a Buffer or a string; `undefined` sends no body. */
  readonly body?: unknown;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** One logged request, as the vendor saw it. */
export interface SimLogEntry {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Knobs tests and the CLI's admin route turn at run time. */
export interface SimFaults {
  /** Added to every response, in ms. Default 0. */
  latencyMs: number;
  /** The next N vendor requests answer the vendor's 5xx. Default 0. */
  serverErrors: number;
  /** The next N vendor requests answer the vendor's 429, as if the limit were hit. Default 0. */
  rateLimitBurst: number;
  /** The next N vendor requests have their connection dropped without an answer. Default 0. */
  dropConnections: number;
  /** The next N vendor requests answer `clientErrorStatus`, as a server refusing a too-long request would. Default 0. */
  clientErrors: number;
  /** The status `clientErrors` answer with: 431, 413, 414, 400, ... Default 431. */
  clientErrorStatus: number;
}

export interface SimHooks {
  /** Runs before routing; an answer here (401, 429, ...) ends the request. */
  readonly guard?: (req: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;
  /** Headers added to every answer (rate-limit headers, request ids). */
  readonly decorate?: (req: SimRequest, res: SimResponse) => Record<string, string>;
  /** The vendor's own shape for an injected 5xx. */
  readonly serverError: () => SimResponse;
  /** The vendor's own shape for an injected 429. */
  readonly rateLimited: () => SimResponse;
  /** The vendor's own shape for an unknown path. */
  readonly notFound: () => SimResponse;
}

interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly parts: readonly string[];
  readonly handler: SimHandler;
}

/**
 * One thing a simulator serves that its vendor does not document, and what strict mode does with it instead.
 * `route`: the whole route is answered as the vendor answers an unknown path (`hooks.notFound`). `param`:
 * the query parameter is dropped before the handler sees it (`ignore`, as a server does with a parameter it
 * does not know) or the request is refused with `refuse`'s answer. `header`: the request header is dropped.
 * `repeated`: a second value of the parameter is refused with `refuse`'s answer. `method` and `pattern` name
 * the route as registered on the SimRouter.
 */
export type Undocumented =
  | { readonly kind: 'route'; readonly method: string; readonly pattern: string; readonly why: string }
  | {
      readonly kind: 'param';
      readonly method: string;
      readonly pattern: string;
      readonly param: string;
      readonly strict: 'ignore' | { readonly refuse: () => SimResponse };
      readonly why: string;
    }
  | {
      readonly kind: 'repeated';
      readonly method: string;
      readonly pattern: string;
      readonly param: string;
      readonly refuse: () => SimResponse;
      readonly why: string;
    }
  | { readonly kind: 'header'; readonly method: string; readonly pattern: string; readonly header: string; readonly why: string };

/** What strict mode makes of a request to a matched route: served as changed, or answered without the handler. */
export function applyStrict(
  table: readonly Undocumented[],
  route: { readonly method: string; readonly pattern: string },
  req: SimRequest,
  notFound: () => SimResponse,
): { kind: 'serve'; req: SimRequest } | { kind: 'answer'; res: SimResponse } {
  let query = req.query;
  let headers = req.headers;
  for (const rule of table) {
    if (rule.method !== route.method || rule.pattern !== route.pattern) continue;
    if (rule.kind === 'route') return { kind: 'answer', res: notFound() };
    if (rule.kind === 'repeated') {
      if (query.getAll(rule.param).length > 1) return { kind: 'answer', res: rule.refuse() };
    } else if (rule.kind === 'param' && query.has(rule.param)) {
      if (rule.strict !== 'ignore') return { kind: 'answer', res: rule.strict.refuse() };
      query = new URLSearchParams(query);
      query.delete(rule.param);
    } else if (rule.kind === 'header' && headers[rule.header] !== undefined) {
      headers = { ...headers };
      delete headers[rule.header];
    }
  }
  return { kind: 'serve', req: { ...req, query, headers } };
}

export class SimRouter {
  private readonly routes: Route[] = [];

  /** `pattern` is relative to the vendor prefix, with `:name` segments: `care-enquiries/:id`. */
  on(method: string, pattern: string, handler: SimHandler): this {
    this.routes.push({ method: method.toUpperCase(), pattern, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: SimHandler; pattern: string; params: Record<string, string> } | undefined {
    const segments = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const ok = route.parts.every((part, i) => {
        const segment = segments[i] ?? '';
        if (part.startsWith(':')) {
          params[part.slice(1)] = decodeURIComponent(segment);
          return true;
        }
        return part === segment;
      });
      if (ok) return { handler: route.handler, pattern: route.pattern, params };
    }
    return undefined;
  }
}

export interface SimServerOptions {
  /** The real API's path prefix, e.g. `/v1`; requests outside it get the vendor's 404. */
  readonly prefix: string;
  readonly router: SimRouter;
  readonly hooks: SimHooks;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: simulators only ever listen on loopback. */
  readonly host?: string;
  /**
   * Requests the log keeps, newest last; older ones are dropped so a long-running demo's memory stays flat.
   * Default 10,000.
   */
  readonly logLimit?: number;
  /**
   * Strict mode: what this vendor does not document, answered as the vendor would answer it (see
   * `Undocumented`). Default: none, so everything the simulator knows is served.
   */
  readonly strict?: readonly Undocumented[] | undefined;
}

/** Bytes of a request body a log entry keeps; uploads of megabytes would otherwise sit in the log. */
export const LOG_BODY_LIMIT = 64 * 1024;

/**
 * Appends to a log bounded at `limit` entries. Trims in batches (to `limit` once it passes 1.1 x `limit`) so
 * each append stays cheap, while tests keep reading the log as a plain array.
 */
export function appendBounded<T>(log: T[], item: T, limit: number): void {
  log.push(item);
  if (log.length > limit + Math.ceil(limit / 10)) log.splice(0, log.length - limit);
}

export interface SimServer {
  /** Origin plus prefix, e.g. `http://127.0.0.1:4101/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  close(): Promise<void>;
}

export function noFaults(): SimFaults {
  return { latencyMs: 0, serverErrors: 0, rateLimitBurst: 0, dropConnections: 0, clientErrors: 0, clientErrorStatus: 431 };
}

const ADMIN_PREFIX = '/__sim/';

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const faults = noFaults();
  const log: SimLogEntry[] = [];
  const logLimit = options.logLimit ?? 10_000;
  const record = (item: SimLogEntry) => appendBounded(log, item, logLimit);
  const prefix = options.prefix.replace(/\/+$/, '');

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
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

        let answer: SimResponse;
        try {
          answer = await respond(options, faults, inPrefix, { ...base, params: {} });
        } catch (error) {
          console.error('simulator handler failed', error);
          answer = options.hooks.serverError();
        }
        if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
        const extra = options.hooks.decorate?.({ ...base, params: {} }, answer) ?? {};
        record(entry(base, answer.status));
        send(res, answer, extra);
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    baseUrl: `http://${host}:${port}${prefix}`,
    port,
    faults,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(
  options: SimServerOptions,
  faults: SimFaults,
  inPrefix: boolean,
  req: SimRequest,
): Promise<SimResponse> {
  if (!inPrefix) return options.hooks.notFound();
  const guarded = await options.hooks.guard?.(req);
  if (guarded) return guarded;
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
  if (!match) return options.hooks.notFound();
  const matched = { ...req, params: match.params };
  if (!options.strict) return match.handler(matched);
  const gated = applyStrict(options.strict, { method: req.method, pattern: match.pattern }, matched, options.hooks.notFound);
  return gated.kind === 'answer' ? gated.res : match.handler(gated.req);
}

function entry(
  req: Pick<SimRequest, 'method' | 'path' | 'query' | 'headers' | 'rawBody'>,
  status: number,
): SimLogEntry {
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

function send(res: ServerResponse, answer: SimResponse, extra: Record<string, string>): void {
  const headers: Record<string, string> = { ...extra, ...answer.headers };
  let payload: Buffer | string | undefined;
  if (answer.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(answer.body) || typeof answer.body === 'string') payload = answer.body;
  else {
    payload = JSON.stringify(answer.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function admin(
  method: string,
  path: string,
  body: Buffer,
  faults: SimFaults,
  log: SimLogEntry[],
): { status: number; body: unknown } {
  if (path === 'faults' && method === 'GET') return { status: 200, body: faults };
  if (path === 'faults' && method === 'POST') {
    let patch: unknown;
    try {
      patch = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return { status: 400, body: { message: 'expected a JSON object of fault knobs' } };
    }
    if (typeof patch !== 'object' || patch === null) return { status: 400, body: { message: 'expected an object' } };
    for (const key of Object.keys(faults) as Array<keyof SimFaults>) {
      const value = (patch as Record<string, unknown>)[key];
      if (typeof value === 'number' && value >= 0) faults[key] = value;
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
export function readForm(req: SimRequest): Map<string, string[]> {
  return multiMap(new URLSearchParams(req.rawBody.toString('utf8')));
}

export function multiMap(params: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of params) out.set(key, [...(out.get(key) ?? []), value]);
  return out;
}

/** One request header's value (the first, when a client repeated it). */
export function header(req: Pick<SimRequest, 'headers'>, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
