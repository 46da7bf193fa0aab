/**
 * Clinicea's own help page (shared/vendor-docs/clinicea.txt, "How to use the API") and vendors.md, replayed
 * example by example against the simulator and through CliniceaSource. Requests, keys and timestamps are the
 * docs' literal strings, never wire.ts constants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliniceaSimulator, type CliniceaSimulator } from '../../src/simulators/clinicea/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { CliniceaSource } from '../../src/vendors/clinicea/index.ts';

/** The key in the docs' curl example. */
const DOC_KEY = 'db884629bc924b82a15fa23a0c3b9475';
const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

let sim: CliniceaSimulator;
let origin = '';

/** The docs' curl: `curl -X GET --header "Accept: application/json" --header 'api: <key>' "<url>"`. */
function curl(pathAndQuery: string, key: string | null = DOC_KEY): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (key !== null) headers.api = key;
  return fetch(`${origin}${pathAndQuery}`, { headers });
}

beforeAll(async () => {
  sim = await startCliniceaSimulator({ credentials: { apiKey: DOC_KEY }, perSecond: 10_000, leadCount: 345 });
  origin = new URL(sim.baseUrl).origin;
  // The docs' example asks for leads created 2015-03-21 to 2017-03-21; the seed's leads are recent, so they are
  // moved into 2016, keeping their order, for the example to have pages to show.
  for (const lead of sim.store.leads.values()) lead.CreatedDatetime = `2016${lead.CreatedDatetime.slice(4)}`;
  const first = sim.store.leads.values().next().value;
  // One lead changed one second after the docs' sync example instant, to show which offsets include it.
  if (first) Object.assign(first, { CreatedDatetime: '2015-03-21T14:30:11', ModifiedDatetime: '2015-03-21T14:30:11' });
});
afterAll(() => sim.close());

describe('Clinicea docs 5: the curl example', () => {
  const DOC_URL = '/api/v1/leads?startRange=20150321&endRange=20170321&intPageNo=2';

  it('GET /api/v1/leads?startRange=20150321&endRange=20170321&intPageNo=2 with the api header answers the third page of 100 as a bare JSON array', async () => {
    const res = await curl(DOC_URL);
    expect(res.status).toBe(200);
    const page = (await res.json()) as Array<{ LeadID: string }>;
    expect(Array.isArray(page)).toBe(true);
    expect(page).toHaveLength(100);
    // 6(b): "Numbering starts from 0 ... to get the 3rd page you need to pass intPageNo=2".
    const zero = (await (await curl(DOC_URL.replace('intPageNo=2', 'intPageNo=0'))).json()) as Array<{ LeadID: string }>;
    const one = (await (await curl(DOC_URL.replace('intPageNo=2', 'intPageNo=1'))).json()) as Array<{ LeadID: string }>;
    const seen = new Set([...zero, ...one].map((l) => l.LeadID));
    expect(seen.size).toBe(200);
    expect(page.filter((l) => seen.has(l.LeadID))).toEqual([]);
  });

  it('a page past the last answers 204 with no body (vendors.md, observed)', async () => {
    const res = await curl(DOC_URL.replace('intPageNo=2', 'intPageNo=4'));
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('the last page is shorter than 100 (6(b): "paged with a limit of 100 records per page")', async () => {
    const res = await curl(DOC_URL.replace('intPageNo=2', 'intPageNo=3'));
    expect(((await res.json()) as unknown[]).length).toBe(45);
  });

  // The Fiddler example puts `'api: <key>'` among the query parameters. Reading taken: it is Fiddler's header
  // notation pasted into the URL, not a parameter; the curl example sends the same key as a header.
  it("assumption: the Fiddler example's 'api: <key>' is a header, so a key only in the query is refused with 401", async () => {
    const res = await curl(`/api/v1/leads?startRange=20150321&endRange=20170321&'api: ${DOC_KEY}'&intPageNo=2`, null);
    expect(res.status).toBe(401);
  });

  it('the client sends the api header and startRange, endRange, intPageNo as the curl example does', async () => {
    const source = CliniceaSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, credentials: { apiKey: DOC_KEY }, cacheTtlMs: 0 });
    await source.leads({ createdFrom: '2015-03-21', createdTo: '2017-03-21' }, call()).page(2);
    const sent = sim.log.filter((e) => e.method === 'GET' && e.path === 'leads').at(-1);
    expect(sent?.headers.api).toBe(DOC_KEY);
    expect(sent?.query).toBe('startRange=20150321&endRange=20170321&intPageNo=2');
  });
});

