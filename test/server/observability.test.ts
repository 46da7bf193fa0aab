/**
 * What an operator sees of one request: its id on every log line written while it runs (the core's
 * upstream lines included), in every error it answers and in every call it makes to a vendor; and one access
 * log line naming the operation, the client, the caller, the duration, the vendor calls and the error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../helpers/auth.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import type { gql } from '../helpers/graphql.ts';
import { capturingLogger, type CapturedLog } from '../helpers/secrets.ts';

type Line = Record<string, unknown> & { msg?: string; requestId?: string };

const ALL_VENDORS = `query AllFive {
  enquiries(first: 2) { nodes { id } }
  leads(first: 2) { nodes { id } }
  clients(first: 2) { nodes { id } }
  files(first: 2) { nodes { id } }
  users(first: 2, vendors: [GENERIC]) { nodes { id } }
}`;

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { id: response.headers.get('x-request-id'), body: (await response.json()) as Awaited<ReturnType<typeof gql>> };
}

describe('request ids and the access log', () => {
  let s: TestStack;
  let log: CapturedLog;
  const lines = (): Line[] => log.lines.map((line) => JSON.parse(line) as Line);
  beforeAll(async () => {
    log = capturingLogger('debug');
    s = await startStack({ gateway: { logger: log.logger } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('sends the request id to every vendor the request calls, and puts it on every log line the request wrote', async () => {
    const before = log.lines.length;
    const marks = [s.carehq, s.clinicea, s.caseware, s.carecloud, s.generic].map((sim) => sim.log.length);
    const { id, body } = await post(s.url, ALL_VENDORS, { 'x-request-id': 'req-five-vendors' });
    expect(body.errors).toBeUndefined();
    expect(id).toBe('req-five-vendors');
    const sims = { carehq: s.carehq, clinicea: s.clinicea, caseware: s.caseware, carecloud: s.carecloud, generic: s.generic };
    for (const [i, [vendor, sim]] of Object.entries(sims).entries()) {
      // Token requests are the vendor's auth flow, not a call made for this request.
      const calls = sim.log.slice(marks[i]).filter((entry) => !/token/.test(entry.path));
      expect([vendor, calls.length > 0]).toEqual([vendor, true]);
      expect([vendor, calls.map((entry) => entry.headers['x-request-id'])]).toEqual([vendor, calls.map(() => 'req-five-vendors')]);
    }
    const written = lines().slice(before);
    // The core logs each upstream attempt at debug: five vendors, at least five lines, each with the id.
    expect(written.filter((line) => line.msg === 'upstream call').length).toBeGreaterThanOrEqual(5);
    expect(written.length).toBeGreaterThan(0);
    expect(written.map((line) => line.requestId)).toEqual(written.map(() => 'req-five-vendors'));
  });

  it.each([
    ['a validation error', '{ nosuchfield }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a parse error', '{ enquiries(', 'GRAPHQL_PARSE_FAILED'],
    ['a resolver error', '{ node(id: "not-an-id") { id } }', 'BAD_USER_INPUT'],
    ['a limit refusal', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: enquiry(id: "x") { id }`).join(' ')} }`, 'QUERY_TOO_COMPLEX'],
  ])('puts the request id in %s', async (_kind, query, code) => {
    const { id, body } = await post(s.url, query);
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors ?? []) expect(error.extensions).toMatchObject({ code, requestId: id });
  });

  it.each([
    ['a body that is not JSON (400)', () => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' }), 'BAD_REQUEST'],
    ['a body over the cap (413)', () => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":"${'x'.repeat(1_100_000)}"}` }), 'BAD_USER_INPUT'],
    ['a download of a malformed id', () => fetch(new URL('/files/download/nope', s.url)), 'BAD_USER_INPUT'],
  ])('puts the request id in an error answered outside Apollo: %s', async (_kind, send, code) => {
    const response = await send();
    const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.extensions).toMatchObject({ code, requestId: response.headers.get('x-request-id') });
  });

  it('writes one access line per operation: name, client, caller, duration, vendor calls and error codes', async () => {
    const before = log.lines.length;
    const { id } = await post(s.url, 'query Two { enquiries(first: 2) { nodes { id } } bad: node(id: "nope") { id } }', {
      'apollographql-client-name': 'web-app',
      'apollographql-client-version': '1.4.2',
    });
    const access = lines()
      .slice(before)
      .filter((line) => line.msg === 'graphql request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      requestId: id,
      operationName: 'Two',
      operationType: 'query',
      clientName: 'web-app',
      clientVersion: '1.4.2',
      principal: 'anonymous',
      upstreamCalls: 1,
      status: 200,
      errorCodes: ['BAD_USER_INPUT'],
    });
    expect(access[0]?.durationMs).toEqual(expect.any(Number));
  });

  it('logs an operation that called no vendor with zero calls, and no client name when none was sent', async () => {
    const before = log.lines.length;
    await post(s.url, '{ __typename }');
    const access = lines()
      .slice(before)
      .filter((line) => line.msg === 'graphql request');
    expect(access).toEqual([expect.objectContaining({ operationName: null, clientName: null, upstreamCalls: 0, errorCodes: [] })]);
  });
});

describe('the access log for requests refused before Apollo runs them', () => {
  let s: TestStack;
  let log: CapturedLog;
  const issued = issueKey('refusals', ['enquiries:read']);
  const access = (from: number): Line[] =>
    log.lines
      .slice(from)
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => line.msg === 'graphql request');
  beforeAll(async () => {
    log = capturingLogger('info');
    s = await startStack({ gateway: { logger: log.logger, auth: { mode: 'protected', apiKeys: [issued.record], jwt: undefined } } });
  });
  afterAll(async () => {
    await s.close();
  });

  it.each([
    ['no credentials (401)', () => post(s.url, '{ __typename }', { 'apollographql-client-name': 'web-app' }), 401, 'UNAUTHENTICATED', 'web-app'],
    [
      'a body that is not JSON (400)',
      () => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': issued.key }, body: '{nope' }),
      400,
      'BAD_REQUEST',
      null,
    ],
    [
      'a body over the cap (413)',
      () =>
        fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': issued.key }, body: `{"query":"${'x'.repeat(1_100_000)}"}` }),
      413,
      'BAD_USER_INPUT',
      null,
    ],
  ])('writes one line for %s, with its status and code', async (_kind, send, status, code, clientName) => {
    const before = log.lines.length;
    await send();
    await expect.poll(() => access(before).length).toBe(1);
    expect(access(before)[0]).toMatchObject({ operationName: null, principal: null, upstreamCalls: 0, status, errorCodes: [code], clientName });
  });

  it('writes exactly one line for a request Apollo ran, even when it answered an error', async () => {
    const before = log.lines.length;
    await post(s.url, '{ nosuchfield }', { 'x-api-key': issued.key });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(access(before)).toEqual([expect.objectContaining({ principal: 'key:refusals', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] })]);
  });
});

describe('the access log with auth on', () => {
  it('names the authenticated caller by its key name, never the key', async () => {
    const log = capturingLogger('info');
    const issued = issueKey('reporting', ['enquiries:read']);
    const s = await startStack({ gateway: { logger: log.logger, auth: { mode: 'protected', apiKeys: [issued.record], jwt: undefined } } });
    try {
      await post(s.url, 'query Mine { enquiries(first: 1) { nodes { id } } }', { 'x-api-key': issued.key });
      const access = log.lines.map((line) => JSON.parse(line) as Line).filter((line) => line.msg === 'graphql request');
      expect(access).toEqual([expect.objectContaining({ operationName: 'Mine', principal: 'key:reporting', clientName: null })]);
      expect(log.lines.join('\n')).not.toContain(issued.key);
    } finally {
      await s.close();
    }
  });
});
