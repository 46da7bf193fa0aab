import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CARECLOUD_DEFAULT_BUCKET_IDS,
  CARECLOUD_DEFAULT_WORKSPACE_ID,
  CARECLOUD_DEMO_CREDENTIALS,
  startCareCloudSimulator,
  type CareCloudSimulator,
  type CareCloudSimulatorOptions,
} from '../../src/simulators/carecloud/server.ts';
import { carecloudCli } from '../../src/simulators/carecloud/cli-entry.ts';
import type { CareCloudAppDataRecord, CareCloudFile, CareCloudFilePage } from '../../src/vendors/carecloud/wire.ts';

const WS = CARECLOUD_DEFAULT_WORKSPACE_ID;
const [SEEDED_BUCKET, EMPTY_BUCKET] = CARECLOUD_DEFAULT_BUCKET_IDS;
const KEY = { 'x-api-key': CARECLOUD_DEMO_CREDENTIALS.apiKey };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Every answer must carry a request id; checking it on each call catches a hook path that forgets it. */
async function call(sim: CareCloudSimulator, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${sim.baseUrl}/${path}`, init);
  expect(res.headers.get('x-amzn-requestid'), `${init.method ?? 'GET'} ${path}`).toMatch(UUID);
  expect(res.headers.get('retry-after')).toBeNull();
  return res;
}

async function errorOf(res: Response): Promise<{ status: number; message: unknown; errorType: string | null }> {
  const body = (await res.json()) as { message?: unknown };
  return { status: res.status, message: body.message, errorType: res.headers.get('x-amzn-errortype') };
}

function upload(sim: CareCloudSimulator, name: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return call(sim, `files/${WS}/${EMPTY_BUCKET}/${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { ...KEY, 'content-type': 'text/csv', ...headers },
    body,
  });
}

async function listAll(sim: CareCloudSimulator, bucket: string, pageSize: number): Promise<CareCloudFile[]> {
  const out: CareCloudFile[] = [];
  for (let page = 1; ; page += 1) {
    const res = await call(sim, `files/${WS}/${bucket}?page=${page}&pageSize=${pageSize}`, { headers: KEY });
    expect(res.status).toBe(200);
    const body = (await res.json()) as CareCloudFilePage;
    if (body.Items.length === 0) return out;
    out.push(...body.Items);
  }
}

