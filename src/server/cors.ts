/**
 * CORS for every route, so a frontend on an allowed origin can call the gateway with a key: `x-api-key` is
 * not a CORS-safelisted header, so the browser sends a preflight first, and then the request itself.
 *
 * - Allowed origins: `CORS_ORIGINS` when set (exact origins; it replaces the default). Unset: any
 *   `http://localhost:<port>` and `http://127.0.0.1:<port>` outside production, none in production.
 * - A preflight (OPTIONS with Access-Control-Request-Method) from an allowed origin: 204 with the origin,
 *   methods, headers and max age. From any other origin: 403 with no CORS headers, so the refusal shows in
 *   the server's access log and in the browser's network tab, not only as a console error.
 * - Any other request from an allowed origin gets Access-Control-Allow-Origin and exposes `x-request-id` and
 *   `retry-after`; from another origin, no CORS headers (the browser then hides the answer from the page).
 * - Every answer says `Vary: Origin`, as it depends on it.
 * - No credentials mode: keys travel in headers, never in cookies. CSRF is Apollo's own check, left on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsOptions {
  /** Exact allowed origins (`https://app.example.com`). Default: the local ones outside production, none in it. */
  readonly origins?: readonly string[];
  /** Whether NODE_ENV=production. Default false. */
  readonly production?: boolean;
}

/** Answers preflights itself (returns true: nothing more to do); otherwise adds headers and returns false. */
export type Cors = (req: IncomingMessage, res: ServerResponse) => boolean;

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

export const CORS_ALLOW_METHODS = 'GET, POST, OPTIONS, PUT';
export const CORS_ALLOW_HEADERS = 'content-type, authorization, x-api-key, apollo-require-preflight, x-request-id, x-apollo-operation-name, x-priority, x-uploaded-by';
export const CORS_EXPOSE_HEADERS = 'x-request-id, retry-after';
/** Seconds a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_S = 600;

/** Whether a browser page on `origin` may call the gateway; also asked of websocket upgrades. */
export function originPolicy(options: CorsOptions = {}): (origin: string) => boolean {
  const listed = options.origins ? new Set(options.origins) : undefined;
  return (origin) => (listed ? listed.has(origin) : !options.production && LOCAL_ORIGIN.test(origin));
}

export function createCors(options: CorsOptions = {}): Cors {
  const allowed = originPolicy(options);

  return (req, res) => {
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && allowed(origin);
    const preflight = req.method === 'OPTIONS' && typeof origin === 'string' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (!ok) {
        res.writeHead(403);
        res.end();
        return true;
      }
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': CORS_ALLOW_METHODS,
        'access-control-allow-headers': CORS_ALLOW_HEADERS,
        'access-control-max-age': String(CORS_MAX_AGE_S),
      });
      res.end();
      return true;
    }
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSE_HEADERS);
    }
    return false;
  };
}
