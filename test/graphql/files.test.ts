/**
 * CareCloud files end to end: GraphQL and the plain HTTP file routes on a running gateway, against the
 * CareCloud simulator behind its simulated AWS API Gateway (key auth, throttle, monthly quota).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, type CareCloudStoredFile } from '../../src/simulators/carecloud/server.ts';
import { stacksPerTest, startStack, strictSimulators, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, walkConnection } from '../helpers/graphql.ts';

const BUCKET = CARECLOUD_DEFAULT_BUCKET_IDS[0];

interface FileNode {
  id: string;
  vendorId: string;
  name: string;
  size: number;
  contentType: string;
  checksumSha256: string;
  downloadUrl: string;
  uploadedBy: { id: string; vendor: string; vendorId: string } | null;
}

interface FilesPage {
  files: {
    totalCount?: number;
    edges: Array<{ cursor: string; node: { vendorId: string } }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const PAGE = /* GraphQL */ `
  query Files($first: Int, $after: String, $last: Int, $before: String) {
    files(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { vendorId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const FILE = /* GraphQL */ `
  query File($id: ID!) {
    file(id: $id) { id vendorId name size contentType checksumSha256 downloadUrl uploadedBy { id vendor vendorId } }
  }
`;

const UPLOAD = /* GraphQL */ `
  mutation Upload($input: UploadFileInput!) {
    uploadFile(input: $input) { file { id vendorId name size contentType checksumSha256 downloadUrl uploadedBy { id vendor vendorId } } }
  }
