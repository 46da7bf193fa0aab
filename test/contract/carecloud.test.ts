/**
 * CareCloud's developer guide (shared/vendor-docs/carecloud.txt) and vendors.md's account of AWS API Gateway,
 * replayed against the simulator and through CareCloudSource. Header names, bodies and error types are the
 * literal strings the docs and API Gateway use, never wire.ts constants. File routes are not public (our
 * choice, vendors.md), so every test that touches them is named as an assumption.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCareCloudSimulator, type CareCloudSimulator } from '../../src/simulators/carecloud/server.ts';
import { UpstreamCore, type CallContext } from '../../src/upstream/client.ts';
import { CareCloudSource } from '../../src/vendors/carecloud/index.ts';

const KEY = 'contract-test-api-key-0001';
const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

let sim: CareCloudSimulator;
let workspaceId = '';
let bucketId = '';

function send(method: string, path: string, init: { key?: string | null; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers['x-api-key'] = init.key ?? KEY;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${sim.baseUrl}/${path}`, { method, headers, body: init.body });
}

beforeAll(async () => {
  sim = await startCareCloudSimulator({ credentials: { apiKey: KEY }, limits: { ratePerSecond: 1000, burst: 1000 } });
  const [workspace, buckets] = Object.entries(sim.workspaces)[0] ?? [];
  workspaceId = workspace ?? '';
  bucketId = buckets?.[0] ?? '';
});
afterAll(() => sim.close());

describe('CareCloud docs: API Key ("essential for authenticating and authorizing your requests")', () => {
  it('a request with the x-api-key header is served, and every answer has x-amzn-RequestId', async () => {
    const res = await send('GET', 'appdata/Residents/retrieve');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
  });

  it.each([
    ['no key', null],
    ['an invalid key', 'not-a-key'],
  ])('%s answers API Gateway\'s 403 {"message":"Forbidden"} ("invalid API keys")', async (_name, key) => {
    const res = await send('GET', 'appdata/Residents/retrieve', { key });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(JSON.parse('{"message":"Forbidden"}'));
    expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
  });
});

describe('CareCloud (vendors.md): record operations POST create, PUT update, GET retrieve, DELETE delete', () => {
  it('creates, updates, retrieves and deletes a record under /appdata/{Entity}', async () => {
    // The record body is not public; { Id, Data } is our choice (assumption), the verbs and paths are the docs'.
    const created = await send('POST', 'appdata/Residents/create', { body: '{"Id":"r-1","Data":{"Name":"Edith"}}' });
    expect(created.status).toBeLessThan(300);
    const updated = await send('PUT', 'appdata/Residents/update', { body: '{"Id":"r-1","Data":{"Room":"12"}}' });
    expect(updated.status).toBe(200);
    const got = await send('GET', 'appdata/Residents/retrieve?Id=r-1');
    expect(await got.json()).toMatchObject({ Id: 'r-1', Data: { Name: 'Edith', Room: '12' } });
    expect((await send('DELETE', 'appdata/Residents/delete?Id=r-1')).status).toBeLessThan(300);
    expect((await send('GET', 'appdata/Residents/retrieve?Id=r-1')).status).toBe(404);
  });
});

describe('CareCloud docs: Rate Limits and Monthly Quota, as AWS API Gateway answers them', () => {
  it('a throttle is 429 {"message":"Too Many Requests"}, x-amzn-ErrorType: TooManyRequestsException, with no Retry-After or rate headers', async () => {
    const tight = await startCareCloudSimulator({ credentials: { apiKey: KEY }, limits: { ratePerSecond: 1, burst: 1 } });
    try {
      const first = await fetch(`${tight.baseUrl}/appdata/Residents/retrieve`, { headers: { 'x-api-key': KEY } });
      await first.arrayBuffer();
      const res = await fetch(`${tight.baseUrl}/appdata/Residents/retrieve`, { headers: { 'x-api-key': KEY } });
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual(JSON.parse('{"message":"Too Many Requests"}'));
      expect(res.headers.get('x-amzn-ErrorType')).toMatch(/^TooManyRequestsException/);
      expect(res.headers.get('retry-after')).toBeNull();
      expect([...res.headers.keys()].filter((name) => name.includes('ratelimit'))).toEqual([]);
    } finally {
      await tight.close();
    }
  });

  it('"the API key will not be able to make further requests until the start of the next month": 429 {"message":"Limit Exceeded"}, LimitExceededException', async () => {
    const capped = await startCareCloudSimulator({ credentials: { apiKey: KEY }, limits: { monthlyQuota: 1 } });
    try {
      await (await fetch(`${capped.baseUrl}/appdata/Residents/retrieve`, { headers: { 'x-api-key': KEY } })).arrayBuffer();
      const res = await fetch(`${capped.baseUrl}/appdata/Residents/retrieve`, { headers: { 'x-api-key': KEY } });
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual(JSON.parse('{"message":"Limit Exceeded"}'));
      expect(res.headers.get('x-amzn-ErrorType')).toMatch(/^LimitExceededException/);
    } finally {
      await capped.close();
    }
  });

  it('the client "backs off on a throttle" (no hint given) and gets every answer at 2 requests a second with a burst of 2', async () => {
    const tight = await startCareCloudSimulator({ credentials: { apiKey: KEY }, limits: { ratePerSecond: 2, burst: 2 } });
    try {
      const [workspace, buckets] = Object.entries(tight.workspaces)[0] ?? [];
      const source = CareCloudSource.create(new UpstreamCore(), {
        baseUrl: tight.baseUrl,
        credentials: { apiKey: KEY },
        workspaceId: workspace ?? '',
        bucketId: buckets?.[0] ?? '',
        ratePerSecond: 10,
        burst: 10,
        cacheTtlMs: 0,
      });
      const names = (await source.files(call()).page(0)).items.slice(0, 8).map((f) => f.name);
      const files = await Promise.all(names.map((name) => source.file(name, call())));
      expect(files.map((f) => f?.name)).toEqual(names);
      expect(tight.log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
      expect(tight.log.every((e) => e.headers['x-api-key'] === KEY)).toBe(true);
    } finally {
      await tight.close();
    }
  });
});

describe('CareCloud docs: Cloud Workspace ID and Bucket ID "used as parameters in data file upload operations"', () => {
  it('assumption: PUT /files/{workspaceId}/{bucketId}/{name} stores the raw body and answers its metadata', async () => {
    const res = await fetch(`${sim.baseUrl}/files/${workspaceId}/${bucketId}/contract.txt`, {
      method: 'PUT',
      headers: { 'x-api-key': KEY, 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBeLessThan(300);
    expect(await res.json()).toMatchObject({ Name: 'contract.txt' });
  });

  it('assumption: DELETE /files/{workspaceId}/{bucketId}/{name} (as records have DELETE .../delete) answers 204, then the file is 404; a strict simulator serves it too', async () => {
    const strict = await startCareCloudSimulator({ strict: true, credentials: { apiKey: KEY }, limits: { ratePerSecond: 1000, burst: 1000 } });
    try {
      const [workspace, buckets] = Object.entries(strict.workspaces)[0] ?? [];
      const source = CareCloudSource.create(new UpstreamCore(), { baseUrl: strict.baseUrl, credentials: { apiKey: KEY }, workspaceId: workspace ?? '', bucketId: buckets?.[0] ?? '', cacheTtlMs: 0 });
      await source.upload({ name: 'to-delete.txt', contentType: 'text/plain', bytes: new TextEncoder().encode('bye') }, call());
      await source.deleteFile('to-delete.txt', call());
      const path = `files/${workspace ?? ''}/${buckets?.[0] ?? ''}/to-delete.txt`;
      expect(strict.log.filter((e) => e.method === 'DELETE').map((e) => [e.path, e.status])).toEqual([[path, 204]]);
      const gone = await fetch(`${strict.baseUrl}/${path}`, { headers: { 'x-api-key': KEY } });
      expect(gone.status).toBe(404);
    } finally {
      await strict.close();
    }
  });

  it('the client names the workspace and bucket in X-Param-Override-WorkspaceId and X-Param-Override-BucketId (vendors.md)', async () => {
    const source = CareCloudSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, credentials: { apiKey: KEY }, workspaceId, bucketId, cacheTtlMs: 0 });
    await source.upload({ name: 'override.txt', contentType: 'text/plain', bytes: new TextEncoder().encode('hi') }, call());
    const sent = sim.log.filter((e) => e.method === 'PUT').at(-1);
    expect(sent?.headers).toMatchObject({ 'x-api-key': KEY, 'x-param-override-workspaceid': workspaceId, 'x-param-override-bucketid': bucketId });
    expect(sent?.status).toBeLessThan(300);
  });
});