describe('Clinicea docs 6(a): lastSyncTimestamp', () => {
  const sync = (value: string) => curl(`/api/v1/leads?lastSyncTimestamp=${encodeURIComponent(value)}&intPageNo=0`);

  // A literal `+` in a query string reads as a space, so the docs' `+0:00` travels as `%2B0:00`.
  it.each([
    ["the docs' own 2015-03-21T14:30:10+0:00", '2015-03-21T14:30:10+0:00', true],
    ['+00:00', '2015-03-21T14:30:10+00:00', true],
    ['no offset (vendors.md: 2015-03-21T14:30:10; UTC, our choice)', '2015-03-21T14:30:10', true],
    ['the same instant at -01:00, which is after the change', '2015-03-21T14:30:10-01:00', false],
    ['the same instant at +01:00, an hour earlier', '2015-03-21T15:30:10+01:00', true],
  ])('accepts %s and returns what changed after it, marked Added', async (_name, value, includesChange) => {
    const res = await sync(value);
    expect(res.status).toBe(200);
    const rows = (await res.json()) as Array<{ CreatedDatetime: string; DataStatusStr: string }>;
    expect(rows.some((r) => r.CreatedDatetime === '2015-03-21T14:30:11')).toBe(includesChange);
    expect(new Set(rows.map((r) => r.DataStatusStr))).toEqual(new Set(['Added']));
  });

  it.each([
    ['milliseconds', '2015-03-21T14:30:10.000'],
    ['a trailing Z', '2015-03-21T14:30:10Z'],
    ['milliseconds and an offset', '2015-03-21T14:30:10.000+0:00'],
  ])('refuses %s with 400, as vendors.md says the vendor does', async (_name, value) => {
    expect((await sync(value)).status).toBe(400);
  });

  it.each([
    ['a space for the T', '2015-03-21 14:30:10+0:00'],
    ['an offset past 14 hours', '2015-03-21T14:30:10+15:00'],
    ['a day that does not exist', '2015-02-30T14:30:10+0:00'],
  ])('assumption: refuses %s with 400 (not ISO 8601 date-time notation)', async (_name, value) => {
    expect((await sync(value)).status).toBe(400);
  });

  it('the client writes lastSyncTimestamp as the docs do, YYYY-MM-DDTHH:mm:ss+0:00', async () => {
    const source = CliniceaSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, credentials: { apiKey: DOC_KEY }, cacheTtlMs: 0 });
    await source.leads({ changedSince: new Date('2015-03-21T14:30:11Z') }, call()).page(0);
    const sent = sim.log.filter((e) => e.method === 'GET' && e.path === 'leads').at(-1);
    // One second early, by design (sync.ts): a change within the same second is never lost.
    expect(new URLSearchParams(sent?.query).get('lastSyncTimestamp')).toBe('2015-03-21T14:30:10+0:00');
    expect(sent?.status).toBe(200);
  });
});

describe('Clinicea vendor help: status codes 200, 204, 400, 401, 429, 500, 503', () => {
  it.each([
    ['no api header', 401, () => curl('/api/v1/leads', null)],
    ['a wrong key', 401, () => curl('/api/v1/leads', 'not-the-key')],
    ['a bad startRange', 400, () => curl('/api/v1/leads?startRange=2015-03-21')],
  ])('answers %s with %i', async (_name, status, request) => {
    expect((await request()).status).toBe(status);
  });

  it.each([
    ['rateLimitBurst', 429],
    ['serverErrors', 500],
  ] as const)('an injected %s answers %i, a code in the vendor\'s list', async (fault, status) => {
    sim.faults[fault] = 1;
    expect((await curl('/api/v1/leads')).status).toBe(status);
  });
});

