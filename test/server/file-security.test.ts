/**
 * Files and ids, attacked over real HTTP against the simulators: signed download URLs (valid, expired,
 * tampered, none), scopes on both file routes, what a download is served as, hostile file names on every route
 * and both transports, hostile vendor ids on every way an id comes in, and URLs that never take the Host header.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../src/config.ts';
import type { Vendor } from '../../src/domain/vendor.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { hashApiKey, newApiKey } from '../../src/server/auth/api-keys.ts';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, type CareCloudStoredFile } from '../../src/simulators/carecloud/server.ts';
import { isUpstreamError } from '../../src/upstream/errors.ts';
import { CareCloudSftpUploader, resolveSftpOptions } from '../../src/vendors/carecloud/sftp.ts';
import { startStack, stacksPerTest, vendorCalls, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData, type GraphQLResult } from '../helpers/graphql.ts';
import { expectNoSecrets } from '../helpers/secrets.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const originOf = (stack: TestStack): string => new URL(stack.url).origin;

function bucketOf(stack: TestStack): Map<string, CareCloudStoredFile> {
  const bucket = stack.carecloud.store.files.get(CARECLOUD_DEFAULT_WORKSPACE_ID)?.get(CARECLOUD_DEFAULT_BUCKET_IDS[0]);
  if (!bucket) throw new Error('the simulator has no default bucket');
  return bucket;
}


interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request with its path sent byte for byte: fetch would resolve `..` and `%2e%2e` before sending, and
 * cannot set Host.
 */