`;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function bucketOf(stack: TestStack): Map<string, CareCloudStoredFile> {
  const bucket = stack.carecloud.store.files.get(CARECLOUD_DEFAULT_WORKSPACE_ID)?.get(BUCKET);
  if (!bucket) throw new Error('the simulator has no default bucket');
  return bucket;
}

/** File names in the vendor's order: oldest first, then by FileId. */
function storeOrder(stack: TestStack): string[] {
  return [...bucketOf(stack).values()]
    .map((f) => f.meta)
    .sort((a, b) => (a.CreatedAt !== b.CreatedAt ? (a.CreatedAt < b.CreatedAt ? -1 : 1) : a.FileId < b.FileId ? -1 : a.FileId > b.FileId ? 1 : 0))
    .map((meta) => meta.Name);
}

/** Every file name the `files` connection lists, walking forward. */
async function listedNames(url: string): Promise<string[]> {
  const { nodes } = await walkConnection<{ vendorId: string }>(url, PAGE, 'files', 'forward', 100);
  return nodes.map((node) => node.vendorId);
}

const originOf = (stack: TestStack): string => new URL(stack.url).origin;

describe('with the default stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  it('lists the 40 seeded files and reports totalCount 40', async () => {
    const data = await gqlData<FilesPage>(stack.url, PAGE, { first: 1 });
    expect(bucketOf(stack).size).toBe(40);
    expect(data.files.totalCount).toBe(40);
  });

  it.each([
    ['forward', 'first', 7],
    ['backward', 'last', 9],
  ] as const)('walks every file %s with %s: %i, no duplicates or gaps, in the vendor order', async (direction, arg, size) => {
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (; pages < 20; pages += 1) {
      const variables = direction === 'forward' ? { [arg]: size, after: cursor } : { [arg]: size, before: cursor };
      const data: FilesPage = await gqlData<FilesPage>(stack.url, PAGE, variables);
      const page = data.files.edges.map((e) => e.node.vendorId);
      expect(page.length).toBeLessThanOrEqual(size);
      if (direction === 'forward') names.push(...page);
      else names.unshift(...page);
      const more = direction === 'forward' ? data.files.pageInfo.hasNextPage : data.files.pageInfo.hasPreviousPage;
      if (!more) break;
      cursor = direction === 'forward' ? data.files.pageInfo.endCursor : data.files.pageInfo.startCursor;
    }
    expect(pages + 1).toBe(Math.ceil(40 / size));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(storeOrder(stack));
  });

  it('uploads base64 content, then serves its metadata, its exact bytes and its uploader', async () => {
    const viewer = await gqlData<{ viewer: { id: string; vendorId: string } }>(stack.url, '{ viewer { id vendorId } }');
    const bytes = randomBytes(3000);
    const name = 'Care plan - Zoe v2 no1.bin';
    const uploaded = await gqlData<{ uploadFile: { file: FileNode } }>(stack.url, UPLOAD, {
      // Strict CareCloud has no x-uploaded-by: the uploader is left out here ('strict: ...' below covers it).
      input: { name, contentType: 'application/octet-stream', contentBase64: bytes.toString('base64'), uploadedById: strictSimulators ? null : viewer.viewer.id },
    });
    expect(uploaded.uploadFile.file).toMatchObject({ vendorId: name, size: bytes.length, checksumSha256: sha256(bytes) });

    // What the vendor holds is exactly what was sent, attributed to the Generic user.
    const stored = bucketOf(stack).get(name);
    expect(stored?.bytes.equals(bytes)).toBe(true);
    expect(stored?.meta.UploadedBy).toBe(strictSimulators ? null : viewer.viewer.vendorId);

    const { file } = await gqlData<{ file: FileNode }>(stack.url, FILE, { id: uploaded.uploadFile.file.id });
    expect(file).toMatchObject({
      name,
      size: 3000,
      contentType: 'application/octet-stream',
      checksumSha256: sha256(bytes),
      uploadedBy: strictSimulators ? null : { id: viewer.viewer.id, vendor: 'GENERIC', vendorId: viewer.viewer.vendorId },
    });

    const download = await fetch(file.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    expect(await listedNames(stack.url)).toContain(name);
  });

  it('uploads with transport SFTP through the drop, confirms it over HTTPS, and serves and lists it', async () => {
    const bytes = randomBytes(50_000);
    const name = 'nightly drop.csv';
    const puts = stack.carecloud.log.filter((e) => e.method === 'PUT').length;
    const uploaded = await gqlData<{ uploadFile: { file: FileNode } }>(stack.url, UPLOAD, {
      input: { name, contentType: 'text/csv', contentBase64: bytes.toString('base64'), transport: 'SFTP' },
    });
    expect(uploaded.uploadFile.file).toMatchObject({ vendorId: name, size: bytes.length, checksumSha256: sha256(bytes), uploadedBy: null });

    // The bytes went by SFTP (to a temporary name, then renamed), never by an HTTPS PUT.
    expect(bucketOf(stack).get(name)?.bytes.equals(bytes)).toBe(true);
    expect(stack.carecloud.log.filter((e) => e.method === 'PUT').length).toBe(puts);
    expect(stack.carecloud.sftp?.log.filter((e) => e.op === 'rename' && e.to?.endsWith(`/${name}`))).toHaveLength(1);

    const download = await fetch(uploaded.uploadFile.file.downloadUrl);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(bytes));
    expect(await listedNames(stack.url)).toContain(name);
  });

  it('takes a 6 MiB file through PUT /files/{name}, with its uploader, and lists it', async () => {
    const uploader = stack.generic.store.users[5]?.id ?? '';
    const bytes = randomBytes(6 * 1024 * 1024);
    const name = 'large export 6 MiB.bin';
    const response = await fetch(`${originOf(stack)}/files/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...(strictSimulators ? {} : { 'x-uploaded-by': toGlobalId('GENERIC', 'User', uploader) }) },
      body: bytes,
    });
    const body = (await response.json()) as { file: { id: string; size: number; checksumSha256: string } };
    expect(response.status).toBe(201);
    expect(body.file).toMatchObject({ size: bytes.length, checksumSha256: sha256(bytes) });
    expect(bucketOf(stack).get(name)?.bytes.equals(bytes)).toBe(true);
    expect(bucketOf(stack).get(name)?.meta.UploadedBy).toBe(strictSimulators ? null : uploader);
    expect(await listedNames(stack.url)).toContain(name);
  });

  it.each([
    ['PUT', '/files/report%zz.pdf'],
    ['GET', '/files/download/%E0%A4%A'],
  ])('answers %s %s, a malformed escape, with 400 BAD_USER_INPUT and no vendor call', async (method, path) => {
    const calls = stack.carecloud.log.length;
    const response = await fetch(`${originOf(stack)}${path}`, { method, ...(method === 'PUT' ? { body: 'x' } : {}) });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.status).toBe(400);
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(stack.carecloud.log.length).toBe(calls);
  });

  it.each([
    ['characters outside the alphabet', 'not*base64!'],
    ['a length that is not a multiple of 4', 'QUJDRA='],
  ])('refuses invalid base64 (%s) as BAD_USER_INPUT without calling the vendor', async (_case, contentBase64) => {
    const puts = stack.carecloud.log.filter((e) => e.method === 'PUT').length;
    const result = await gql(stack.url, UPLOAD, { input: { name: 'broken.txt', contentType: 'text/plain', contentBase64 } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.carecloud.log.filter((e) => e.method === 'PUT').length).toBe(puts);
    expect(bucketOf(stack).has('broken.txt')).toBe(false);
  });

  it('resolves the uploaders of all 40 files with ceil(distinct / 100) Generic users calls', async () => {
    const lookups = () => stack.generic.log.filter((e) => e.method === 'GET' && e.path === 'users').length;
    const before = lookups();
    const data = await gqlData<{ files: { nodes: Array<{ vendorId: string; uploadedBy: { vendorId: string; email: string } | null }> } }>(
      stack.url,
      '{ files(first: 40) { nodes { vendorId uploadedBy { vendorId email } } } }',
    );
    const seeded = storeOrder(stack).slice(0, 40);
    expect(data.files.nodes.map((n) => n.vendorId)).toEqual(seeded);
    const distinct = new Set(seeded.map((name) => bucketOf(stack).get(name)?.meta.UploadedBy).filter((id) => typeof id === 'string'));
    expect(distinct.size).toBeGreaterThan(1);
    if (strictSimulators) {
      // Strict Generic API ignores ids=: at most one ignored try, then one walk of the documented list.
      expect(lookups() - before).toBeLessThanOrEqual(Math.ceil(distinct.size / 100) + Math.ceil(stack.generic.store.users.length / 100));
    } else {
      expect(lookups() - before).toBe(Math.ceil(distinct.size / 100));
    }
    const emails = new Map(stack.generic.store.users.map((u) => [u.id, u.email]));
    for (const node of data.files.nodes) {
      const uploader = bucketOf(stack).get(node.vendorId)?.meta.UploadedBy ?? null;
      expect(node.uploadedBy?.vendorId ?? null).toBe(uploader);
      if (node.uploadedBy) expect(node.uploadedBy.email).toBe(emails.get(node.uploadedBy.vendorId));
    }
  });
});

