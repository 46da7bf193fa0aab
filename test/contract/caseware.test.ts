/**
 * Caseware Cloud's "Get started with Cloud API" (shared/vendor-docs/caseware.txt) and vendors.md, replayed
 * against the simulator and through CasewareSource. The client id, secret, headers and answers are the docs'
 * literal strings, never wire.ts constants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCasewareSimulator, type CasewareSimulator } from '../../src/simulators/caseware/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { CasewareSource } from '../../src/vendors/caseware/index.ts';

/** The docs' example API client. */
const CLIENT_ID = '966592b3-8586-4541-9909-f7a901ef0b9a';
const CLIENT_SECRET = 'sg1eb53tkbn6dez0momdxr0gm87fih1kkoekm40u';
const DOC_BODY = '{ "ClientId": "966592b3-8586-4541-9909-f7a901ef0b9a", "ClientSecret": "sg1eb53tkbn6dez0momdxr0gm87fih1kkoekm40u", "Language": "en" }';
const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

let sim: CasewareSimulator;
let now = Date.UTC(2026, 5, 1);

/** The docs' curl: `--header 'accept: application/json' --header 'Content-Type: application/json' --data '...'`. */
function requestToken(body = DOC_BODY): Promise<Response> {
  return fetch(`${sim.baseUrl}/auth/token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'Content-Type': 'application/json' },
    body,
  });
}

async function token(): Promise<string> {
  return ((await (await requestToken()).json()) as { Token: string }).Token;
}

const get = (path: string, bearer: string) => fetch(`${sim.baseUrl}/${path}`, { headers: { Authorization: `Bearer ${bearer}`, accept: 'application/json' } });

beforeAll(async () => {
  sim = await startCasewareSimulator({ credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, clock: () => now, limits: { burstCapacity: 1000, replenishRate: 1000 } });
});
afterAll(() => sim.close());

describe('Caseware docs: obtain an API token on POST /auth/token', () => {
  it('the base URL has the documented shape https://{region}.casewarecloud.com/{firm}/ms/caseware-cloud/api/v2', () => {
    expect(new URL(sim.baseUrl).pathname).toMatch(/^\/[^/]+\/ms\/caseware-cloud\/api\/v2$/);
  });

  it('the docs\' request answers "Status code: 200 OK" and { "Token": "..." }', async () => {
    const res = await requestToken();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['Token']);
    expect(body.Token).toEqual(expect.any(String));
  });

  it('"Use the API token as a bearer token in an authorization header"', async () => {
    const bearer = await token();
    expect((await get('users?page=1&pageSize=5', bearer)).status).toBe(200);
    expect((await get('users?page=1&pageSize=5', 'not-a-token')).status).toBe(401);
  });

  it('"The API token remains valid for 30 minutes"', async () => {
    const bearer = await token();
    now += 30 * 60_000 - 1000;
    expect((await get('users?page=1&pageSize=1', bearer)).status).toBe(200);
    now += 2000;
    expect((await get('users?page=1&pageSize=1', bearer)).status).toBe(401);
  });

  it('"Each Cloud API authentication generates a new session ... that doesn\'t invalidate any previous sessions"', async () => {
    const first = await token();
    const second = await token();
    expect(second).not.toBe(first);
    expect((await get('users?page=1&pageSize=1', first)).status).toBe(200);
    expect((await get('users?page=1&pageSize=1', second)).status).toBe(200);
  });

  it('"A client secret reset invalidates all existing sessions of that API client"', async () => {
    const before = await token();
    sim.resetSecret('a-new-secret-after-the-reset');
    try {
      expect((await get('users?page=1&pageSize=1', before)).status).toBe(401);
      expect((await requestToken()).status).toBe(401);
    } finally {
      sim.resetSecret(CLIENT_SECRET);
    }
  });

  it('assumption: a wrong secret is refused with 401 in the observed {"errors":[{"message"}]} shape', async () => {
    const res = await requestToken(DOC_BODY.replace(CLIENT_SECRET, 'wrong'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ message: expect.any(String) }] });
  });

  it('the client logs in with { ClientId, ClientSecret, Language: "en" } as JSON, then sends Authorization: Bearer', async () => {
    const source = CasewareSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, cacheTtlMs: 0 });
    await source.users(call()).page(0);
    const login = sim.log.filter((e) => e.method === 'POST' && e.path === 'auth/token').at(-1);
    expect(login?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(login?.body ?? '{}')).toEqual(JSON.parse(DOC_BODY));
    const list = sim.log.filter((e) => e.method === 'GET' && e.path === 'users').at(-1);
    expect(list?.headers.authorization).toMatch(/^Bearer \S+$/);
    expect(list?.status).toBe(200);
  });
});

describe('Caseware docs: rate limit policy', () => {
  it('every answer carries x-ratelimit-burst-capacity, -remaining, -replenish-rate and -requested-tokens', async () => {
    const res = await get('users?page=1&pageSize=1', await token());
    for (const name of ['x-ratelimit-burst-capacity', 'x-ratelimit-remaining', 'x-ratelimit-replenish-rate', 'x-ratelimit-requested-tokens']) {
      expect(res.headers.get(name), name).toMatch(/^\d+$/);
    }
  });

  it('"When no resources are available, HTTP status 429 (too many requests) is returned" (empty body, no Retry-After: vendors.md)', async () => {
    const bearer = await token();
    Object.assign(sim.limits, { burstCapacity: 2, replenishRate: 1 });
    try {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 4; i += 1) {
        const res = await get('users?page=1&pageSize=1', bearer);
        statuses.push(res.status);
        if (res.status === 429) limited = res;
        else await res.arrayBuffer();
      }
      expect(statuses).toContain(429);
      expect(limited?.headers.get('retry-after')).toBeNull();
      expect(await limited?.text()).toBe('');
    } finally {
      Object.assign(sim.limits, { burstCapacity: 1000, replenishRate: 1000 });
      now += 60_000;
    }
  });

  it('"Do not hard code these values": the client reads them and rides out a bucket far smaller than it was told', async () => {
    // Its own simulator on the real clock, so the bucket refills while the client waits.
    const sim2 = await startCasewareSimulator({ credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, limits: { burstCapacity: 2, replenishRate: 20 } });
    try {
      const source = CasewareSource.create(new UpstreamCore(), {
        baseUrl: sim2.baseUrl,
        credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        bucket: { capacity: 50, refillPerSecond: 50 },
        cacheTtlMs: 0,
      });
      const ids = sim2.store.users.slice(0, 6).map((u) => u.CWGuid);
      const users = await Promise.all(ids.map((id) => source.user(id, call())));
      expect(users.map((u) => u?.vendorId)).toEqual(ids);
    } finally {
      await sim2.close();
    }
  });
});

describe('Caseware (vendors.md): lists', () => {
  it('lists are bare JSON arrays paged by page (from 1) and pageSize; an empty array ends the walk', async () => {
    const bearer = await token();
    const first = (await (await get('entities?page=1&pageSize=100', bearer)).json()) as unknown[];
    expect(Array.isArray(first)).toBe(true);
    expect(first).toHaveLength(100);
    const past = await get('entities?page=3&pageSize=100', bearer);
    expect(past.status).toBe(200);
    expect(await past.json()).toEqual([]);
  });

  it("search=<Field>=<value> with strings in single quotes filters on a top-level field", async () => {
    const bearer = await token();
    const target = sim.store.users[0];
    const res = await get(`users?search=${encodeURIComponent(`Email='${target?.Email ?? ''}'`)}`, bearer);
    expect(((await res.json()) as Array<{ CWGuid: string }>).map((u) => u.CWGuid)).toEqual([target?.CWGuid]);
  });

  it('users/{CWGuid} answers one user, and an unknown one 404 {"errors":[{"message":"User not found"}]} (observed)', async () => {
    const bearer = await token();
    const [user] = sim.store.users;
    expect(await (await get(`users/${user?.CWGuid ?? ''}`, bearer)).json()).toMatchObject({ CWGuid: user?.CWGuid });
    const missing = await get('users/00000000-0000-0000-0000-000000000000', bearer);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ message: 'User not found' }] });
  });
});
