/**
 * Strict mode: each simulator serves only what its vendor documents (its undocumented.ts). The same request
 * goes to a simulator started strict and to one started normally, so each case shows what strict takes away;
 * paths, headers and error bodies are the vendors' documented ones.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCareCloudSimulator, type CareCloudSimulator } from '../../src/simulators/carecloud/server.ts';
import { startCareHqSimulator, type CareHqSimulator } from '../../src/simulators/carehq/server.ts';
import { sign, stringToSign } from '../../src/vendors/carehq/auth.ts';
import { startCasewareSimulator, type CasewareSimulator } from '../../src/simulators/caseware/server.ts';
import { startCliniceaSimulator, type CliniceaSimulator } from '../../src/simulators/clinicea/server.ts';
import { startGenericSimulator, type GenericSimulator } from '../../src/simulators/generic/server.ts';
import { serveAll } from '../../src/simulators/serve-all.ts';

type Pair<T> = { loose: T; strict: T };
const closers: Array<() => Promise<void>> = [];
async function both<T extends { close(): Promise<void> }>(start: (strict: boolean) => Promise<T>): Promise<Pair<T>> {
  const [loose, strict] = await Promise.all([start(false), start(true)]);
  closers.push(() => loose.close(), () => strict.close());
  return { loose, strict };
}
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

describe('CareHQ strict', () => {
  let sims: Pair<CareHqSimulator>;
  const get = (sim: CareHqSimulator, path: string, params: Array<[string, string]>) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('base64url');
    const c = sim.credentials;
    return fetch(`${sim.baseUrl}/${path}?${new URLSearchParams(params).toString()}`, {
      headers: {
        'X-CareHQ-AccountId': c.accountId,
        'X-CareHQ-APIKey': c.apiKey,
        'X-CareHQ-Timestamp': timestamp,
        'X-CareHQ-Nonce': nonce,
        'X-CareHQ-Signature-Version': '2.0',
        'X-CareHQ-Signature': sign(c.apiSecret, stringToSign(timestamp, nonce, 'GET', path, params)),
        Accept: 'application/json',
      },
    });
  };
  beforeAll(async () => {
    sims = await both((strict) => startCareHqSimulator({ strict, perSecond: 1000 }));
  });

  it('ignores filters-ids (no such field filter) after checking the signature over it: the whole list comes back', async () => {
    const ids = [...sims.strict.store.users.keys()].slice(0, 2);
    const params: Array<[string, string]> = [...ids.map((id): [string, string] => ['filters-ids', id]), ['per_page', '100']];
    const loose = (await (await get(sims.loose, 'users', params)).json()) as { items: Array<{ _id: string }> };
    expect(loose.items.map((u) => u._id).sort()).toEqual([...ids].sort());
    const res = await get(sims.strict, 'users', params);
    expect(res.status).toBe(200);
    const strict = (await res.json()) as { items: unknown[]; total_items: number };
    expect(strict.total_items).toBe(sims.strict.store.users.size);
    // The documented retrieve stays.
    expect((await get(sims.strict, `users/${ids[0] ?? ''}`, [])).status).toBe(200);
  });
});

describe('Generic API strict', () => {
  let sims: Pair<GenericSimulator>;
  const tokens = new Map<GenericSimulator, string>();
  const get = async (sim: GenericSimulator, path: string) => {
    let token = tokens.get(sim);
    if (!token) {
      const res = await fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${sim.credentials.clientId}&client_secret=${sim.credentials.clientSecret}`,
      });
      token = ((await res.json()) as { access_token: string }).access_token;
      tokens.set(sim, token);
    }
    return fetch(`${sim.baseUrl}/${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  };
  beforeAll(async () => {
    sims = await both((strict) => startGenericSimulator({ strict, userCount: 30, limits: { limit: 1000, windowSeconds: 1 } }));
  });

  it('ignores ?ids= (an unknown parameter): the documented list comes back unfiltered', async () => {
    const wanted = sims.loose.store.users[3]?.id ?? '';
    const loose = (await (await get(sims.loose, `users?ids=${wanted}`)).json()) as { data: Array<{ id: string }> };
    expect(loose.data.map((u) => u.id)).toEqual([wanted]);
    const res = await get(sims.strict, `users?ids=${wanted}`);
    expect(res.status).toBe(200);
    const strict = (await res.json()) as { data: Array<{ id: string }>; meta: { totalItems: number } };
    expect(strict.meta.totalItems).toBe(30);
    expect(strict.data.length).toBeGreaterThan(1);
  });

  it('answers GET users/{id} as an unknown path, in the documented error shape; users/me still works', async () => {
    const id = sims.strict.store.users[3]?.id ?? '';
    expect((await get(sims.loose, `users/${id}`)).status).toBe(200);
    const res = await get(sims.strict, `users/${id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await get(sims.strict, 'users/me')).status).toBe(200);
  });
});

describe('Clinicea strict', () => {
  let sims: Pair<CliniceaSimulator>;
  const get = (sim: CliniceaSimulator, path: string) =>
    fetch(`${sim.baseUrl}/${path}`, { headers: { Accept: 'application/json', api: sim.credentials.apiKey } });
  beforeAll(async () => {
    sims = await both((strict) => startCliniceaSimulator({ strict, perSecond: 10_000, leadCount: 5 }));
  });

  it("answers GET leads/{id} with Web API's 404 for a path it has no method for; the list is served", async () => {
    const id = [...sims.strict.store.leads.keys()][0] ?? '';
    expect((await get(sims.loose, `leads/${id}`)).status).toBe(200);
    const res = await get(sims.strict, `leads/${id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ Message: 'No HTTP resource was found that matches the request URI.' });
    expect((await get(sims.strict, 'leads?intPageNo=0')).status).toBe(200);
  });
});

describe('Caseware strict', () => {
  let sims: Pair<CasewareSimulator>;
  const get = async (sim: CasewareSimulator, path: string) => {
    const tokenRes = await fetch(`${sim.baseUrl}/auth/token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ ClientId: sim.credentials.clientId, ClientSecret: sim.credentials.clientSecret, Language: 'en' }),
    });
    const { Token } = (await tokenRes.json()) as { Token: string };
    return fetch(`${sim.baseUrl}/${path}`, { headers: { Authorization: `Bearer ${Token}`, accept: 'application/json' } });
  };
  beforeAll(async () => {
    sims = await both((strict) => startCasewareSimulator({ strict, limits: { burstCapacity: 1000, replenishRate: 1000 } }));
  });

  it('serves one search term and refuses a repeated one with 400 in the observed error shape', async () => {
    const [a, b] = sims.strict.store.users;
    const one = `users?search=${encodeURIComponent(`CWGuid='${a?.CWGuid ?? ''}'`)}`;
    const two = `${one}&search=${encodeURIComponent(`CWGuid='${b?.CWGuid ?? ''}'`)}`;
    expect(((await (await get(sims.loose, two)).json()) as unknown[]).length).toBe(2);
    const single = await get(sims.strict, one);
    expect(single.status).toBe(200);
    expect(((await single.json()) as Array<{ CWGuid: string }>).map((u) => u.CWGuid)).toEqual([a?.CWGuid]);
    const refused = await get(sims.strict, two);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ errors: [{ message: "Invalid search: 'search' may be given once" }] });
  });
});

describe('CareCloud strict', () => {
  let sims: Pair<CareCloudSimulator>;
  beforeAll(async () => {
    sims = await both((strict) => startCareCloudSimulator({ strict, limits: { ratePerSecond: 1000, burst: 1000 } }));
  });

  it('stores an upload but drops x-uploaded-by, which the docs do not have', async () => {
    const put = (sim: CareCloudSimulator) =>
      fetch(`${sim.baseUrl}/files/cw-4f1c9a27-demo-care-group/care-records/strict-note.txt`, {
        method: 'PUT',
        headers: { 'x-api-key': sim.credentials.apiKey, 'content-type': 'text/plain', 'x-uploaded-by': 'u-1' },
        body: 'hello',
      });
    const loose = await put(sims.loose);
    expect(await loose.json()).toMatchObject({ UploadedBy: 'u-1' });
    const strict = await put(sims.strict);
    expect(strict.status).toBeLessThan(300);
    expect(await strict.json()).toMatchObject({ UploadedBy: null, Size: 5 });
  });
});

describe('serve-all strict', () => {
  it('starts every simulator strict: the Clinicea one answers GET leads/{id} as an unknown path', async () => {
    const served = await serveAll({ strict: true });
    closers.push(() => served.close());
    const clinicea = served.sims.clinicea;
    const id = [...(clinicea?.store.leads.keys() ?? [])][0] ?? '';
    const res = await fetch(`${served.urls.clinicea}/leads/${id}`, { headers: { Accept: 'application/json', api: served.gatewayEnv.CLINICEA_API_KEY ?? '' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ Message: 'No HTTP resource was found that matches the request URI.' });
  });
});
