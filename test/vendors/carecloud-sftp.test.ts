/**
 * CareCloudSource uploads over real loopback SFTP to the simulator's drop, confirmed over its HTTPS API: the
 * round trip, refused keys and host keys, a connection cut mid-upload, and a confirmation that disagrees.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredFile } from '../../src/domain/file.ts';
import {
  CARECLOUD_DEFAULT_BUCKET_IDS,
  CARECLOUD_DEFAULT_WORKSPACE_ID,
  generateSshKeyPair,
  sftpFingerprint,
  startCareCloudSimulator,
  type CareCloudSimulator,
  type CareCloudSftpEndpoint,
} from '../../src/simulators/carecloud/server.ts';
import { UpstreamCore, type CallContext, type UpstreamCoreOptions } from '../../src/upstream/client.ts';
import { isUpstreamError, type UpstreamError } from '../../src/upstream/errors.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';
import { CareCloudSource, type CareCloudOptions, type CareCloudSftpOptions } from '../../src/vendors/carecloud/index.ts';

const WS = CARECLOUD_DEFAULT_WORKSPACE_ID;
const BUCKET = CARECLOUD_DEFAULT_BUCKET_IDS[1];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const call = (): CallContext => ({ priority: 'interactive', deadline: Date.now() + 15_000 });

const running: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.close()));
});

interface Setup {
  readonly sim: CareCloudSimulator;
  readonly endpoint: CareCloudSftpEndpoint;
  readonly source: CareCloudSource;
  readonly warnings: string[];
}

async function setup(sftp: Partial<CareCloudSftpOptions> = {}, core: UpstreamCoreOptions = {}): Promise<Setup> {
  const sim = await startCareCloudSimulator({ sftp: true });
  running.push(sim);
  if (!sim.sftp) throw new Error('the SFTP drop did not start');
  const endpoint = sim.sftp;
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const source = CareCloudSource.create(new UpstreamCore({ logger, ...core }), {
    baseUrl: sim.baseUrl,
    credentials: sim.credentials,
    workspaceId: WS,
    bucketId: BUCKET,
    sftp: { host: endpoint.host, port: endpoint.port, username: endpoint.username, privateKey: endpoint.privateKey, hostKeySha256: endpoint.hostKeySha256, ...sftp },
  });
  return { sim, endpoint, source, warnings };
}

/** The UpstreamError `promise` rejects with; anything else (or success) fails the test. */
const failure = (promise: Promise<unknown>): Promise<UpstreamError> =>
  promise.then(
    () => Promise.reject(new Error('expected the upload to fail')),
    (error: unknown) => (isUpstreamError(error) ? error : Promise.reject(error)),
  );

async function listedNames(source: CareCloudSource): Promise<string[]> {
  const page = await source.files(call()).page(0);
  return page.items.map((file: StoredFile) => file.name);
}

/**
 * A TCP relay to whatever `target()` names when a connection arrives; it cuts both sides once `limit` bytes went
 * from client to server.
 */
async function relay(target: () => { host: string; port: number }, limit = Infinity): Promise<{ port: number; cut: Promise<void> }> {
  let signal: () => void = () => undefined;
  const cut = new Promise<void>((resolve) => (signal = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const { host, port } = target();
    const outbound = tcpConnect(port, host);
    sockets.add(inbound).add(outbound);
    let sent = 0;
    inbound.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent <= limit) return void outbound.write(chunk);
      inbound.destroy();
      outbound.destroy();
      signal();
    });
    outbound.on('data', (chunk: Buffer) => inbound.write(chunk));
    for (const socket of [inbound, outbound]) socket.on('error', () => undefined);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  running.push({ close });
  return { port: (server.address() as AddressInfo).port, cut };
}

/** A source whose SFTP goes through `port` (a relay) to the simulator's account. */
function sourceVia(sim: CareCloudSimulator, endpoint: CareCloudSftpEndpoint, port: number, extra: Partial<CareCloudOptions> = {}): CareCloudSource {
  return CareCloudSource.create(new UpstreamCore(), {
    ...extra,
    baseUrl: sim.baseUrl,
    credentials: sim.credentials,
    workspaceId: WS,
    bucketId: BUCKET,
    sftp: { host: endpoint.host, port, username: endpoint.username, privateKey: endpoint.privateKey, hostKeySha256: endpoint.hostKeySha256 },
  });
}