describe('with a stack of its own', () => {
  const start = stacksPerTest();

  it('strict: without x-uploaded-by, the first upload naming an uploader is stored without one, the next is refused unsent', async () => {
    const s = await start({ strict: true });
    const viewer = await gqlData<{ viewer: { id: string } }>(s.url, '{ viewer { id } }');
    const input = (name: string) => ({ name, contentType: 'text/plain', contentBase64: Buffer.from(name).toString('base64'), uploadedById: viewer.viewer.id });
    const first = await gqlData<{ uploadFile: { file: FileNode } }>(s.url, UPLOAD, { input: input('first.txt') });
    // The vendor stored the file and dropped the header: its metadata (no uploader) is what is served.
    expect(first.uploadFile.file).toMatchObject({ vendorId: 'first.txt', uploadedBy: null });
    expect(s.carecloud.store.files.get(CARECLOUD_DEFAULT_WORKSPACE_ID)?.get(BUCKET)?.get('first.txt')?.meta.UploadedBy).toBeNull();
    const puts = s.carecloud.log.filter((e) => e.method === 'PUT').length;
    const second = await gql(s.url, UPLOAD, { input: input('second.txt') });
    expect(second.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(second.errors?.[0]?.message).toMatch(/does not record an uploader/);
    expect(s.carecloud.log.filter((e) => e.method === 'PUT').length).toBe(puts);
    // Without an uploader the same upload goes through.
    const third = await gqlData<{ uploadFile: { file: FileNode } }>(s.url, UPLOAD, { input: { ...input('second.txt'), uploadedById: null } });
    expect(third.uploadFile.file.vendorId).toBe('second.txt');
  });

  it('a wrong API key is UNAUTHENTICATED and the key appears nowhere in the answer', async () => {
    const s = await start({ gateway: { carecloud: { credentials: { apiKey: 'wrong-key-Zq81xK' } } } });
    const response = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ files(first: 1) { totalCount } }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', vendor: 'CARECLOUD', status: 403 });
    expect(text).not.toContain('wrong-key-Zq81xK');
    expect(text).not.toContain(s.carecloud.credentials.apiKey);
    expect(s.carecloud.log.map((e) => e.status)).toEqual([403]);
  });

  it('refuses transport SFTP as BAD_USER_INPUT when no SFTP drop is configured, calling nothing', async () => {
    const s = await start({ carecloud: { sftp: false } });
    const result = await gql(s.url, UPLOAD, { input: { name: 'x.txt', contentType: 'text/plain', contentBase64: 'eA==', transport: 'SFTP' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', vendor: 'CARECLOUD' });
    expect(result.errors?.[0]?.message).toContain('SFTP uploads are not configured for CareCloud');
    expect(s.carecloud.sftp).toBeUndefined();
    expect(s.carecloud.log).toEqual([]);
  });

  it('refuses a file above the vendor limit with 413 before calling the vendor, and lists nothing', async () => {
    const s = await start({ gateway: { carecloud: { maxUploadBytes: 1024 } } });
    const name = 'too-big.bin';
    const response = await fetch(`${originOf(s)}/files/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: randomBytes(4096),
    });
    expect(response.status).toBe(413);
    expect(s.carecloud.log.filter((e) => e.method === 'PUT')).toHaveLength(0);
    expect(bucketOf(s).has(name)).toBe(false);
    expect(await listedNames(s.url)).not.toContain(name);
  });

  it('obeys a throttle of 2 a second: 12 parallel file lookups give 0 errors', async () => {
    const s = await start({ carecloud: { limits: { ratePerSecond: 2, burst: 2 } } });
    const list = await gqlData<{ files: { nodes: Array<{ id: string; vendorId: string }> } }>(s.url, '{ files(first: 12) { nodes { id vendorId } } }');
    expect(list.files.nodes).toHaveLength(12);
    const results = await Promise.all(list.files.nodes.map((n) => gql<{ file: FileNode | null }>(s.url, FILE, { id: n.id })));
    for (const [i, result] of results.entries()) {
      expect(result.errors).toBeUndefined();
      const name = list.files.nodes[i]?.vendorId ?? '';
      expect(result.data?.file).toMatchObject({ vendorId: name, checksumSha256: bucketOf(s).get(name)?.meta.ChecksumSha256 });
    }
    // Every lookup reached the vendor and was answered in the end.
    const answered = s.carecloud.log.filter((e) => e.method === 'GET' && e.status === 200);
    expect(answered).toHaveLength(13);
  });

  it('stops calling once the monthly quota is used up, says QUOTA_EXHAUSTED and shows it in vendorStatus', async () => {
    const s = await start({ carecloud: { limits: { monthlyQuota: 6 } } });
    const list = await gqlData<{ files: { nodes: Array<{ id: string }> } }>(s.url, '{ files(first: 10) { nodes { id } } }');
    // One at a time, so the quota runs out at a known point: the list call and five lookups use it up.
    const lookup = (id: string | undefined) => gql<{ file: FileNode | null }>(s.url, FILE, { id });
    for (const node of list.files.nodes.slice(0, 5)) expect((await lookup(node.id)).errors).toBeUndefined();
    const refused = await lookup(list.files.nodes[5]?.id);
    const error = refused.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'QUOTA_EXHAUSTED', vendor: 'CARECLOUD' });
    const resetAt = new Date(String(error?.extensions?.resetAt));
    const now = new Date();
    expect(resetAt.getTime()).toBe(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(Number(error?.extensions?.retryAfter)).toBeGreaterThan(0);
    expect(Math.abs(Number(error?.extensions?.retryAfter) - (resetAt.getTime() - Date.now()) / 1000)).toBeLessThan(5);

    // The vendor refused exactly once: that answer alone taught the gateway the quota was gone.
    expect(s.carecloud.log.filter((e) => e.status === 429)).toHaveLength(1);
    const seen = s.carecloud.log.length;
    const again = await Promise.all([lookup(list.files.nodes[6]?.id), gql(s.url, '{ files(first: 5) { totalCount } }')]);
    for (const result of again) expect(result.errors?.[0]?.extensions?.code).toBe('QUOTA_EXHAUSTED');
    expect(s.carecloud.log.length).toBe(seen);

    const status = await gqlData<{ vendorStatus: Array<{ vendor: string; quota: { exhausted: boolean; remaining: number; limit: number } | null }> }>(
      s.url,
      '{ vendorStatus { vendor quota { exhausted remaining limit } } }',
    );
    expect(status.vendorStatus.find((v) => v.vendor === 'CARECLOUD')?.quota).toMatchObject({ exhausted: true, remaining: 0 });
    expect(s.carecloud.log.length).toBe(seen);
  });
});
