/**
 * The GraphiQL page and its assets over plain HTTP: what a browser is told (content types, caching, CSP) and
 * that nothing in the page points off the machine. test/e2e/graphiql.test.ts drives the page in Chromium.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Node's http client: no automatic decompression, so the bytes and encoding are what the gateway sent. */
function get(url: string | URL, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the GraphiQL page at /graphql (the default outside production)', () => {
  let s: TestStack;
  let page: Raw;
  let assets: URL;
  beforeAll(async () => {
    s = await startStack();
    page = await get(s.url, html);
    const css = /href="([^"]+)ruru\.css"/.exec(page.body.toString())?.[1];
    assets = new URL(css ?? 'missing/', s.url);
  });
  afterAll(async () => {
    await s.close();
  });

  it('is served to a browser with a CSP that names no other origin', () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
  });

  it('names only its own relative assets, and carries no inline script', () => {
    const text = page.body.toString();
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).toContain('<title>vendor-graph · GraphiQL</title>');
    // Only the JSON config block, which a browser does not run.
    expect(text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toEqual(['<script type="application/json" id="graphiql-config">']);
    // The demo's page starts with a query that runs on the demo data; no key field in open mode.
    expect(text).toContain('enquiries(first: 3)');
    expect(text).not.toContain('id="api-key"');
  });

  it.each([
    ['ruru.js', 'text/javascript; charset=utf-8'],
    ['ruru.css', 'text/css; charset=utf-8'],
    ['graphqlWorker.js', 'text/javascript; charset=utf-8'],
    ['editorWorker.js', 'text/javascript; charset=utf-8'],
    ['f6283f7ccaed1249d9eb.ttf', 'font/ttf'],
    ['boot.js', 'text/javascript; charset=utf-8'],
    ['page.css', 'text/css; charset=utf-8'],
  ])('serves %s as %s, cached for good and revalidated by etag', async (name, type) => {
    const asset = await get(new URL(name, assets));
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe(type);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect(asset.body.length).toBeGreaterThan(100);
    expect(Number(asset.headers['content-length'])).toBe(asset.body.length);
    const again = await get(new URL(name, assets), { 'if-none-match': String(asset.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('sends the bundle brotli-compressed to a client that accepts it, and plain to one that does not', async () => {
    const br = await get(new URL('ruru.js', assets), { 'accept-encoding': 'gzip, br' });
    const plain = await get(new URL('ruru.js', assets));
    expect(br.headers['content-encoding']).toBe('br');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
  });

  it.each([
    ['a source map (it would load another 10 MB bundle)', 'ruru.js.map'],
    ['an unknown file', 'nope.js'],
    ['an encoded path out of the folder', '%2e%2e%2fboot.js'],
    ['a subfolder', 'sub/boot.js'],
    ['an inherited property name', '__proto__'],
    ['another', 'constructor'],
  ])('answers 404 for %s', async (_what, name) => {
    expect((await get(new URL(name, assets))).status).toBe(404);
  });

  it('answers 404 under an asset folder that is not the current one', async () => {
    expect((await get(new URL('/graphiql/0000000000000000/ruru.js', s.url))).status).toBe(404);
  });

  it('refuses to write to an asset', async () => {
    expect((await get(new URL('ruru.js', assets), {}, 'POST')).status).toBe(405);
  });

  it('leaves GET /graphql to GraphQL for a client that does not ask for HTML', async () => {
    const answer = await get(`${s.url}?query=${encodeURIComponent('{ __typename }')}`, { accept: 'application/json', 'apollo-require-preflight': 'true' });
    expect(JSON.parse(answer.body.toString())).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the GraphiQL page with auth on', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack({ gateway: { auth: { mode: 'protected', apiKeys: [], jwt: undefined } } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('loads without credentials and has a field for the API key', async () => {
    const page = await get(s.url, html);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('id="api-key"');
  });
});

describe.each([
  ['apollo', 'Apollo Sandbox'],
  [false, 'no page'],
] as const)('GRAPHQL_SANDBOX=%s', (sandbox, what) => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack({ gateway: { sandbox } });
  });
  afterAll(async () => {
    await s.close();
  });

  it(`serves ${what} instead of GraphiQL`, async () => {
    const page = await get(s.url, html);
    const text = page.body.toString();
    expect(text).not.toContain('graphiql-config');
    if (sandbox === 'apollo') {
      expect(page.status).toBe(200);
      expect(text).toMatch(/apollo/i);
    } else {
      expect(page.headers['content-type']).not.toContain('text/html');
    }
  });
});
