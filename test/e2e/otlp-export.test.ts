/**
 * `npm start` with OTEL_EXPORTER_OTLP_ENDPOINT set: the spans of a request reach an OTLP/HTTP collector (a
 * loopback server standing in for one) at /v1/traces, with the configured headers and service name, at the
 * latest when the gateway drains on SIGTERM.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gqlData } from '../helpers/graphql.ts';
import { processesPerTest } from '../helpers/processes.ts';

const start = processesPerTest();

interface Export {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const collectors: Array<{ close(): void }> = [];
afterEach(() => collectors.splice(0).forEach((c) => c.close()));

async function collector(): Promise<{ url: string; received: Export[] }> {
  const received: Export[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collectors.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('OTLP export', () => {
  it('sends the spans of a request to the collector, with its headers and the service name', async () => {
    const otlp = await collector();
    const gateway = start(['src/main.ts'], {
      PORT: '0',
      LOG_LEVEL: 'silent',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k%3D1',
      OTEL_SERVICE_NAME: 'graph-under-test',
    });
    const [, url] = await gateway.waitFor(/GraphQL gateway ready at (\S+)/);
    await gateway.waitFor(/Tracing:\s+OTLP to http:\/\/127\.0\.0\.1:\d+\/v1\/traces as graph-under-test/);
    await gqlData(url ?? '', 'query Exported { enquiries(first: 1) { nodes { id } } }');
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited()).toBe(0);

    expect(otlp.received.length).toBeGreaterThan(0);
    expect(new Set(otlp.received.map((e) => e.path))).toEqual(new Set(['/v1/traces']));
    expect(otlp.received[0]?.headers['x-collector-key']).toBe('k=1');
    expect(otlp.received[0]?.headers['content-type']).toBe('application/json');
    const all = otlp.received.map((e) => e.body).join('\n');
    expect(all).toContain('graph-under-test');
    for (const name of ['query Exported', 'Query.enquiries', 'queue wait', 'carehq listEnquiries']) expect(all).toContain(name);
  });
});
