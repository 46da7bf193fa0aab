/**
 * `npm run simulate -- <vendor> --rate R --records N`, each a real child process: the list holds N records,
 * and with `--rate 10` the calls past the 10th in one second get the vendor's 429.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CARECLOUD_DEMO_CREDENTIALS } from '../../src/simulators/carecloud/options.ts';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID } from '../../src/simulators/carecloud/seed.ts';
import { CAREHQ_DEMO_CREDENTIALS } from '../../src/simulators/carehq/options.ts';
import { CASEWARE_DEMO_CREDENTIALS } from '../../src/simulators/caseware/options.ts';
import { CLINICEA_DEMO_CREDENTIALS } from '../../src/simulators/clinicea/options.ts';
import { GENERIC_DEMO_CREDENTIALS } from '../../src/simulators/generic/options.ts';
import { sign, stringToSign } from '../../src/vendors/carehq/auth.ts';
import { processesPerTest } from '../helpers/processes.ts';

const run = processesPerTest();

/** Not the default of any simulator, and under one page of each, so one call counts the list. */
const RECORDS = 57;

interface Vendor {
  /** Headers every data call carries (after a login, for the OAuth vendors). */
  login(baseUrl: string): Promise<Record<string, string>>;
  /** Size of the main list, read over HTTP. */
  count(baseUrl: string, headers: Record<string, string>): Promise<number>;
  /** One cheap data call; its status. */
  call(baseUrl: string, headers: Record<string, string>): Promise<number>;
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

/** CareHQ signs each request afresh (timestamp and nonce), so headers are made per call. */
function careHqGet(baseUrl: string, path: string, params: Array<[string, string]>): Promise<Response> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(12).toString('base64url');
  const c = CAREHQ_DEMO_CREDENTIALS;
  return fetch(`${baseUrl}/${path}?${new URLSearchParams(params).toString()}`, {
    headers: {
      'X-CareHQ-AccountId': c.accountId,
      'X-CareHQ-APIKey': c.apiKey,
      'X-CareHQ-Timestamp': timestamp,
      'X-CareHQ-Nonce': nonce,
      'X-CareHQ-Signature-Version': '2.0',
      'X-CareHQ-Signature': sign(c.apiSecret, stringToSign(timestamp, nonce, 'GET', path, params)),
    },
  });
}

const VENDORS: Record<string, Vendor> = {
  carehq: {
    login: () => Promise.resolve({}),
    count: async (base) => ((await (await careHqGet(base, 'care-enquiries', [['per_page', '1']])).json()) as { total_items: number }).total_items,
    call: async (base) => (await careHqGet(base, 'users', [['per_page', '1']])).status,
  },
  clinicea: {
    login: () => Promise.resolve({ api: CLINICEA_DEMO_CREDENTIALS.apiKey }),
    count: async (base, headers) => (await json<unknown[]>(`${base}/leads?intPageNo=0`, { headers })).length,
    call: async (base, headers) => (await fetch(`${base}/leads?intPageNo=0`, { headers })).status,
  },
  caseware: {
    login: async (base) => {
      const c = CASEWARE_DEMO_CREDENTIALS;
      const body = JSON.stringify({ ClientId: c.clientId, ClientSecret: c.clientSecret, Language: 'en' });
      const { Token } = await json<{ Token: string }>(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { authorization: `Bearer ${Token}` };
    },
    count: async (base, headers) => (await json<unknown[]>(`${base}/entities?pageSize=100`, { headers })).length,
    call: async (base, headers) => (await fetch(`${base}/entities?pageSize=1`, { headers })).status,
  },
  carecloud: {
    login: () => Promise.resolve({ 'x-api-key': CARECLOUD_DEMO_CREDENTIALS.apiKey }),
    count: async (base, headers) =>
      (await json<{ Items: unknown[] }>(`${base}/files/${CARECLOUD_DEFAULT_WORKSPACE_ID}/${CARECLOUD_DEFAULT_BUCKET_IDS[0]}?page=1&pageSize=100`, { headers })).Items.length,
    call: async (base, headers) => (await fetch(`${base}/files/${CARECLOUD_DEFAULT_WORKSPACE_ID}/${CARECLOUD_DEFAULT_BUCKET_IDS[0]}?pageSize=1`, { headers })).status,
  },
  generic: {
    login: async (base) => {
      const c = GENERIC_DEMO_CREDENTIALS;
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      const { access_token } = await json<{ access_token: string }>(`${base}/oauth/token`, { method: 'POST', headers, body });
      return { authorization: `Bearer ${access_token}` };
    },
    count: async (base, headers) => (await json<{ meta: { totalItems: number } }>(`${base}/users?limit=1`, { headers })).meta.totalItems,
    call: async (base, headers) => (await fetch(`${base}/users?limit=1`, { headers })).status,
  },
};

/** Waits for the start of the next whole second: fixed windows are aligned to it, and a bucket refills meanwhile. */
async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}

describe('npm run simulate -- <vendor> --rate R --records N', () => {
  it.each(Object.keys(VENDORS))('%s: holds N records, and at --rate 10 the calls past 10 in one second get 429', async (name) => {
    const vendor = VENDORS[name];
    if (!vendor) throw new Error(name);
    const sim = run(['src/simulators/cli.ts', name, '--rate', '10', '--records', String(RECORDS)], {});
    const [, baseUrl = ''] = await sim.waitFor(/base URL:\s+(\S+)/);
    const [load = ''] = await sim.waitFor(/load:[^\n]*/);
    expect(load).toMatch(new RegExp(`\\b10\\b.*; ${RECORDS} `));

    const headers = await vendor.login(baseUrl);
    expect(await vendor.count(baseUrl, headers)).toBe(RECORDS);

    await nextSecond();
    // Sent together so that they land within one second even on a busy machine. A bucket refills one token per
    // 100 ms at --rate 10, so calls that arrive later may pass: the bound allows for the time the burst took.
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => vendor.call(baseUrl, headers)));
    const elapsedMs = Date.now() - started;
    const passed = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - passed);
    expect(passed).toBeGreaterThanOrEqual(10);
    expect(passed).toBeLessThanOrEqual(10 + Math.floor(elapsedMs / 100));
    expect(passed, `the burst took ${elapsedMs} ms`).toBeLessThan(20);
  });

  it.each([
    ['--rate', '0', /expected --rate to be a whole number from 1/],
    ['--records', 'lots', /expected --records to be a whole number from 0/],
  ])('refuses %s %s with what it expected', async (flag, value, message) => {
    const sim = run(['src/simulators/cli.ts', 'carehq', flag, value], {});
    expect(await sim.exited()).toBe(2);
    expect(sim.output()).toMatch(message);
  });
});

describe('npm run simulate -- <vendor> --strict', () => {
  it('says it is strict and serves only what the vendor documents: the Generic API without GET users/{id}', async () => {
    const sim = run(['src/simulators/cli.ts', 'generic', '--strict', '--records', String(RECORDS)], {});
    const [, baseUrl = ''] = await sim.waitFor(/base URL:\s+(\S+)/);
    await sim.waitFor(/strict:\s+only what the vendor documents is served/);
    const headers = await VENDORS.generic?.login(baseUrl);
    const me = await json<{ id: string }>(`${baseUrl}/users/me`, { headers });
    const byId = await fetch(`${baseUrl}/users/${me.id}`, { headers });
    expect(byId.status).toBe(404);
    expect(await byId.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