describe('CareCloud simulator: files and auth', () => {
  let now = Date.parse('2026-06-10T12:00:00Z');
  let sim: CareCloudSimulator;

  beforeAll(async () => {
    // A frozen clock never refills the bucket, so this suite gets a burst large enough never to throttle.
    sim = await startCareCloudSimulator({ clock: () => now, limits: { burst: 100_000 } });
  });
  afterAll(() => sim.close());

  it.each([
    ['no key', {}],
    ['an unknown key', { 'x-api-key': 'not-a-key' }],
  ])('answers 403 Forbidden to a request with %s', async (_label, headers) => {
    const res = await call(sim, `files/${WS}/${SEEDED_BUCKET}`, { headers });
    expect(await errorOf(res)).toEqual({ status: 403, message: 'Forbidden', errorType: 'ForbiddenException' });
  });

  it.each([
    ['an unknown path with a key', 'nothing/here', KEY, 'GET'],
    ['an unknown path without a key', 'nothing/here', {}, 'GET'],
    ['a known path with a method it lacks', `files/${WS}/${SEEDED_BUCKET}`, KEY, 'POST'],
  ])('answers 403 Missing Authentication Token to %s, as API Gateway does', async (_label, path, headers, method) => {
    const res = await call(sim, path, { headers, method });
    expect(await errorOf(res)).toEqual({
      status: 403,
      message: 'Missing Authentication Token',
      errorType: 'MissingAuthenticationTokenException',
    });
  });

  it('answers outside the stage prefix like an unknown route', async () => {
    const res = await fetch(sim.baseUrl.replace(/\/prod$/, '/dev/files'), { headers: KEY });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(res.headers.get('x-amzn-requestid')).toMatch(UUID);
  });

  it('gives every answer its own request id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const res = await call(sim, `files/${WS}/${SEEDED_BUCKET}?pageSize=1`, { headers: KEY });
      ids.add(res.headers.get('x-amzn-requestid') ?? '');
    }
    expect(ids.size).toBe(5);
  });

  it('round-trips an upload through list and download with its size, checksum and uploader', async () => {
    const content = 'resident_id,first_name\nr1,Margaret\nr2,Dorothy\n';
    const created = await upload(sim, 'residents export.csv', content, {
      'x-checksum-sha256': sha256(content),
      'x-uploaded-by': 'user-42',
    });
    expect(created.status).toBe(201);
    const meta = (await created.json()) as CareCloudFile;
    expect(meta).toMatchObject({
      Name: 'residents export.csv',
      Size: Buffer.byteLength(content),
      ContentType: 'text/csv',
      ChecksumSha256: sha256(content),
      WorkspaceId: WS,
      BucketId: EMPTY_BUCKET,
      UploadedBy: 'user-42',
      CreatedAt: '2026-06-10T12:00:00.000Z',
      ModifiedAt: '2026-06-10T12:00:00.000Z',
      Status: 'complete',
    });

    const listed = await listAll(sim, EMPTY_BUCKET ?? '', 50);
    expect(listed).toContainEqual(meta);

    const download = await call(sim, `files/${WS}/${EMPTY_BUCKET}/${encodeURIComponent('residents export.csv')}`, {
      headers: KEY,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.toString('utf8')).toBe(content);
    expect(sha256(bytes)).toBe(meta.ChecksumSha256);
    expect(bytes.length).toBe(meta.Size);
  });

  it('replaces a re-uploaded name, keeping its FileId and CreatedAt and moving ModifiedAt', async () => {
    const first = (await (await upload(sim, 'care-plan.pdf', 'v1')).json()) as CareCloudFile;
    now += 60_000;
    const second = await upload(sim, 'care-plan.pdf', 'version two', { 'content-type': 'application/pdf' });
    expect(second.status).toBe(201);
    const meta = (await second.json()) as CareCloudFile;
    expect(meta.FileId).toBe(first.FileId);
    expect(meta.CreatedAt).toBe(first.CreatedAt);
    expect(meta.ModifiedAt).toBe(new Date(now).toISOString());
    expect(meta).toMatchObject({ Size: 11, ContentType: 'application/pdf', UploadedBy: null });
    const named = (await listAll(sim, EMPTY_BUCKET ?? '', 100)).filter((f) => f.Name === 'care-plan.pdf');
    expect(named).toEqual([meta]);
  });

  it('rejects a checksum mismatch with 400 and stores nothing', async () => {
    const before = sim.store.files.get(WS)?.get(EMPTY_BUCKET ?? '')?.size;
    const res = await upload(sim, 'tampered.csv', 'a,b\n1,2\n', { 'x-checksum-sha256': sha256('something else') });
    expect(await errorOf(res)).toEqual({ status: 400, message: 'Checksum mismatch', errorType: null });
    expect(sim.store.files.get(WS)?.get(EMPTY_BUCKET ?? '')?.size).toBe(before);
    const download = await call(sim, `files/${WS}/${EMPTY_BUCKET}/tampered.csv`, { headers: KEY });
    expect(await errorOf(download)).toEqual({ status: 404, message: 'Not Found', errorType: null });
  });

  it('stores an upload where the override headers say, not where the path says', async () => {
    const res = await call(sim, 'files/ignored-ws/ignored-bucket/routed.csv', {
      method: 'PUT',
      headers: { ...KEY, 'X-Param-Override-WorkspaceId': WS, 'X-Param-Override-BucketId': EMPTY_BUCKET ?? '' },
      body: 'x\n',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ WorkspaceId: WS, BucketId: EMPTY_BUCKET, Name: 'routed.csv' });
    expect(sim.store.files.get(WS)?.get(EMPTY_BUCKET ?? '')?.has('routed.csv')).toBe(true);
  });

  it('deletes a file, after which it is gone from downloads and lists', async () => {
    await upload(sim, 'to-delete.csv', 'x\n');
    const del = await call(sim, `files/${WS}/${EMPTY_BUCKET}/to-delete.csv`, { method: 'DELETE', headers: KEY });
    expect(del.status).toBe(204);
    const again = await call(sim, `files/${WS}/${EMPTY_BUCKET}/to-delete.csv`, { method: 'DELETE', headers: KEY });
    expect(again.status).toBe(404);
    expect((await listAll(sim, EMPTY_BUCKET ?? '', 100)).map((f) => f.Name)).not.toContain('to-delete.csv');
  });

  it.each([
    ['an unknown workspace', 'GET', `files/no-such-ws/${SEEDED_BUCKET}`],
    ['an unknown bucket', 'GET', `files/${WS}/no-such-bucket`],
    ['an unknown file', 'GET', `files/${WS}/${SEEDED_BUCKET}/no-such-file.pdf`],
    ['an upload to an unknown bucket', 'PUT', `files/${WS}/no-such-bucket/a.csv`],
  ])('answers 404 Not Found for %s', async (_label, method, path) => {
    const res = await call(sim, path, { method, headers: KEY, ...(method === 'PUT' ? { body: 'x' } : {}) });
    expect(await errorOf(res)).toEqual({ status: 404, message: 'Not Found', errorType: null });
  });

  it('pages the 40 seeded files in (CreatedAt, FileId) order without gaps or repeats', async () => {
    const first = await call(sim, `files/${WS}/${SEEDED_BUCKET}`, { headers: KEY });
    const firstPage = (await first.json()) as CareCloudFilePage;
    expect(firstPage).toMatchObject({ Page: 1, PageSize: 50, TotalItems: 40 });
    expect(firstPage.Items).toHaveLength(40);

    const pages: CareCloudFilePage[] = [];
    for (const page of [1, 2, 3, 4]) {
      const res = await call(sim, `files/${WS}/${SEEDED_BUCKET}?page=${page}&pageSize=15`, { headers: KEY });
      pages.push((await res.json()) as CareCloudFilePage);
    }
    expect(pages.map((p) => p.Items.length)).toEqual([15, 15, 10, 0]);
    expect(pages.every((p) => p.TotalItems === 40 && p.PageSize === 15)).toBe(true);
    const walked = pages.flatMap((p) => p.Items);
    expect(walked).toEqual(firstPage.Items);
    expect(new Set(walked.map((f) => f.FileId)).size).toBe(40);
    const keys = walked.map((f) => `${f.CreatedAt} ${f.FileId}`);
    expect(keys).toEqual([...keys].sort());
    expect(walked.every((f) => f.CreatedAt < '2026-06-01T09:00:00Z')).toBe(true);
    expect(walked.map((f) => f.Name)).toEqual(expect.arrayContaining([expect.stringMatching(/\.csv$/)]));
  });

  it.each(['page=0', 'page=x', 'pageSize=0', 'pageSize=101'])('rejects %s with 400', async (query) => {
    const res = await call(sim, `files/${WS}/${SEEDED_BUCKET}?${query}`, { headers: KEY });
    expect(res.status).toBe(400);
    expect(typeof ((await res.json()) as { message?: unknown }).message).toBe('string');
  });

  it('downloads seeded files whose bytes match their listed size and checksum', async () => {
    const [file] = await listAll(sim, SEEDED_BUCKET ?? '', 100);
    if (!file) throw new Error('expected seeded files');
    const res = await call(sim, `files/${WS}/${SEEDED_BUCKET}/${encodeURIComponent(file.Name)}`, { headers: KEY });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-type')).toBe(file.ContentType);
    expect(bytes.length).toBe(file.Size);
    expect(sha256(bytes)).toBe(file.ChecksumSha256);
  });

  it('answers a file\'s metadata without its bytes when asked with metadata=true', async () => {
    const [file] = await listAll(sim, SEEDED_BUCKET ?? '', 100);
    if (!file) throw new Error('expected seeded files');
    const path = `files/${WS}/${SEEDED_BUCKET}/${encodeURIComponent(file.Name)}`;
    const res = await call(sim, `${path}?metadata=true`, { headers: KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual(file);
    const missing = await call(sim, `files/${WS}/${SEEDED_BUCKET}/no-such-file.pdf?metadata=true`, { headers: KEY });
    expect(await errorOf(missing)).toEqual({ status: 404, message: 'Not Found', errorType: null });
  });

  it('supports the appdata create, update, retrieve and delete operations', async () => {
    const created = await call(sim, 'appdata/Resident/create', {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ Data: { FirstName: 'Eileen', Room: 12 } }),
    });
    expect(created.status).toBe(201);
    const record = (await created.json()) as CareCloudAppDataRecord;
    expect(record).toMatchObject({ Entity: 'Resident', Data: { FirstName: 'Eileen', Room: 12 } });

    const updated = await call(sim, 'appdata/Resident/update', {
      method: 'PUT',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ Id: record.Id, Data: { Room: 14 } }),
    });
    expect(await updated.json()).toMatchObject({ Id: record.Id, Data: { FirstName: 'Eileen', Room: 14 } });

    const one = await call(sim, `appdata/Resident/retrieve?Id=${record.Id}`, { headers: KEY });
    expect(await one.json()).toMatchObject({ Id: record.Id, Data: { Room: 14 } });
    const all = await call(sim, 'appdata/Resident/retrieve', { headers: KEY });
    expect(await all.json()).toMatchObject({ TotalItems: 1, Page: 1 });

    const del = await call(sim, `appdata/Resident/delete?Id=${record.Id}`, { method: 'DELETE', headers: KEY });
    expect(del.status).toBe(204);
    const gone = await call(sim, `appdata/Resident/retrieve?Id=${record.Id}`, { headers: KEY });
    expect(await errorOf(gone)).toEqual({ status: 404, message: 'Not Found', errorType: null });

    const bad = await call(sim, 'appdata/Resident/create', { method: 'POST', headers: KEY, body: '[1]' });
    expect(bad.status).toBe(400);
  });
});

