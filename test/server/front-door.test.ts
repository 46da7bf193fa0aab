/**
 * What fastify would answer on its own, answered in our shape instead: a content type that is not a media
 * type (fastify's 415), a path its router cannot decode (its 400 FST_ERR_BAD_URL), a route it parses no body
 * for. Every answer carries the request id, and none carries fastify's error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

let stack: TestStack;
const originOf = (s: TestStack) => new URL(s.url).origin;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function answer(path: string, init?: RequestInit): Promise<{ status: number; requestId: string | null; text: string }> {
  const response = await fetch(`${originOf(stack)}${path}`, init);
  return { status: response.status, requestId: response.headers.get('x-request-id'), text: await response.text() };
}

describe('the fastify front door', () => {
  it('answers a POST /graphql whose content type is not a media type with 400 BAD_REQUEST in our shape', async () => {
    const { status, requestId, text } = await answer('/graphql', { method: 'POST', headers: { 'content-type': 'made-up' }, body: '{"query":"{ __typename }"}' });
    expect(status).toBe(400);
    expect(text).not.toContain('FST_');
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'the request is malformed', extensions: { code: 'BAD_REQUEST', requestId } }] });
  });

  it('answers a path its router cannot decode with our 404 and a request id, not a framework error', async () => {
    const { status, requestId, text } = await answer('/%E0%A4%A');
    expect(status).toBe(404);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(text)).toEqual({ message: 'not found: the GraphQL endpoint is /graphql' });
  });

  it('serves the client its own request id on a route that reads its own body and on the 404', async () => {
    for (const [path, expected] of [['/healthz', 200], ['/no-such-route', 404]] as const) {
      const { status, requestId } = await answer(path, { method: 'POST', headers: { 'content-type': 'made-up', 'x-request-id': 'front-door-1' }, body: 'x' });
      expect(status).toBe(expected);
      expect(requestId).toBe('front-door-1');
    }
  });

  it('still answers GraphQL with the same bytes over GET and POST', async () => {
    const get = await answer('/graphql?query=%7B__typename%7D', { headers: { 'apollo-require-preflight': 'true' } });
    const post = await answer('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
    expect(get.status).toBe(200);
    expect(get.text).toBe(post.text);
    expect(JSON.parse(post.text)).toEqual({ data: { __typename: 'Query' } });
  });
});