describe('Clinicea lead writes: the docs name POST, PUT and DELETE operations; the shapes are our reading', () => {
  /** A JSON write with the api header, as the curl example sends its key. */
  function send(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${origin}/api/v1/${path}`, {
      method,
      headers: { Accept: 'application/json', api: DOC_KEY, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
  type Lead = Record<string, string | null>;

  it('assumption: POST /api/v1/leads with the lead\'s PascalCase fields creates it, answering the lead with LeadID and the server\'s fields', async () => {
    const res = await send('POST', 'leads', { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.org', Source: 'Website', Status: 'New' });
    expect(res.status).toBe(200);
    const lead = (await res.json()) as Lead;
    expect(lead).toMatchObject({ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.org', Source: 'Website', Status: 'New' });
    expect(lead.LeadID).toMatch(/^\d+$/);
    expect(lead.CreatedDatetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('assumption: PUT /api/v1/leads/{id} is partial: fields left out keep their values, null clears one', async () => {
    const created = (await (await send('POST', 'leads', { FirstName: 'Grace', LastName: 'Hopper', Notes: 'call back' })).json()) as Lead;
    const res = await send('PUT', `leads/${created.LeadID}`, { Status: 'Contacted', Notes: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ LeadID: created.LeadID, FirstName: 'Grace', LastName: 'Hopper', Status: 'Contacted', Notes: null });
  });

  it('assumption: DELETE /api/v1/leads/{id} answers 204; a lead that is gone is 404 {"Message":"Lead not found"}', async () => {
    const created = (await (await send('POST', 'leads', { FirstName: 'Edsger' })).json()) as Lead;
    expect((await send('DELETE', `leads/${created.LeadID}`)).status).toBe(204);
    const again = await send('DELETE', `leads/${created.LeadID}`);
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ Message: 'Lead not found' });
  });

  it.each([
    [{ LastName: 'No First Name' }, 'FirstName is required.'],
    [{ FirstName: 'Alan', Email: 'not-an-email' }, "Email is not a valid email address: 'not-an-email'."],
    [{ FirstName: 'Alan', LeadID: '1' }, 'LeadID is set by the server and cannot be written.'],
  ])("assumption: a refused write is 400 {Message} starting with the field at fault: %j", async (body, message) => {
    const res = await send('POST', 'leads', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ Message: message });
  });

  it('assumption: the client writes exactly these shapes (POST, partial PUT, DELETE), and a strict simulator serves them as they are', async () => {
    const strict = await startCliniceaSimulator({ strict: true, credentials: { apiKey: DOC_KEY }, perSecond: 10_000, leadCount: 3 });
    try {
      const source = CliniceaSource.create(new UpstreamCore(), { baseUrl: strict.baseUrl, credentials: { apiKey: DOC_KEY }, cacheTtlMs: 0 });
      const lead = await source.createLead({ firstName: 'Ada', email: 'ada@example.org', source: 'Website' }, call());
      await source.updateLead(lead.vendorId, { status: 'Qualified' }, call());
      await source.deleteLead(lead.vendorId, call());
      expect(strict.log.map((e) => [e.method, e.path, e.status, e.body])).toEqual([
        ['POST', 'leads', 200, '{"FirstName":"Ada","Email":"ada@example.org","Source":"Website"}'],
        ['PUT', `leads/${lead.vendorId}`, 200, '{"Status":"Qualified"}'],
        ['DELETE', `leads/${lead.vendorId}`, 204, ''],
      ]);
    } finally {
      await strict.close();
    }
  });
});