function raw(origin: string, method: string, path: string, headers: Record<string, string> = {}, body?: Uint8Array | string): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (answer: RawAnswer): unknown => (JSON.parse(answer.text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;

/** A downloadUrl pointed at the test's gateway: PUBLIC_URL names an origin nobody listens on, to prove it is used. */
const onGateway = (stack: TestStack, downloadUrl: string): string => {
  const url = new URL(downloadUrl);
  return `${originOf(stack)}${url.pathname}${url.search}`;
};

const FILES = /* GraphQL */ `
  query { files(first: 3) { nodes { id vendorId downloadUrl } } }
`;

interface Listed {
  id: string;
  vendorId: string;
  downloadUrl: string;
}

const key = (name: string, scopes: string[]): { key: string; record: ApiKeyRecord } => {
  const value = newApiKey();
  return { key: value, record: { name, sha256: hashApiKey(value), scopes } };
};

const ALL = key('all', ['*']);
const READER = key('reader', ['files:read']);
const WRITER = key('writer', ['files:write']);
const OTHER = key('other', ['enquiries:read', 'users:read']);
const PUBLIC_URL = 'http://127.0.0.1:1';

const protectedGateway = (extra: { downloadUrlTtlS?: number } = {}) => ({
  gateway: {
    auth: { mode: 'protected' as const, apiKeys: [ALL.record, READER.record, WRITER.record, OTHER.record], jwt: undefined },
    publicUrl: PUBLIC_URL,
    ...extra,
  },
});

async function listFiles(stack: TestStack): Promise<Listed[]> {
  const result = await gql<{ files: { nodes: Listed[] } }>(stack.url, FILES, {}, { 'x-api-key': ALL.key });
  if (!result.data) throw new Error(`expected files, got ${JSON.stringify(result.errors)}`);
  return result.data.files.nodes;
}

describe('signed download URLs, in protected mode', () => {
  let stack: TestStack;
  let files: Listed[];

  beforeAll(async () => {
    stack = await startStack(protectedGateway());
    files = await listFiles(stack);
  });

  afterAll(async () => {
    await stack.close();
  });

  const first = (): Listed => {
    const file = files[0];
    if (!file) throw new Error('no files listed');
    return file;
  };

  it('hands out <PUBLIC_URL>/files/download/<File id>?expires=<epoch s>&sig=<base64url>, valid for 300 s by default', () => {
    const url = new URL(first().downloadUrl);
    expect(url.origin).toBe(PUBLIC_URL);
    expect(url.pathname).toBe(`/files/download/${first().id}`);
    expect([...url.searchParams.keys()]).toEqual(['expires', 'sig']);
    expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = Number(url.searchParams.get('expires')) - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(295);
    expect(lifetime).toBeLessThanOrEqual(301);
  });

  it('serves a valid signed URL without credentials: 200 and the exact bytes', async () => {
    const response = await fetch(onGateway(stack, first().downloadUrl));
    expect(response.status).toBe(200);
    const stored = bucketOf(stack).get(first().vendorId);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(stored?.meta.ChecksumSha256);
  });

  const tampered: Array<[string, (url: URL, other: URL) => void]> = [
    ['another file’s id under this signature', (url, other) => (url.pathname = other.pathname)],
    ['a later expiry', (url) => url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600))],
    ['an earlier expiry', (url) => url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) - 1))],
    ['one character of the signature changed', (url) => url.searchParams.set('sig', flip(url.searchParams.get('sig') ?? ''))],
    ['the last character of the signature changed', (url) => url.searchParams.set('sig', flipLast(url.searchParams.get('sig') ?? ''))],
    ['another file’s signature', (url, other) => url.searchParams.set('sig', other.searchParams.get('sig') ?? '')],
    ['a truncated signature', (url) => url.searchParams.set('sig', (url.searchParams.get('sig') ?? '').slice(0, 42))],
    ['the signature left out', (url) => url.searchParams.delete('sig')],
    ['the expiry left out', (url) => url.searchParams.delete('expires')],
    ['the signature sent twice', (url) => url.searchParams.append('sig', url.searchParams.get('sig') ?? '')],
    ['no query at all', (url) => (url.search = '')],
  ];

  it.each(tampered)('refuses %s without credentials: 401 UNAUTHENTICATED, 0 vendor calls', async (_case, change) => {
    const url = new URL(onGateway(stack, first().downloadUrl));
    change(url, new URL(onGateway(stack, files[1]?.downloadUrl ?? '')));
    const before = vendorCalls(stack);
    const answer = await raw(originOf(stack), 'GET', `${url.pathname}${url.search}`);
    expect(answer.status).toBe(401);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect(vendorCalls(stack)).toBe(before);
  });

  it('a URL built by hand from a file name downloads nothing without credentials', async () => {
    const name = first().vendorId;
    const before = vendorCalls(stack);
    const response = await fetch(`${originOf(stack)}/files/download/${toGlobalId('CARECLOUD', 'File', name)}`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(bucketOf(stack).get(name)?.bytes.toString('utf8').slice(0, 20));
    expect(vendorCalls(stack)).toBe(before);
  });

  it.each([
    ['no credentials', {}, 401, 'UNAUTHENTICATED'],
    ['an unknown key', { 'x-api-key': newApiKey() }, 401, 'UNAUTHENTICATED'],
    ['a bearer token that is no key', { authorization: 'Bearer not-a-key' }, 401, 'UNAUTHENTICATED'],
    ['a key without files:read', { 'x-api-key': OTHER.key }, 403, 'FORBIDDEN'],
    ['a key with only files:write', { 'x-api-key': WRITER.key }, 403, 'FORBIDDEN'],
  ] as const)('an unsigned download with %s is %i %s, with 0 vendor calls', async (_case, headers, status, code) => {
    const before = vendorCalls(stack);
    const response = await fetch(`${originOf(stack)}/files/download/${first().id}`, { headers });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe(code);
    expect(vendorCalls(stack)).toBe(before);
  });

  it.each([
    ['x-api-key', { 'x-api-key': READER.key }],
    ['Authorization: Bearer', { authorization: `Bearer ${READER.key}` }],
    ['the * scope', { 'x-api-key': ALL.key }],
  ])('an unsigned download with files:read (%s) is served', async (_case, headers) => {
    const response = await fetch(`${originOf(stack)}/files/download/${first().id}`, { headers });
    expect(response.status).toBe(200);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(bucketOf(stack).get(first().vendorId)?.meta.ChecksumSha256);
  });

  it('a tampered signature with files:read credentials falls back to them and is served', async () => {
    const url = new URL(onGateway(stack, first().downloadUrl));
    url.searchParams.set('sig', flip(url.searchParams.get('sig') ?? ''));
    const response = await fetch(url, { headers: { 'x-api-key': READER.key } });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no credentials', {}, 401, 'UNAUTHENTICATED'],
    ['an unknown key', { 'x-api-key': newApiKey() }, 401, 'UNAUTHENTICATED'],
    ['a key with only files:read', { 'x-api-key': READER.key }, 403, 'FORBIDDEN'],
    ['a key without file scopes', { 'x-api-key': OTHER.key }, 403, 'FORBIDDEN'],
  ] as const)('PUT /files/{name} with %s is %i %s, stores nothing and calls no vendor', async (_case, headers, status, code) => {
    const before = vendorCalls(stack);
    const answer = await raw(originOf(stack), 'PUT', '/files/refused.txt', { ...headers, 'content-type': 'text/plain' }, 'not stored');
    expect(answer.status).toBe(status);
    expect(codeOf(answer)).toBe(code);
    expect(bucketOf(stack).has('refused.txt')).toBe(false);
    expect(vendorCalls(stack)).toBe(before);
  });

  it('PUT /files/{name} with files:write stores the file and answers a signed URL that works without credentials', async () => {
    const bytes = randomBytes(2048);
    const response = await fetch(`${originOf(stack)}/files/written-by-key.bin`, {
      method: 'PUT',
      headers: { 'x-api-key': WRITER.key, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as { file: { id: string; downloadUrl: string } };
    expect(bucketOf(stack).get('written-by-key.bin')?.bytes.equals(bytes)).toBe(true);
    expect(new URL(file.downloadUrl).origin).toBe(PUBLIC_URL);
    const download = await fetch(onGateway(stack, file.downloadUrl));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('no key appears in any answer of these routes', async () => {
    const answers = await Promise.all([
      raw(originOf(stack), 'GET', `/files/download/${first().id}`, { 'x-api-key': OTHER.key }),
      raw(originOf(stack), 'GET', `/files/download/${first().id}`, { 'x-api-key': `${ALL.key}x` }),
      raw(originOf(stack), 'PUT', '/files/x.txt', { 'x-api-key': READER.key }, 'x'),
    ]);
    expectNoSecrets(
      answers.map((a) => `${JSON.stringify(a.headers)}\n${a.text}`),
      [ALL.key, READER.key, WRITER.key, OTHER.key],
    );
  });
});

describe('expiry', () => {
  const start = stacksPerTest();

  it('a signed URL works until DOWNLOAD_URL_TTL_S has passed, then needs credentials', async () => {
    const stack = await start(protectedGateway({ downloadUrlTtlS: 2 }));
    const [file] = await listFiles(stack);
    const url = onGateway(stack, file?.downloadUrl ?? '');
    const expires = Number(new URL(url).searchParams.get('expires')) * 1000;
    expect(expires - Date.now()).toBeGreaterThan(1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(3000);
    expect((await fetch(url)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, expires - Date.now() + 100));
    const before = vendorCalls(stack);
    const expired = await fetch(url);
    expect(expired.status).toBe(401);
    expect(vendorCalls(stack)).toBe(before);
    // Expired is not forbidden: credentials with files:read still get the file.
    expect((await fetch(url, { headers: { 'x-api-key': READER.key } })).status).toBe(200);
  });
});

describe('served content', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['text/html', 'application/octet-stream'],
    ['text/html; charset=utf-8', 'application/octet-stream'],
    ['TEXT/HTML', 'application/octet-stream'],
    ['application/xhtml+xml', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['text/xml', 'application/octet-stream'],
    ['text/javascript', 'application/octet-stream'],
    ['application/json', 'application/octet-stream'],
    ['made-up', 'application/octet-stream'],
    ['application/pdf', 'application/pdf'],
    ['Application/PDF; name=x.html', 'application/pdf'],
    ['image/png', 'image/png'],
    ['image/webp', 'image/webp'],
    ['text/plain; charset=UTF-8', 'text/plain; charset=utf-8'],
    ['text/csv', 'text/csv'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['application/zip', 'application/zip'],
  ])('a file uploaded as %s is served as %s, as an attachment, never sniffed', async (declared, served) => {
    const name = `served ${createHash('sha1').update(declared).digest('hex').slice(0, 8)}.bin`;
    const body = '<html><script>alert(document.domain)</script></html>';
    const put = await fetch(`${originOf(stack)}/files/${encodeURIComponent(name)}`, { method: 'PUT', headers: { 'content-type': declared }, body });
    expect(put.status).toBe(201);
    const { file } = (await put.json()) as { file: { downloadUrl: string } };

    const response = await fetch(file.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(served);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.text()).toBe(body);
  });
});

describe('hostile file names', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  const HOSTILE_NAMES: Array<[string, string]> = [
    ['dot-dot', '..'],
    ['dot', '.'],
    ['empty', ''],
    ['a slash', 'a/b'],
    ['a climb', '../b'],
    ['a backslash', 'a\\b'],
    ['NUL', '\u0000x'],
    ['a trailing NUL', 'x.pdf\u0000.html'],
    ['a question mark', 'x?y'],
    ['a hash', 'x#y'],
    ['a percent escape', '%2e%2e'],
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['a tab', 'a\tb'],
    ['DEL', 'x\u007fy'],
    ['an escape character', 'x\u001by'],
    ['a leading dot', '.htaccess'],
    ['a leading space', ' x'],
    ['a quote', 'x".txt'],
    ['a non-ASCII letter', 'Zoë.txt'],
    ['201 characters', 'a'.repeat(201)],
  ];

  const UPLOAD = /* GraphQL */ `
    mutation Upload($input: UploadFileInput!) { uploadFile(input: $input) { file { id } } }
  `;

  it.each(HOSTILE_NAMES)('%s is BAD_USER_INPUT on PUT /files/{name}, with 0 vendor calls', async (_case, name) => {
    const before = vendorCalls(stack);
    const answer = await raw(originOf(stack), 'PUT', `/files/${encodeURIComponent(name)}`, { 'content-type': 'text/plain' }, 'x');
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(vendorCalls(stack)).toBe(before);
  });

  it.each(['HTTPS', 'SFTP'])('each is BAD_USER_INPUT on uploadFile with transport %s, with 0 vendor calls', async (transport) => {
    const before = vendorCalls(stack);
    for (const [label, name] of HOSTILE_NAMES) {
      const result = await gql(stack.url, UPLOAD, { input: { name, contentType: 'text/plain', contentBase64: 'eA==', transport } });
      expect(result.errors?.map((e) => e.extensions?.code), label).toEqual(['BAD_USER_INPUT']);
    }
    expect(vendorCalls(stack)).toBe(before);
    expect(stack.carecloud.sftp?.log).toEqual([]);
  });

  it.each([
    ['/files/..'],
    ['/files/%2e%2e'],
    ['/files/%2E%2E'],
    ['/files/a/b'],
    ['/files/a/../b'],
    ['/files/a%2Fb'],
    ['/files/..%2Fb'],
    ['/files/a%5Cb'],
    ['/files/a%00b'],
    ['/files/'],
  ])('PUT %s, as sent without normalising, is 400 BAD_USER_INPUT with 0 vendor calls', async (path) => {
    const before = vendorCalls(stack);
    const answer = await raw(originOf(stack), 'PUT', path, { 'content-type': 'text/plain' }, 'x');
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(vendorCalls(stack)).toBe(before);
    expect(bucketOf(stack).has('b')).toBe(false);
  });

  it.each([
    ['200 characters', 'a'.repeat(200)],
    ['letters, digits, dot, underscore, space and hyphen', 'Care plan_v2 - 2026.05.pdf'],
    ['a dot-dot inside a name', 'report..final.txt'],
  ])('a name of %s is accepted on every route and transport', async (_case, name) => {
    const put = await raw(originOf(stack), 'PUT', `/files/${encodeURIComponent(name)}`, { 'content-type': 'text/plain' }, 'x');
    expect(put.status).toBe(201);
    for (const transport of ['HTTPS', 'SFTP']) {
      const result = await gql(stack.url, UPLOAD, { input: { name, contentType: 'text/plain', contentBase64: 'eA==', transport } });
      expect(result.errors).toBeUndefined();
    }
    expect(bucketOf(stack).has(name)).toBe(true);
  });

  it('the SFTP uploader itself refuses a hostile name before it connects', async () => {
    const sockets: Socket[] = [];
    const listener = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = stack.carecloud.sftp;
      if (!endpoint) throw new Error('the simulator has no SFTP drop');
      const uploader = new CareCloudSftpUploader(
        resolveSftpOptions({ host: '127.0.0.1', port: (listener.address() as AddressInfo).port, username: endpoint.username, privateKey: endpoint.privateKey, hostKeySha256: endpoint.hostKeySha256 }),
        () => undefined,
      );
      const location = { workspaceId: CARECLOUD_DEFAULT_WORKSPACE_ID, bucketId: CARECLOUD_DEFAULT_BUCKET_IDS[0] };
      for (const [label, name] of HOSTILE_NAMES) {
        const error = await uploader.put({ ...location, name }, Buffer.from('x'), Date.now() + 5000).then(() => undefined, (e: unknown) => e);
        expect(isUpstreamError(error) && error.problem.kind === 'bad_request' && error.status === undefined, label).toBe(true);
      }
      expect(sockets).toHaveLength(0);
      // The listener does count connections: a good name connects (and fails, as nothing speaks SSH there).
      await uploader.put({ ...location, name: 'fine.txt' }, Buffer.from('x'), Date.now() + 500).catch(() => undefined);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});

describe('hostile vendor ids', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  /** Each type each vendor serves, the field that looks it up, and an id of the right shape that does not exist. */
  const TYPES: Array<[Vendor, string, string, string]> = [
    ['CAREHQ', 'Enquiry', 'enquiry', '000000000000000000000000'],
    ['CAREHQ', 'User', 'user', 'ffffffffffffffffffffffff'],
    ['CLINICEA', 'Lead', 'lead', '999999999'],
    ['CASEWARE', 'Client', 'client', '00000000-0000-4000-A000-000000000000'],
    ['CASEWARE', 'User', 'user', '00000000-0000-4000-A000-000000000001'],
    ['CARECLOUD', 'File', 'file', 'no-such-file.pdf'],
    ['GENERIC', 'User', 'user', 'usr_doesnotexist'],
  ];

  const HOSTILE_IDS = ['.', '..', 'a/b', '../users', '..%2F', '%2e%2e', '%2E', 'a?b', 'a#b', 'a%20b', ' x', 'a b\u0000', 'a\nb', "x'y", 'a,b', 'a\\b', '🙂'];

  /** One request per field: a failed `nodes` (non-null) nulls the whole answer and hides its siblings' errors. */
  const LOOKUPS = (field: string, type: string): Array<[string, string]> => [
    ['node', 'query($id: ID!) { node(id: $id) { id } }'],
    ['nodes', 'query($id: ID!) { nodes(ids: [$id]) { id } }'],
    [field, `query($id: ID!) { ${field}(id: $id) { id } }`],
    ['_entities', `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${type} { id } } }`],
  ];

  const cases = TYPES.flatMap(([vendor, type, field]) => HOSTILE_IDS.map((id) => [vendor, type, id, field] as const));

  it.each(cases)('%s %s id %j is BAD_USER_INPUT in node, nodes, %s and _entities, with 0 vendor calls', async (vendor, type, vendorId, field) => {
    const id = toGlobalId(vendor, type, vendorId);
    const before = vendorCalls(stack);
    for (const [name, query] of LOOKUPS(field, type)) {
      const result = await gql(stack.url, query, { id, reps: [{ __typename: type, id }] });
      expect(result.errors?.map((e) => [e.path?.[0], e.extensions?.code]), name).toEqual([[name, 'BAD_USER_INPUT']]);
    }
    expect(vendorCalls(stack)).toBe(before);
  });

  it.each(TYPES)('a %s %s id of the right shape that does not exist reaches the vendor and is null', async (vendor, type, field, vendorId) => {
    const before = vendorCalls(stack);
    const data = await gqlData<Record<string, unknown>>(stack.url, `query($id: ID!) { ${field}(id: $id) { id } }`, { id: toGlobalId(vendor, type, vendorId) });
    expect(data[field]).toBeNull();
    expect(vendorCalls(stack)).toBeGreaterThan(before);
  });

  it('v1:CAREHQ:Enquiry:.. no longer makes the gateway call GET /v1/', async () => {
    const before = stack.carehq.log.length;
    const result = await gql(stack.url, 'query($id: ID!) { enquiry(id: $id) { id } }', { id: Buffer.from('v1:CAREHQ:Enquiry:..').toString('base64url') });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.carehq.log.slice(before)).toEqual([]);
  });

  const hostileUser = (vendor: Vendor) => HOSTILE_IDS.map((vendorId) => [vendorId, toGlobalId(vendor, 'User', vendorId)] as const);

  it.each([
    ['enquiries(filter: { assigneeId })', 'CAREHQ', 'query($id: ID!) { enquiries(first: 1, filter: { assigneeId: $id }) { totalCount } }'],
    ['clients(filter: { staffId })', 'CASEWARE', 'query($id: ID!) { clients(first: 1, filter: { staffId: $id }) { nodes { id } } }'],
    ['createEnquiry(input: { assigneeId })', 'CAREHQ', 'mutation($id: ID!) { createEnquiry(input: { firstName: "A", assigneeId: $id }) { enquiry { id } } }'],
    [
      'uploadFile(input: { uploadedById })',
      'GENERIC',
      'mutation($id: ID!) { uploadFile(input: { name: "by-hostile.txt", contentType: "text/plain", contentBase64: "eA==", uploadedById: $id }) { file { id } } }',
    ],
  ] as const)('a hostile user id in %s is BAD_USER_INPUT with 0 vendor calls', async (_case, vendor, query) => {
    const before = vendorCalls(stack);
    for (const [vendorId, id] of hostileUser(vendor)) {
      const result: GraphQLResult<unknown> = await gql(stack.url, query, { id });
      expect(result.errors?.map((e) => e.extensions?.code), JSON.stringify(vendorId)).toEqual(['BAD_USER_INPUT']);
    }
    expect(vendorCalls(stack)).toBe(before);
  });

  it('a hostile X-Uploaded-By on PUT /files/{name} is BAD_USER_INPUT with 0 vendor calls', async () => {
    const before = vendorCalls(stack);
    for (const [vendorId, id] of hostileUser('GENERIC')) {
      const answer = await raw(originOf(stack), 'PUT', '/files/by-hostile.txt', { 'content-type': 'text/plain', 'x-uploaded-by': id }, 'x');
      expect([answer.status, codeOf(answer)], JSON.stringify(vendorId)).toEqual([400, 'BAD_USER_INPUT']);
    }
    expect(vendorCalls(stack)).toBe(before);
  });

  it.each([
    ...HOSTILE_IDS.map((vendorId) => `/files/download/${toGlobalId('CARECLOUD', 'File', vendorId)}`),
    '/files/download/..',
    '/files/download/%2e%2e',
    '/files/download/a/b',
    '/files/download/',
    `/files/download/${toGlobalId('CAREHQ', 'Enquiry', '000000000000000000000000')}`,
  ])('GET %s is 400 BAD_USER_INPUT with 0 vendor calls', async (path) => {
    const before = vendorCalls(stack);
    const answer = await raw(originOf(stack), 'GET', path);
    expect([answer.status, codeOf(answer)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(vendorCalls(stack)).toBe(before);
  });
});

describe('public URL', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  const graphql = (body: unknown) =>
    raw(originOf(stack), 'POST', '/graphql', { host: 'evil.example', 'content-type': 'application/json', 'x-forwarded-host': 'evil.example' }, JSON.stringify(body));

  it('Host: evil.example never appears in a downloadUrl: File.downloadUrl, uploadFile and PUT /files/{name}', async () => {
    const answers = [
      await graphql({ query: '{ files(first: 5) { nodes { downloadUrl } } }' }),
      await graphql({
        query: 'mutation { uploadFile(input: { name: "host-test.txt", contentType: "text/plain", contentBase64: "eA==" }) { file { downloadUrl } } }',
      }),
      await raw(originOf(stack), 'PUT', '/files/host-test-2.txt', { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'content-type': 'text/plain' }, 'x'),
    ];
    const urls = answers.flatMap((answer) => answer.text.match(/https?:\/\/[^"]+/g) ?? []);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 201]);
    expect(urls).toHaveLength(7);
    for (const url of urls) expect(new URL(url).origin).toBe(originOf(stack));
    for (const answer of answers) expect(answer.text).not.toContain('evil.example');
  });
});

function flip(text: string): string {
  return `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
}

/** Changes only the spare low bits of the last base64url character (A <-> B): the decoded bytes stay the same. */
function flipLast(text: string): string {
  const last = text.at(-1) ?? 'A';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const value = alphabet.indexOf(last);
  return `${text.slice(0, -1)}${alphabet[value ^ 1] ?? 'A'}`;
}
