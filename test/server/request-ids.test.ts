/**
 * Every answer, on every route, carries an `x-request-id`: the client's own when it is a plain token of up
 * to 128 characters, a new UUID otherwise (so a header cannot smuggle anything into a log line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s.close();
  });

  /** One request to each kind of route: GraphQL, a plain route, a file route. */
  const routes = (headers: Record<string, string> = {}) => ({
    graphql: () => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ __typename }"}' }),
    health: () => fetch(new URL('/health', s.url), { headers }),
    'file download': () => fetch(new URL('/files/download/nope', s.url), { headers }),
  });

  it.each(['abc', 'trace-0af7651916cd43dd8448eb211c80319c', 'a.b_c-D', 'x'.repeat(128)])('echoes a well-formed id on every route: %s', async (id) => {
    for (const [route, send] of Object.entries(routes({ 'x-request-id': id }))) {
      expect([route, (await send()).headers.get('x-request-id')]).toEqual([route, id]);
    }
  });

  it.each(['has space', 'semi;colon', 'x'.repeat(129), 'crlf%0d%0ainjected', 'ünïcode', '{"json":1}'])(
    'replaces a malformed id with a new UUID: %s',
    async (id) => {
      const response = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: '{"query":"{ __typename }"}',
      });
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    },
  );

  it('gives every request its own id when the client sends none, on every route', async () => {
    const seen = new Set<string>();
    for (const send of Object.values(routes())) {
      for (let i = 0; i < 2; i += 1) {
        const id = (await send()).headers.get('x-request-id') ?? '';
        expect(id).toMatch(UUID);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(6);
  });
});