describe('CareCloud simulator: limits, quota and faults', () => {
  const started: CareCloudSimulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  async function start(options: CareCloudSimulatorOptions): Promise<CareCloudSimulator> {
    const sim = await startCareCloudSimulator({ fileCount: 3, ...options });
    started.push(sim);
    return sim;
  }
  const list = (sim: CareCloudSimulator) => call(sim, `files/${WS}/${SEEDED_BUCKET}?pageSize=1`, { headers: KEY });

  it('throttles past the burst with TooManyRequestsException and no rate-limit headers', async () => {
    const sim = await start({ clock: () => 0, limits: { burst: 3, ratePerSecond: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await list(sim)).status);
    expect(statuses).toEqual([200, 200, 200]);

    const res = await list(sim);
    const headerNames = [...res.headers.keys()];
    expect(await errorOf(res)).toEqual({
      status: 429,
      message: 'Too Many Requests',
      errorType: 'TooManyRequestsException',
    });
    expect(headerNames.filter((h) => h.includes('ratelimit'))).toEqual([]);
  });

  it('refills the bucket at ratePerSecond as the clock moves', async () => {
    let now = 0;
    const sim = await start({ clock: () => now, limits: { burst: 2, ratePerSecond: 4 } });
    await list(sim);
    await list(sim);
    expect((await list(sim)).status).toBe(429);
    now += 250;
    expect((await list(sim)).status).toBe(200);
    expect((await list(sim)).status).toBe(429);
  });

  it('answers LimitExceededException once the monthly quota is used, checking it before the rate', async () => {
    const sim = await start({ clock: () => 0, limits: { monthlyQuota: 2, burst: 2 } });
    expect((await list(sim)).status).toBe(200);
    expect((await list(sim)).status).toBe(200);
    // The bucket is empty as well now; the quota answer must win.
    const res = await list(sim);
    expect(await errorOf(res)).toEqual({ status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' });
    expect(sim.usage()).toEqual({ month: '1970-01', used: 2, remaining: 0 });
  });

  it('does not count throttled calls against the quota', async () => {
    const sim = await start({ clock: () => 0, limits: { burst: 2, monthlyQuota: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await list(sim)).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429]);
    expect(sim.usage()).toMatchObject({ used: 2, remaining: 98 });
  });

  it('restores the quota when the clock turns to the next month (UTC)', async () => {
    let now = Date.parse('2026-03-31T23:59:59Z');
    const sim = await start({ clock: () => now, limits: { monthlyQuota: 1 } });
    expect((await list(sim)).status).toBe(200);
    expect((await errorOf(await list(sim))).message).toBe('Limit Exceeded');
    expect(sim.usage()).toEqual({ month: '2026-03', used: 1, remaining: 0 });

    now = Date.parse('2026-04-01T00:00:01Z');
    expect(sim.usage()).toEqual({ month: '2026-04', used: 0, remaining: 1 });
    expect((await list(sim)).status).toBe(200);
    expect(sim.usage()).toEqual({ month: '2026-04', used: 1, remaining: 0 });
  });

  it('applies limits changed at run time to the next request', async () => {
    const sim = await start({ clock: () => 0, limits: { monthlyQuota: 1 } });
    await list(sim);
    expect((await list(sim)).status).toBe(429);
    sim.limits.monthlyQuota = 5;
    expect((await list(sim)).status).toBe(200);
    expect(sim.usage()).toEqual({ month: '1970-01', used: 2, remaining: 3 });
  });

  it('keeps a bucket and quota per API key', async () => {
    const other = 'second-key';
    const sim = await start({ clock: () => 0, extraApiKeys: [other], limits: { burst: 1 } });
    expect((await list(sim)).status).toBe(200);
    expect((await list(sim)).status).toBe(429);
    const res = await call(sim, `files/${WS}/${SEEDED_BUCKET}`, { headers: { 'x-api-key': other } });
    expect(res.status).toBe(200);
    expect(sim.usage(other).used).toBe(1);
  });

  it('answers injected faults in API Gateway shapes and refunds an injected throttle', async () => {
    const sim = await start({ clock: () => 0 });
    sim.faults.serverErrors = 1;
    expect(await errorOf(await list(sim))).toEqual({ status: 502, message: 'Internal server error', errorType: null });
    sim.faults.rateLimitBurst = 2;
    for (let i = 0; i < 2; i += 1) {
      expect(await errorOf(await list(sim))).toEqual({
        status: 429,
        message: 'Too Many Requests',
        errorType: 'TooManyRequestsException',
      });
    }
    expect(sim.usage().used).toBe(1);
    sim.faults.dropConnections = 1;
    await expect(fetch(`${sim.baseUrl}/files/${WS}/${SEEDED_BUCKET}`, { headers: KEY })).rejects.toThrow();
    expect((await list(sim)).status).toBe(200);
  });

  it('rejects an upload over maxFileBytes with 413 and stores nothing', async () => {
    const sim = await start({ maxFileBytes: 8 });
    const res = await upload(sim, 'big.csv', '0123456789');
    expect(await errorOf(res)).toEqual({ status: 413, message: 'Request Too Long', errorType: null });
    expect(sim.store.files.get(WS)?.get(EMPTY_BUCKET ?? '')?.size).toBe(0);
    expect((await upload(sim, 'ok.csv', '01234567')).status).toBe(201);
  });

  it('never stores an upload whose connection dies before the announced body arrived', async () => {
    const sim = await start({});
    const { hostname, port, pathname } = new URL(sim.baseUrl);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `PUT ${pathname}/files/${WS}/${EMPTY_BUCKET}/partial.csv HTTP/1.1\r\nHost: ${hostname}\r\n` +
            `x-api-key: ${CARECLOUD_DEMO_CREDENTIALS.apiKey}\r\ncontent-length: 100\r\n\r\nonly ten b`,
          () => socket.destroy(),
        );
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    // Give the server a beat to process whatever it received before looking.
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.store.files.get(WS)?.get(EMPTY_BUCKET ?? '')?.has('partial.csv')).toBe(false);
    const res = await call(sim, `files/${WS}/${EMPTY_BUCKET}`, { headers: KEY });
    expect(((await res.json()) as CareCloudFilePage).TotalItems).toBe(0);
  });

  it('seeds the same files for the same seed and names the given uploaders', async () => {
    const a = await start({ seed: 7, fileCount: 40, uploaderIds: ['u1', 'u2'] });
    const b = await start({ seed: 7, fileCount: 40, uploaderIds: ['u1', 'u2'] });
    const files = await listAll(a, SEEDED_BUCKET ?? '', 100);
    expect(await listAll(b, SEEDED_BUCKET ?? '', 100)).toEqual(files);
    expect(new Set(files.map((f) => f.UploadedBy))).toEqual(new Set(['u1', 'u2', null]));
  });

  it.each([
    [{ limits: { burst: -1 } }, 'expected limits.burst to be a finite number >= 0, got -1'],
    [{ fileCount: 1.5 }, 'expected fileCount to be an integer >= 0, got 1.5'],
    [{ workspaces: {} }, 'expected workspaces to hold at least one workspace with a bucket'],
  ])('refuses bad options with a clear message (%o)', async (options, message) => {
    await expect(startCareCloudSimulator(options)).rejects.toThrow(message);
  });
});

describe('carecloud CLI entry', () => {
  it('reads CARECLOUD_API_KEY and starts a simulator that accepts it', async () => {
    expect(carecloudCli.name).toBe('carecloud');
    expect(carecloudCli.envCredentials({})).toBeUndefined();
    const credentials = carecloudCli.envCredentials({ CARECLOUD_API_KEY: 'from-env' });
    expect(credentials).toEqual({ apiKey: 'from-env' });
    const running = await carecloudCli.start(0, credentials);
    try {
      expect(running.credentials).toEqual({ apiKey: 'from-env' });
      const res = await fetch(`${running.baseUrl}/files/${WS}/${SEEDED_BUCKET}`, {
        headers: { 'x-api-key': 'from-env' },
      });
      expect(res.status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