describe('CareCloudSource uploads over SFTP', () => {
  it('writes under a temporary name, renames it into place, and the HTTPS API lists and serves the same bytes', async () => {
    const { sim, endpoint, source } = await setup();
    const bytes = randomBytes(200_000);
    const stored = await source.upload({ name: 'nightly export.csv', contentType: 'text/csv', bytes }, call(), 'sftp');

    expect(stored).toMatchObject({ name: 'nightly export.csv', size: bytes.length, checksumSha256: sha256(bytes), uploadedById: null });
    expect(await listedNames(source)).toEqual(['nightly export.csv']);
    const downloaded = await source.download('nightly export.csv', call());
    expect(downloaded?.checksumSha256).toBe(sha256(bytes));
    expect(Buffer.from(downloaded?.bytes ?? []).equals(bytes)).toBe(true);

    const [open, close, rename, ...rest] = endpoint.log;
    const temp = open?.path ?? '';
    expect(temp).toMatch(new RegExp(`^/${WS}/${BUCKET}/\\.nightly export\\.csv\\.[0-9a-f-]{36}\\.part$`));
    expect(close).toMatchObject({ op: 'close', path: temp, status: 'OK' });
    expect(rename).toMatchObject({ op: 'rename', path: temp, to: `/${WS}/${BUCKET}/nightly export.csv`, status: 'OK' });
    expect(rest).toEqual([]);
    // The bytes never went over HTTPS: the API was only asked for the stored file's metadata.
    expect(sim.log.filter((entry) => entry.method === 'PUT')).toEqual([]);
    expect(sim.log.filter((entry) => entry.query.includes('metadata=true'))).toHaveLength(1);
  });

  it('replaces a file of the same name', async () => {
    const { source } = await setup();
    await source.upload({ name: 'plan.txt', contentType: 'text/plain', bytes: Buffer.from('first') }, call(), 'sftp');
    const second = await source.upload({ name: 'plan.txt', contentType: 'text/plain', bytes: Buffer.from('second') }, call(), 'sftp');
    expect(second).toMatchObject({ size: 6, checksumSha256: sha256(Buffer.from('second')) });
    expect(await listedNames(source)).toEqual(['plan.txt']);
  });

  it('is refused with a key the account does not have, and stores nothing', async () => {
    const stranger = generateSshKeyPair();
    const { endpoint, source } = await setup({ privateKey: stranger.private });
    const error = await failure(source.upload({ name: 'x.txt', contentType: 'text/plain', bytes: Buffer.from('x') }, call(), 'sftp'));
    expect(error.problem.kind).toBe('unauthorized');
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(endpoint.log).toEqual([]);
    expect(await listedNames(source)).toEqual([]);
  });

  it('refuses a host key that does not match the configured fingerprint before sending anything', async () => {
    const other = ssh2.utils.parseKey(generateSshKeyPair().public);
    if (other instanceof Error || Array.isArray(other)) throw new Error('could not parse a generated key');
    const wrong = sftpFingerprint(other.getPublicSSH());
    const { endpoint, source } = await setup({ hostKeySha256: wrong });
    const error = await failure(source.upload({ name: 'x.txt', contentType: 'text/plain', bytes: Buffer.from('x') }, call(), 'sftp'));
    expect(error.problem).toEqual({ kind: 'network', maybeDelivered: false });
    expect(error.message).toContain(`presented host key ${endpoint.hostKeySha256}, which does not match CARECLOUD_SFTP_HOST_KEY_SHA256`);
    expect(endpoint.log).toEqual([]);
  });

  it('without a fingerprint, pins the first host key with a warning and refuses a different one later', async () => {
    // The relay lets another server (with another host key) answer at the same address later on.
    let target = { host: '127.0.0.1', port: 1 };
    const relayed = await relay(() => target);
    const { endpoint, source, warnings } = await setup({ hostKeySha256: undefined, port: relayed.port });
    target = endpoint;
    await source.upload({ name: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('a') }, call(), 'sftp');
    await source.upload({ name: 'b.txt', contentType: 'text/plain', bytes: Buffer.from('b') }, call(), 'sftp');
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, hostKeySha256: endpoint.hostKeySha256, host: endpoint.host });

    const impostor = await startCareCloudSimulator({ sftp: true });
    running.push(impostor);
    target = impostor.sftp ?? endpoint;
    const error = await failure(source.upload({ name: 'c.txt', contentType: 'text/plain', bytes: Buffer.from('c') }, call(), 'sftp'));
    expect(error.message).toContain(`presented host key ${impostor.sftp?.hostKeySha256 ?? '?'}, which does not match the key pinned earlier in this process`);
    expect(impostor.sftp?.log).toEqual([]);
    expect(await listedNames(source)).toEqual(['a.txt', 'b.txt']);
  });

  it('leaves nothing listed when the connection drops mid-upload', async () => {
    const { sim, endpoint } = await setup();
    const cutting = await relay(() => endpoint, 300_000);
    const source = sourceVia(sim, endpoint, cutting.port);
    const error = await failure(source.upload({ name: 'big.bin', contentType: 'application/octet-stream', bytes: randomBytes(2_000_000) }, call(), 'sftp'));
    await cutting.cut;

    expect(error.problem).toEqual({ kind: 'network', maybeDelivered: true });
    await expect.poll(() => endpoint.log.map((entry) => entry.op)).toEqual(['open', 'abort']);
    expect(await listedNames(source)).toEqual([]);
  });

  it('sends nothing once the monthly quota is used up, since the upload could not be confirmed', async () => {
    const { sim, endpoint } = await setup();
    const source = sourceVia(sim, endpoint, endpoint.port, { monthlyQuota: 1 });
    await source.upload({ name: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('a') }, call(), 'sftp');
    const sent = endpoint.log.length;
    const error = await failure(source.upload({ name: 'b.txt', contentType: 'text/plain', bytes: Buffer.from('b') }, call(), 'sftp'));
    expect(error.problem.kind).toBe('quota_exhausted');
    expect(endpoint.log).toHaveLength(sent);
    expect(sim.store.files.get(WS)?.get(BUCKET)?.has('b.txt')).toBe(false);
  });

  it('removes the stored file and fails when the HTTPS API reports other bytes than were sent', async () => {
    const tamper: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      if (!input.searchParams.has('metadata')) return response;
      const record = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...record, ChecksumSha256: '0'.repeat(64) }, { status: response.status, headers: response.headers });
    };
    const { sim, source } = await setup({}, { fetch: tamper });
    const error = await failure(source.upload({ name: 'x.txt', contentType: 'text/plain', bytes: Buffer.from('x') }, call(), 'sftp'));
    expect(error.problem.kind).toBe('server_error');
    expect(error.message).toBe('CareCloud stored "x.txt" with a different checksum than was sent; the stored copy was removed');
    expect(sim.store.files.get(WS)?.get(BUCKET)?.has('x.txt')).toBe(false);
  });

  it.each<[string, Partial<CareCloudSftpOptions> | undefined, { uploadedById?: string }, string]>([
    ['SFTP is not configured', undefined, {}, 'SFTP uploads are not configured for CareCloud'],
    ['an uploader is named', {}, { uploadedById: 'u1' }, 'an SFTP upload cannot record an uploader'],
  ])('refuses as bad input, before any call, when %s', async (_case, sftp, extra, message) => {
    const { sim, endpoint, source: configured } = await setup();
    const source = sftp
      ? configured
      : CareCloudSource.create(new UpstreamCore(), { baseUrl: sim.baseUrl, credentials: sim.credentials, workspaceId: WS, bucketId: BUCKET });
    const error = await failure(source.upload({ name: 'x.txt', contentType: 'text/plain', bytes: Buffer.from('x'), ...extra }, call(), 'sftp'));
    expect(error.problem.kind).toBe('bad_request');
    expect(error.status).toBeUndefined();
    expect(error.message).toContain(message);
    expect(sim.log).toEqual([]);
    expect(endpoint.log).toEqual([]);
  });

  it.each<[string, Partial<CareCloudSftpOptions>, string]>([
    ['an empty host', { host: '' }, 'expected sftp.host to be a non-empty string, got ""'],
    ['a port out of range', { port: 70_000 }, 'expected sftp.port to be an integer from 1 to 65535, got 70000'],
    ['a key that is not one', { privateKey: 'hunter2' }, 'expected sftp.privateKey to be an unencrypted OpenSSH or PEM private key, got something else'],
    ['a malformed fingerprint', { hostKeySha256: 'md5:ab:cd' }, 'expected sftp.hostKeySha256 to be SHA256: and 43 base64 characters, got "md5:ab:cd"'],
  ])('refuses %s at construction', (_case, patch, message) => {
    const key = generateSshKeyPair().private;
    const create = () =>
      CareCloudSource.create(new UpstreamCore(), {
        baseUrl: 'https://example.com/prod/',
        credentials: { apiKey: 'k' },
        workspaceId: WS,
        bucketId: BUCKET,
        sftp: { host: 'sftp.example.com', username: 'u', privateKey: key, ...patch },
      });
    expect(create).toThrow(message);
  });
});
