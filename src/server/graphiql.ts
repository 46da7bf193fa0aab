/**
 * The self-hosted GraphiQL at `/graphql`: Ruru, a GraphiQL 5 distribution whose npm package carries its whole
 * bundle (React, Monaco and its workers, the codicon font) as brotli-compressed files, served here by the
 * gateway itself. Nothing is fetched from a CDN, so the page works on a network that reaches nothing else.
 *
 * The page's own markup and boot script are written below; Ruru's inline-script HTML (`ruruHTML`) is not
 * used, so that the Content-Security-Policy can forbid inline scripts and every origin but the gateway's.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStaticFile } from 'ruru/static';

export interface GraphiqlOptions {
  /** Show the API key field and send its value as `x-api-key` on every request. Default false (open local mode). */
  readonly apiKeyField?: boolean;
  /** The query a new tab starts with. Default: one that runs on the demo data. */
  readonly defaultQuery?: string;
}

/** Answers the page and its assets; resolves false for every other request. */
export type GraphiqlPage = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

export const DEFAULT_QUERY = `# vendor-graph: one GraphQL API over five vendors' REST APIs.
# Run this with the ▶ button (or Ctrl-Enter); the Docs button lists every type and field.
query Enquiries {
  enquiries(first: 3) {
    totalCount
    nodes {
      id
      firstName
      fundingType
      status
      assignee {
        name
      }
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
`;

/** Assets live under here, in a folder named for their content, so that they can be cached for good. */
const ASSET_ROOT = '/graphiql/';

// No origin but the gateway's. Styles may be inline: Monaco and GraphiQL's components inject <style> tags.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // data: fonts are embedded in GraphiQL's own stylesheet (its Roboto faces).
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': CSP,
};

/*
 * Runs before Ruru: sets where Monaco finds its workers, and wraps fetch so that every request to the
 * endpoint carries the key typed into the field (and every websocket to it, in its connection_init). The key is kept in sessionStorage (this tab only, gone when
 * it closes), never in the URL or localStorage.
 */
const BOOT_JS = `const config = JSON.parse(document.getElementById('graphiql-config').textContent);
const assets = new URL('./', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_, label) {
    const file = label === 'json' ? 'jsonWorker.js' : label === 'graphql' ? 'graphqlWorker.js' : 'editorWorker.js';
    return new Worker(new URL(file, assets), { type: 'module' });
  },
};
const endpoint = new URL(location.pathname, location.href);
const field = document.getElementById('api-key');
if (field) {
  const stored = 'vendor-graph:api-key';
  field.value = sessionStorage.getItem(stored) ?? '';
  field.addEventListener('input', () => {
    if (field.value) sessionStorage.setItem(stored, field.value);
    else sessionStorage.removeItem(stored);
  });
  const send = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input, init = {}) => {
    const target = new URL(input instanceof Request ? input.url : String(input), location.href);
    const key = field.value.trim();
    if (!key || target.origin !== endpoint.origin || target.pathname !== endpoint.pathname) return send(input, init);
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('x-api-key', key);
    return send(input, { ...init, headers });
  };
  // A browser cannot set headers on a websocket, so subscriptions carry the key in graphql-ws's
  // connection_init payload, which the gateway reads like the header.
  const NativeWebSocket = globalThis.WebSocket;
  globalThis.WebSocket = class extends NativeWebSocket {
    send(data) {
      const target = new URL(this.url);
      const key = field.value.trim();
      if (key && typeof data === 'string' && target.host === endpoint.host && target.pathname === endpoint.pathname) {
        try {
          const message = JSON.parse(data);
          if (message && message.type === 'connection_init') {
            data = JSON.stringify({ ...message, payload: { ...(message.payload ?? {}), 'x-api-key': key } });
          }
        } catch {
          // Not JSON: not a graphql-ws message of ours to touch.
        }
      }
      super.send(data);
    }
  };
}
const { React, createRoot, Ruru } = await import(new URL('ruru.js', assets).href);
createRoot(document.getElementById('ruru-root')).render(
  React.createElement(Ruru, { endpoint: endpoint.href, defaultQuery: config.defaultQuery, staticPath: assets.href }),
);
`;

