/**
 * NODE_ENV=production over real HTTP: introspection refused, no landing page, no "Did you mean" in any
 * error, internal errors masked with the request id that their log line carries; GRAPHQL_INTROSPECTION and
 * GRAPHQL_SANDBOX turn the first two back on. Each is checked against development mode too, so that a test
 * cannot pass because the feature was never there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/upstream/client.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { postGraphQL } from '../helpers/requests.ts';
import { capturingLogger, type CapturedLog } from '../helpers/secrets.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INTROSPECTION = '{ __schema { queryType { name } } }';

async function landingPage(s: TestStack): Promise<{ status: number; contentType: string; body: string }> {
  const response = await fetch(s.url, { headers: { accept: 'text/html' } });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

const misspelt = [
  { what: 'a field', query: '{ enquiries(first: 1) { totalCont } }', variables: {}, suggestion: 'Did you mean "totalCount"?' },
  {
    what: 'an enum value in a variable',
    query: 'query($f: EnquiryFilter) { enquiries(filter: $f) { totalCount } }',
    variables: { f: { fundingType: 'PRIVAT' } },
    suggestion: 'Did you mean the enum value "PRIVATE"?',
  },
  {
    what: 'an input field in a variable',
    query: 'query($f: EnquiryFilter) { enquiries(filter: $f) { totalCount } }',
    variables: { f: { serch: 'Edith' } },
    suggestion: 'Did you mean "search"?',
  },
];

describe('production mode', () => {
  let s: TestStack;
  let log: CapturedLog;
  let explode = false;

  beforeAll(async () => {
    log = capturingLogger('info');
    s = await startStack({
      gateway: {
        production: true,
        logger: log.logger,
        core: {
          onCall: (_event: CallEvent) => {
            if (explode) throw new TypeError('boom: a bug with internal details /srv/app/secret-path.ts');
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it.each([INTROSPECTION, '{ __type(name: "Enquiry") { fields { name } } }'])('refuses introspection: %s', async (query) => {
    const answer = await postGraphQL(s.url, query);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
  });

  it('serves no landing page to a browser', async () => {
    const page = await landingPage(s);
    expect(page.contentType).not.toContain('text/html');
    expect(page.body).not.toMatch(/<html|<!doctype/i);
    expect(page.status).toBe(400);
  });

  it.each(misspelt)('hides suggestions for $what', async ({ query, variables }) => {
    const answer = await postGraphQL(s.url, query, variables);
    expect(answer.status).toBe(400);
    const message = answer.body.errors?.[0]?.message ?? '';
    expect(message).not.toBe('');
    expect(message).not.toMatch(/did you mean/i);
  });

  it("masks an internal error, with the client's request id in the answer and in the log line", async () => {
    explode = true;
    let answer;
    try {
      answer = await postGraphQL(s.url, '{ enquiries(first: 1) { totalCount } }', {}, { 'x-request-id': 'trace-abc.123_X' });
    } finally {
      explode = false;
    }
    expect(answer.headers.get('x-request-id')).toBe('trace-abc.123_X');
    expect(answer.body.errors).toEqual([
      { message: 'Internal server error', path: ['enquiries'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-abc.123_X' } },
    ]);
    expect(JSON.stringify(answer.body)).not.toMatch(/boom|secret-path|stack/);
    const logged = log.lines.map((line) => JSON.parse(line) as { msg?: string; requestId?: string; err?: { message?: string } });
    const line = logged.find((entry) => entry.msg === 'resolver failed' && entry.requestId === 'trace-abc.123_X');
    expect(line?.err?.message).toContain('boom');
  });

  it('masks an internal error under a new request id when the client sends none', async () => {
    explode = true;
    let answer;
    try {
      answer = await postGraphQL(s.url, '{ enquiries(first: 1) { totalCount } }');
    } finally {
      explode = false;
    }
    const id = answer.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: id });
    expect(log.lines.some((line) => line.includes('"resolver failed"') && line.includes(`"requestId":"${id}"`))).toBe(true);
  });

  it('still answers ordinary queries', async () => {
    const answer = await postGraphQL(s.url, '{ enquiries(first: 1) { totalCount } }');
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('production mode with GRAPHQL_INTROSPECTION=true and GRAPHQL_SANDBOX=true', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack({ gateway: { production: true, introspection: true, sandbox: true } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('allows introspection', async () => {
    const answer = await postGraphQL(s.url, INTROSPECTION);
    expect(answer.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('serves the landing page', async () => {
    const page = await landingPage(s);
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
  });

  it('still hides suggestions', async () => {
    const answer = await postGraphQL(s.url, '{ enquiries(first: 1) { totalCont } }');
    expect(answer.body.errors?.[0]?.message).not.toMatch(/did you mean/i);
  });
});

describe('development mode (the default)', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  it('allows introspection and serves the landing page', async () => {
    expect((await postGraphQL(s.url, INTROSPECTION)).body.errors).toBeUndefined();
    expect((await landingPage(s)).contentType).toContain('text/html');
  });

  it.each(misspelt)('keeps suggestions for $what', async ({ query, variables, suggestion }) => {
    const answer = await postGraphQL(s.url, query, variables);
    expect(answer.body.errors?.[0]?.message).toContain(suggestion);
  });
});
