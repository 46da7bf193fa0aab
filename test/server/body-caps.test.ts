/**
 * Body caps on every route, over raw TCP so that what the server reads and when it hangs up can be seen: a
 * `content-length` over the route's limit is refused with 413 and `Connection: close` before the body is
 * sent at all; a chunked body is cut off at the limit and the connection closed, never drained.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, vendorCalls, type TestStack } from '../helpers/gateway.ts';

const MiB = 1024 * 1024;

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Whether the server closed the connection (rather than the test giving up waiting). */
  readonly closedByServer: boolean;
  /** Body bytes the socket accepted from the test before it closed. */
  readonly bodyBytesWritten: number;
}

function origin(s: TestStack): { host: string; port: number } {
  const url = new URL(s.url);
  return { host: url.hostname, port: Number(url.port) };
}

/** Reads one HTTP response head off `socket`, and notices the server closing it. */
function readResponse(socket: Socket, written: () => number, waitMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let text = '';
    let head: { status: number; headers: Record<string, string> } | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      if (head) resolve({ ...head, closedByServer: false, bodyBytesWritten: written() });
      else reject(new Error(`no response within ${waitMs} ms`));
    }, waitMs);
    socket.on('data', (chunk: Buffer) => {
      if (head) return;
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      head = { status: Number(statusLine.split(' ')[1]), headers };
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (head) resolve({ ...head, closedByServer: true, bodyBytesWritten: written() });
      else reject(new Error(`the connection closed without a response (${written()} bytes written, got ${JSON.stringify(text.slice(0, 300))})`));
    });
  });
}

/** Sends only the head of a request announcing `length` bytes, and never the body. */
async function announce(s: TestStack, method: string, path: string, length: number, headers: Record<string, string> = {}): Promise<RawResponse> {
  const socket = connect(origin(s));
  await new Promise((resolve) => socket.once('connect', resolve));
  const response = readResponse(socket, () => 0);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: gateway.test', `Content-Length: ${length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  return response;
}

/** Streams up to `offer` bytes in chunks, as fast as the server takes them, until it hangs up. */
async function stream(s: TestStack, method: string, path: string, offer: number, headers: Record<string, string> = {}): Promise<RawResponse> {
  const socket = connect(origin(s));
  await new Promise((resolve) => socket.once('connect', resolve));
  let written = 0;
  const response = readResponse(socket, () => written);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: gateway.test', 'Transfer-Encoding: chunked', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  while (written < offer && !socket.destroyed) {
    const more = socket.write(frame, (error) => {
      if (!error) written += chunk.length;
    });
    if (!more) {
      const outcome = await Promise.race([
        new Promise((resolve) => socket.once('drain', () => resolve('drain'))),
        new Promise((resolve) => socket.once('close', () => resolve('close'))),
      ]);
      if (outcome === 'close') break;
    }
  }
  if (!socket.destroyed) socket.end('0\r\n\r\n');
  return response;
}

describe('body caps', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  const carecloudLimit = () => s.gateway.vendors.carecloud.maxUploadBytes;

  it.each([
    { route: 'POST /graphql', method: 'POST', path: '/graphql', length: () => MiB + 1, headers: { 'Content-Type': 'application/json' } },
    { route: 'PUT /files/{name}', method: 'PUT', path: '/files/big.pdf', length: () => carecloudLimit() + 1, headers: { 'Content-Type': 'application/pdf' } },
    { route: 'POST /webhooks/generic', method: 'POST', path: '/webhooks/generic', length: () => MiB + 1, headers: { 'Content-Type': 'application/json' } },
  ])('$route: a content-length over the limit is refused with 413 and the connection closed, the body never read', async ({ method, path, length, headers }) => {
    const before = vendorCalls(s);
    // Only the head is sent: the answer cannot have waited for a body.
    const answer = await announce(s, method, path, length(), headers);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.closedByServer).toBe(true);
    expect(vendorCalls(s)).toBe(before);
  });

  it.each([
    { route: 'POST /graphql', method: 'POST', path: '/graphql', limit: () => MiB, headers: { 'Content-Type': 'application/json' } },
    { route: 'PUT /files/{name}', method: 'PUT', path: '/files/big.pdf', limit: carecloudLimit, headers: { 'Content-Type': 'application/pdf' } },
    { route: 'POST /webhooks/generic', method: 'POST', path: '/webhooks/generic', limit: () => MiB, headers: { 'Content-Type': 'application/json' } },
  ])('$route: a chunked body is cut off at the limit, answered 413 and the connection closed, the rest never drained', async ({ method, path, limit, headers }) => {
    const before = vendorCalls(s);
    const offer = 256 * MiB;
    const answer = await stream(s, method, path, offer, headers);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.closedByServer).toBe(true);
    // Whatever the kernel's buffers took before the close, it is nowhere near what was offered.
    expect(answer.bodyBytesWritten).toBeGreaterThan(limit());
    expect(answer.bodyBytesWritten).toBeLessThan(limit() + 64 * MiB);
    expect(vendorCalls(s)).toBe(before);
  });

  it('a /graphql body of exactly 1 MiB is read and answered', async () => {
    const envelope = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(MiB - envelope.length) } });
    expect(Buffer.byteLength(body)).toBe(MiB);
    const response = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    const over = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${body} ` });
    expect(over.status).toBe(413);
    expect((await over.json()) as unknown).toMatchObject({ errors: [{ message: `request body too large: at most ${MiB} bytes` }] });
  });
});
