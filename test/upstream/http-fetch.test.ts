/**
 * http-fetch.ts against real local servers: what transport.ts relies on when it passes `timeoutMs` rather
 * than a signal, and reads the body's bytes without a copy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch } from '../../src/upstream/http-fetch.ts';
import { send } from '../../src/upstream/transport.ts';

const servers: Server[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/things?a=1`);
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  })));
});

describe('httpFetch', () => {
  it('answers the status, every header (repeated ones too) and the whole body', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `record ${i}` })) });
    const url = await serve((req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '9', 'x-seen': `${req.method} ${req.url} ${req.headers['x-sent']}` });
      // Several writes, so the body arrives in more than one chunk.
      for (let i = 0; i < big.length; i += 10_000) res.write(big.slice(i, i + 10_000));
      res.end();
    });
    const response = await httpFetch()(url, { method: 'GET', headers: { 'x-sent': 'yes' }, timeoutMs: 5000 });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(response.headers.get('x-seen')).toBe('GET /v1/things?a=1 yes');
    expect(response.headers.get('Set-Cookie')).toBe('a=1, b=2');
    expect([...response.headers.entries()]).toContainEqual(['x-ratelimit-remaining', '9']);
    expect(Buffer.from(response.wholeBody ?? new Uint8Array()).toString('utf8')).toBe(big);
    expect(Buffer.from(await response.arrayBuffer()).toString('utf8')).toBe(big);
  });

  it('sends a body and does not follow a redirect', async () => {
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(302, { location: '/elsewhere', 'x-body': Buffer.concat(chunks).toString('utf8') });
        res.end();
      });
    });
    const response = await httpFetch()(url, { method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(302);
    expect(response.headers.get('x-body')).toBe('a=1&b=2');
    expect(response.wholeBody?.length).toBe(0);
  });

  it('rejects with a TimeoutError once timeoutMs has passed, and transport.ts reports a timeout', async () => {
    const url = await serve(() => undefined); // never answers
    const started = Date.now();
    await expect(httpFetch()(url, { method: 'GET', timeoutMs: 150 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(send(httpFetch(), 'carehq', { method: 'GET', url, path: 'things', params: [], headers: {}, body: undefined }, 150)).rejects.toMatchObject({
      problem: { kind: 'timeout', maybeDelivered: true },
    });
  });

  it('keeps the socket error code when nothing listens, which transport.ts reads as not delivered', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    await expect(httpFetch()(url, { method: 'GET', timeoutMs: 5000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(send(httpFetch(), 'carehq', { method: 'POST', url, path: 'things', params: [], headers: {}, body: 'x' }, 5000)).rejects.toMatchObject({
      problem: { kind: 'network', maybeDelivered: false },
    });
  });

  it('honours a caller\'s own abort signal, as fetch does', async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await expect(httpFetch()(url, { method: 'GET', signal: controller.signal })).rejects.toThrow('caller gave up');
  });
});