const PAGE_CSS = `html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
#ruru-root { flex: 1; min-height: 0; }
.key-bar { display: flex; gap: 0.5rem; align-items: center; padding: 0.4rem 0.75rem; font-size: 14px;
  border-bottom: 1px solid #d0d4da; background: #f6f7f9; color: #1b2240; }
.key-bar input { width: 22rem; font: inherit; padding: 0.2rem 0.4rem; }
.key-bar small { color: #5a6274; }
`;

function page(options: GraphiqlOptions, base: string): string {
  // `<` escaped so that the JSON cannot close its <script> element.
  const config = JSON.stringify({ defaultQuery: options.defaultQuery ?? DEFAULT_QUERY }).replace(/</g, '\\u003c');
  // Relative asset URLs: the page works behind a proxy that serves the gateway under a path prefix.
  const assets = base.slice(1);
  const keyBar = options.apiKeyField
    ? `<div class="key-bar">
<label for="api-key">API key</label>
<input id="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="sent as x-api-key on every request">
<small>kept in this tab only (sessionStorage)</small>
</div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vendor-graph · GraphiQL</title>
<link rel="stylesheet" href="${assets}ruru.css">
<link rel="stylesheet" href="${assets}page.css">
<script type="application/json" id="graphiql-config">${config}</script>
<script type="module" src="${assets}boot.js"></script>
</head>
<body>
${keyBar}
<div id="ruru-root"></div>
</body>
</html>
`;
}

interface Asset {
  readonly content: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

function ownAsset(body: string, contentType: string): Asset {
  const content = Buffer.from(body);
  const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 22)}"`;
  return { content, headers: { 'content-type': contentType, 'content-length': String(content.length), etag } };
}

// A Map, not an object: a request for `__proto__` or `constructor` must find nothing.
const OWN_ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['boot.js', ownAsset(BOOT_JS, 'text/javascript; charset=utf-8')],
  ['page.css', ownAsset(PAGE_CSS, 'text/css; charset=utf-8')],
]);

/** The asset folder, named for Ruru's bundle and our own files, so that a new version never meets a stale cache. */
async function assetBase(): Promise<string> {
  const ruru = await getStaticFile({ staticPath: '/', urlPath: '/ruru.js', acceptEncoding: 'br', disallowDevAssets: true });
  const hash = createHash('sha256').update(ruru?.headers.etag ?? '');
  for (const asset of OWN_ASSETS.values()) hash.update(asset.headers.etag ?? '');
  return `${ASSET_ROOT}${hash.digest('hex').slice(0, 16)}/`;
}

function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return (req.method === 'GET' || req.method === 'HEAD') && /\btext\/html\b/i.test(accept);
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: Buffer | string): void {
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function graphiqlPage(options: GraphiqlOptions = {}): GraphiqlPage {
  let base: Promise<string> | undefined;
  // A failed load (a damaged install) is tried again on the next request rather than remembered.
  const baseOnce = () =>
    (base ??= assetBase().catch((error: unknown) => {
      base = undefined;
      throw error;
    }));
  let html: string | undefined;

  return async (req, res, path) => {
    if ((path === '/graphql' || path === '/') && wantsHtml(req)) {
      html ??= page(options, await baseOnce());
      // no-cache: the page names the asset folder, which changes with an upgrade.
      send(req, res, 200, { ...COMMON_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }, html);
      return true;
    }
    if (!path.startsWith(ASSET_ROOT)) return false;

    const folder = await baseOnce();
    const name = path.startsWith(folder) ? path.slice(folder.length) : undefined;
    const asset =
      name === undefined || name.includes('/')
        ? undefined
        : (OWN_ASSETS.get(name) ??
          // Source maps are refused: they would load another 10 MB bundle into memory for a DevTools nicety.
          (await getStaticFile({ staticPath: folder, urlPath: path, acceptEncoding: req.headers['accept-encoding'], disallowDevAssets: true })) ??
          undefined);
    if (!asset) {
      send(req, res, 404, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, 'not found');
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, { ...COMMON_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed');
      return true;
    }
    const headers = {
      ...COMMON_HEADERS,
      ...asset.headers,
      // The folder's name changes whenever a file in it does.
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'accept-encoding',
    };
    if (req.headers['if-none-match'] === asset.headers.etag) {
      send(req, res, 304, { etag: asset.headers.etag ?? '', 'cache-control': headers['cache-control'] }, '');
      return true;
    }
    send(req, res, 200, headers, asset.content);
    return true;
  };
}
