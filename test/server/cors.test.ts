/**
 * CORS as a browser exercises it, over real HTTP: a page on an allowed origin queries with an API key (a
 * preflight, then the request itself), an unknown origin gets no CORS headers, production allows only what
 * CORS_ORIGINS lists, and Apollo's CSRF prevention stays on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey, newApiKey } from '../../src/server/auth/api-keys.ts';
import { startStack, stacksPerTest, type TestStack } from '../helpers/gateway.ts';

const KEY = newApiKey();

/** What a browser sends before a cross-origin POST with `content-type: application/json` and `x-api-key`. */
function preflight(url: string, origin: string, method = 'POST', headers = 'content-type, x-api-key'): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

function query(url: string, origin: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', 'x-api-key': KEY, ...headers },
    body: JSON.stringify({ query: '{ enquiries(first: 1) { totalCount } }' }),
  });
}

function listed(header: string | null): string[] {
  return (header ?? '').split(',').map((item) => item.trim().toLowerCase());
}

describe('CORS with an API key, outside production', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack({
      gateway: { auth: { mode: 'protected', apiKeys: [{ name: 'web', sha256: hashApiKey(KEY), scopes: ['*'] }], jwt: undefined } },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(['http://localhost:5173', 'http://127.0.0.1:3000', 'http://localhost'])('a page on %s can preflight and then query with its key', async (origin) => {
    const pre = await preflight(s.url, origin);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(listed(pre.headers.get('vary'))).toContain('origin');
    expect(listed(pre.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post', 'options', 'put']));
    expect(listed(pre.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-request-id']),
    );
    expect(Number(pre.headers.get('access-control-max-age'))).toBeGreaterThan(0);

    const answer = await query(s.url, origin);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { enquiries: { totalCount: expect.any(Number) } } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    expect(listed(answer.headers.get('vary'))).toContain('origin');
    expect(listed(answer.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['x-request-id', 'retry-after']));
  });

  it('a preflight for an upload (PUT /files/{name}) is allowed too', async () => {
    const pre = await preflight(new URL('/files/plan.pdf', s.url).toString(), 'http://localhost:5173', 'PUT', 'content-type, x-api-key');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it.each(['https://evil.example', 'http://localhost.evil.example', 'https://localhost:5173', 'null'])(
    'an unknown origin (%s) gets a 403 preflight and no CORS headers on any answer',
    async (origin) => {
      const pre = await preflight(s.url, origin);
      expect(pre.status).toBe(403);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-headers')).toBeNull();
      const answer = await query(s.url, origin);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-expose-headers')).toBeNull();
    },
  );

  it('keeps CSRF prevention on: a simple GET with no preflight header is refused', async () => {
    const url = `${s.url}?query=${encodeURIComponent('{ __typename }')}`;
    const refused = await fetch(url, { headers: { origin: 'http://localhost:5173', 'x-api-key': KEY } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/CSRF/);
    const allowed = await fetch(url, { headers: { origin: 'http://localhost:5173', 'x-api-key': KEY, 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });
});

describe('CORS in production and with CORS_ORIGINS', () => {
  const ownStack = stacksPerTest();

  it('production allows no origin by default, not even localhost', async () => {
    const s = await ownStack({ gateway: { production: true } });
    const pre = await preflight(s.url, 'http://localhost:5173');
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS allows exactly the origins it lists, and replaces the local default', async () => {
    const s = await ownStack({ gateway: { production: true, corsOrigins: ['https://app.example.com', 'https://admin.example.com:8443'] } });
    for (const origin of ['https://app.example.com', 'https://admin.example.com:8443']) {
      const pre = await preflight(s.url, origin);
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of ['http://app.example.com', 'https://admin.example.com', 'http://localhost:5173']) {
      expect((await preflight(s.url, origin)).status).toBe(403);
    }
  });
});
