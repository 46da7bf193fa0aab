/**
 * Health, readiness and the drain, as a deployment sees them: probes over HTTP, SIGTERM to a real `npm start`
 * process with requests in flight, and a busy port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { stacksPerTest } from '../helpers/gateway.ts';
import { gql } from '../helpers/graphql.ts';
import { processesPerTest } from '../helpers/processes.ts';

const stack = stacksPerTest();
const start = processesPerTest();

interface Readiness {
  status: string;
  draining: boolean;
  redis: { reachable: boolean } | null;
  vendors: Array<{ vendor: string; mode: string; circuit: string }>;
}

async function readiness(url: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(new URL('/readyz', url));
  return { status: response.status, body: (await response.json()) as Readiness };
}

describe('health and readiness', () => {
  it('answers /healthz while alive and /readyz with each vendor breaker', async () => {
    const s = await stack();
    const health = await fetch(new URL('/healthz', s.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'alive' });
    const ready = await readiness(s.url);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', draining: false, redis: null });
    expect(ready.body.vendors.map((v) => [v.vendor, v.circuit])).toEqual([
      ['CAREHQ', 'closed'],
      ['CLINICEA', 'closed'],
      ['CASEWARE', 'closed'],
      ['CARECLOUD', 'closed'],
      ['GENERIC', 'closed'],
    ]);
  });

  it('stays ready when a vendor is down: one outage must not pull every replica', async () => {
    const s = await stack({ gateway: { core: { breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 }, retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1 } } } });
    s.carehq.faults.serverErrors = 10;
    for (let i = 0; i < 3; i += 1) await gql(s.url, `{ enquiries(first: ${i + 1}) { nodes { id } } }`);
    const ready = await readiness(s.url);
    expect(ready.body.vendors.find((v) => v.vendor === 'CAREHQ')?.circuit).toBe('open');
    expect(ready.status).toBe(200);
  });

  it('is ready with a reachable Redis and unready without one', async () => {
    const up = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    try {
      const withRedis = await stack({ gateway: { redis: up } });
      expect((await readiness(withRedis.url)).body.redis).toEqual({ reachable: true });
      const withoutRedis = await stack({ gateway: { redis: down } });
      const answer = await readiness(withoutRedis.url);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: 'unready', redis: { reachable: false } });
    } finally {
      up.disconnect();
      down.disconnect();
    }
  });
});

describe('drain', () => {
  it('lets requests in flight finish when the gateway closes, then refuses new connections', async () => {
    const s = await stack();
    // The vendor's latency is long against the wait before closing, so that on a loaded machine every request
    // has been read by the gateway (a connection whose request is still unread is idle, and closing resets it).
    s.carehq.faults.latencyMs = 2500;
    const inFlight = Array.from({ length: 5 }, (_, i) => gql<{ enquiries: { nodes: unknown[] } }>(s.url, `{ enquiries(first: ${i + 1}) { nodes { id } } }`));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const closing = s.gateway.close();
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.errors ?? r.data?.enquiries.nodes.length)).toEqual([1, 2, 3, 4, 5]);
    await closing;
    await expect(fetch(new URL('/healthz', s.url))).rejects.toThrow();
  });

  it('npm start: 10 requests in flight against a slow vendor all complete after SIGTERM, and it exits 0', async () => {
    // Not NODE_ENV=test (vitest's): Apollo installs its own signal handlers outside tests, and they must not
    // cut the drain short.
    const gateway = start(['src/main.ts'], { PORT: '0', LOG_LEVEL: 'silent', NODE_ENV: 'development', SHUTDOWN_GRACE_MS: '30000' });
    const [, url] = await gateway.waitFor(/GraphQL gateway ready at (\S+)/);
    const [, carehq] = await gateway.waitFor(/carehq\s+simulator at (\S+)/);
    const faults = await fetch(new URL('/__sim/faults', carehq), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 4000 }) });
    expect(faults.status).toBe(200);
    const inFlight = Array.from({ length: 10 }, (_, i) =>
      gql<{ enquiries: { nodes: unknown[] } }>(url ?? '', `{ enquiries(first: ${i + 1}) { nodes { id } } }`),
    );
    // Long enough for a loaded machine to have read all ten requests, well short of the vendor's 4 s.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    gateway.child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.errors ?? r.data?.enquiries.nodes.length)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await gateway.exited()).toBe(0);
    expect(gateway.output()).toContain('SIGTERM: draining');
  });
});

describe('signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('npm start exits 0 on %s when idle, outside tests too', async (signal) => {
    // NODE_ENV=development: Apollo installs signal handlers of its own unless NODE_ENV is test.
    const gateway = start(['src/main.ts'], { PORT: '0', LOG_LEVEL: 'silent', NODE_ENV: 'development' });
    await gateway.waitFor(/GraphQL gateway ready at (\S+)/);
    gateway.child.kill(signal);
    const exited = await Promise.race([gateway.exited(), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 8000))]);
    expect(exited).toBe(0);
  });
});

describe('a busy port', () => {
  it('stops with one line that suggests PORT, not a stack trace', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const gateway = start(['src/main.ts'], { PORT: String(port), LOG_LEVEL: 'silent' });
      expect(await gateway.exited()).toBe(1);
      const lines = gateway.output().trim().split('\n');
      expect(lines.at(-1)).toBe(`port ${port} is in use: set PORT to a free port (PORT=0 picks one)`);
      expect(gateway.output()).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  });
});

