/**
 * The security paths that refuse, limit or fail (not only the happy ones) leak nothing: every log line the
 * gateway writes (at trace level, production mode) and every response it sends, headers included, is scanned
 * for every configured key and secret and for every credential the gateway actually sent a vendor (bearer
 * tokens, signatures, api keys, read back from the simulators' own request logs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey, newApiKey } from '../../src/server/auth/api-keys.ts';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { capturingLogger, expectNoSecrets, type CapturedLog } from '../helpers/secrets.ts';

const key = newApiKey();
const JWT_SECRET = 'jwt-secret-for-the-scan-0123456789abcdef';
const CURSOR_SECRET = 'cursor-secret-for-the-scan-0123';
let stack: TestStack;
let log: CapturedLog;
const seen: string[] = [];

async function send(path: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(new URL(path, stack.url), init);
  seen.push(JSON.stringify([...response.headers.entries()]), await response.text());
  return response.status;
}

const post = (query: string, headers: Record<string, string> = { 'x-api-key': key }, variables: Record<string, unknown> = {}) =>
  send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });

beforeAll(async () => {
  log = capturingLogger('trace');
  stack = await startStack({
    gateway: {
      logger: log.logger,
      production: true,
      cursorSecret: CURSOR_SECRET,
      publicUrl: 'http://127.0.0.1:1',
      clientRequestsPerMinute: 40,
      auth: {
        mode: 'protected',
        apiKeys: [{ name: 'scan', sha256: hashApiKey(key), scopes: ['*'] }],
        jwt: { key: { kind: 'secret', secret: JWT_SECRET }, issuer: 'https://issuer.example', audience: 'vendor-graph' },
      },
    },
  });
});

afterAll(() => stack.close());

describe('secrets on refusal, limit and failure paths', () => {
  it('appear in no log line and no response', async () => {
    const statuses = [
      await post('{ enquiries(first: 3) { nodes { id firstName assignee { name } } } leads(first: 2) { nodes { id owner { name } } } clients(first: 2) { nodes { name users { name } } } users(first: 5) { nodes { name } } files(first: 2) { nodes { name downloadUrl } } }'),
      await post('{ enquiries(first: 1) { nodes { id } } }', { 'x-api-key': `${key}x` }),
      await post('{ enquiries(first: 1) { nodes { id } } }', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.bad' }),
      await post(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: enquiries(first: 1) { nodes { id } }`).join(' ')} }`),
      await post('query($s: String) { enquiries(first: 1, filter: { search: $s }) { nodes { id } } }', { 'x-api-key': key }, { s: 'x'.repeat(300) }),
      await post('{ enquiriez { id } }'),
      await send('/graphql', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
      await send('/files/download/djE6Q0FSRUNMT1VEOkZpbGU6eC5wZGY'),
      await send('/metrics', { headers: { authorization: `Bearer ${key}` } }),
    ];
    expect(statuses).toEqual([200, 401, 401, 400, 400, 400, 403, 401, 200]);
    // A vendor that fails, and a client over its request limit.
    stack.carehq.faults.serverErrors = 4;
    await post('{ enquiries(first: 4) { nodes { id } } }');
    let limited = 0;
    for (let i = 0; i < 45 && limited === 0; i += 1) if ((await post('{ __typename }')) === 429) limited += 1;
    expect(limited).toBe(1);

    const sent = [stack.carehq, stack.clinicea, stack.caseware, stack.carecloud, stack.generic].flatMap((sim) =>
      sim.log.flatMap((entry) =>
        Object.entries(entry.headers)
          .filter(([name]) => /authorization|api-?key|signature|^api$|secret/i.test(name))
          .map(([, value]) => String(value).replace(/^Bearer\s+/i, '')),
      ),
    );
    expect(sent.length).toBeGreaterThan(5);
    const secrets = [
      key,
      JWT_SECRET,
      CURSOR_SECRET,
      stack.carehq.credentials.apiSecret,
      stack.clinicea.credentials.apiKey,
      stack.caseware.credentials.clientSecret,
      stack.carecloud.credentials.apiKey,
      stack.generic.credentials.clientSecret,
      ...new Set(sent.filter((value) => value.length >= 8)),
    ];
    expect(log.lines.length).toBeGreaterThan(10);
    expectNoSecrets([...log.lines, ...seen], secrets);
  });
});
