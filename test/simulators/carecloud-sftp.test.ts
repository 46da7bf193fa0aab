/**
 * The CareCloud simulator's SFTP drop, driven by a plain ssh2 client: key auth, uploads that reach the store the
 * HTTP API lists only once closed, SFTP failure statuses, and renames within a bucket.
 */
import { createHash, randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CARECLOUD_DEFAULT_BUCKET_IDS,
  CARECLOUD_DEFAULT_WORKSPACE_ID,
  CARECLOUD_SFTP_DEMO_USERNAME,
  generateSshKeyPair,
  startCareCloudSimulator,
  type CareCloudSftpEndpoint,
  type CareCloudSimulator,
} from '../../src/simulators/carecloud/server.ts';
import type { CareCloudFile, CareCloudFilePage } from '../../src/vendors/carecloud/wire.ts';

const { Client, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;
const WS = CARECLOUD_DEFAULT_WORKSPACE_ID;
const BUCKET = CARECLOUD_DEFAULT_BUCKET_IDS[1];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const partnerKey = generateSshKeyPair();

interface Connected {
  readonly client: InstanceType<typeof Client>;
  readonly sftp: SFTPWrapper;
}

function connect(endpoint: CareCloudSftpEndpoint, login: { username?: string; privateKey?: string; password?: string } = {}): Promise<Connected> {
  const client = new Client();
  return new Promise<Connected>((resolve, reject) => {
    client.once('error', reject);
    client.once('ready', () => client.sftp((error, sftp) => (error ? reject(error) : resolve({ client, sftp }))));
    client.connect({
      host: endpoint.host,
      port: endpoint.port,
      username: login.username ?? endpoint.username,
      ...(login.password === undefined ? { privateKey: login.privateKey ?? endpoint.privateKey } : { password: login.password }),
    });
  });
}

function step<T = void>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}

async function put(sftp: SFTPWrapper, path: string, bytes: Buffer): Promise<void> {
  const handle = await step<Buffer>((done) => sftp.open(path, 'w', done));
  await step<void>((done) => sftp.write(handle, bytes, 0, bytes.length, 0, done));
  await step<void>((done) => sftp.close(handle, done));
}

async function listed(sim: CareCloudSimulator): Promise<CareCloudFile[]> {
  const res = await fetch(`${sim.baseUrl}/files/${WS}/${BUCKET}?pageSize=100`, { headers: { 'x-api-key': sim.credentials.apiKey } });
  expect(res.status).toBe(200);
  return ((await res.json()) as CareCloudFilePage).Items;
}

async function sftpCode(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return (error as { code?: unknown } | undefined)?.code;
}

describe('CareCloud simulator: SFTP drop', () => {
  let sim: CareCloudSimulator;
  let endpoint: CareCloudSftpEndpoint;

  beforeAll(async () => {
    sim = await startCareCloudSimulator({
      sftp: true,
      sftpUsers: [{ username: 'partner', publicKey: partnerKey.public, uploadedBy: 'user-42' }],
    });
    if (!sim.sftp) throw new Error('the SFTP drop did not start');
    endpoint = sim.sftp;
  });

  afterAll(async () => {
    await sim.close();
  });

  it('is off unless asked for', async () => {
    const plain = await startCareCloudSimulator();
    expect(plain.sftp).toBeUndefined();
    await plain.close();
  });

  it('stores an upload on close, where the HTTP API lists and serves it with its checksum and size', async () => {
    const bytes = randomBytes(100_000);
    const { client, sftp } = await connect(endpoint);
    await put(sftp, `/${WS}/${BUCKET}/drop.csv`, bytes);
    client.end();

    const meta = (await listed(sim)).find((file) => file.Name === 'drop.csv');
    expect(meta).toMatchObject({ Size: bytes.length, ChecksumSha256: sha256(bytes), ContentType: 'text/csv', UploadedBy: null, Status: 'complete' });
    const download = await fetch(`${sim.baseUrl}/files/${WS}/${BUCKET}/drop.csv`, { headers: { 'x-api-key': sim.credentials.apiKey } });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('records the uploader an account maps to', async () => {
    const { client, sftp } = await connect(endpoint, { username: 'partner', privateKey: partnerKey.private });
    await put(sftp, `/${WS}/${BUCKET}/partner.txt`, Buffer.from('hello'));
    client.end();
    expect(sim.store.files.get(WS)?.get(BUCKET)?.get('partner.txt')?.meta.UploadedBy).toBe('user-42');
  });

  it('lists nothing while a file is open, nor after its connection drops', async () => {
    const { client, sftp } = await connect(endpoint);
    const path = `/${WS}/${BUCKET}/half.bin`;
    const handle = await step<Buffer>((done) => sftp.open(path, 'w', done));
    await step<void>((done) => sftp.write(handle, randomBytes(1000), 0, 1000, 0, done));
    expect((await listed(sim)).map((file) => file.Name)).not.toContain('half.bin');

    const closed = new Promise((resolve) => client.on('close', () => resolve(undefined)));
    client.destroy();
    await closed;
    await expect.poll(() => endpoint.log.some((entry) => entry.op === 'abort' && entry.path === path)).toBe(true);
    expect((await listed(sim)).map((file) => file.Name)).not.toContain('half.bin');
  });

  it.each([
    ['a wrong key for the account', { privateKey: partnerKey.private }],
    ['an unknown account', { username: 'nobody' }],
    ['a password', { password: 'hunter2' }],
  ])('refuses %s', async (_case, login) => {
    await expect(connect(endpoint, login)).rejects.toMatchObject({ level: 'client-authentication' });
  });

  it.each([
    ['an unknown workspace', `/nope/${BUCKET}/x.txt`, STATUS_CODE.NO_SUCH_FILE],
    ['an unknown bucket', `/${WS}/nope/x.txt`, STATUS_CODE.NO_SUCH_FILE],
    ['a path that is not a file in a bucket', `/${WS}/${BUCKET}`, STATUS_CODE.FAILURE],
  ])('answers an upload to %s with an SFTP failure status', async (_case, path, code) => {
    const { client, sftp } = await connect(endpoint);
    expect(await sftpCode(step<Buffer>((done) => sftp.open(path, 'w', done)))).toBe(code);
    client.end();
  });

  it('renames within a bucket, replacing the target and keeping its FileId, as a PUT does', async () => {
    const { client, sftp } = await connect(endpoint);
    const dir = `/${WS}/${BUCKET}`;
    await put(sftp, `${dir}/target.txt`, Buffer.from('old'));
    const before = sim.store.files.get(WS)?.get(BUCKET)?.get('target.txt')?.meta;
    await put(sftp, `${dir}/.target.part`, Buffer.from('new contents'));
    await step<void>((done) => sftp.rename(`${dir}/.target.part`, `${dir}/target.txt`, done));
    expect(await sftpCode(step<void>((done) => sftp.rename(`${dir}/missing`, `${dir}/other`, done)))).toBe(STATUS_CODE.NO_SUCH_FILE);
    client.end();

    const names = (await listed(sim)).map((file) => file.Name);
    expect(names).toContain('target.txt');
    expect(names).not.toContain('.target.part');
    const after = sim.store.files.get(WS)?.get(BUCKET)?.get('target.txt');
    expect(after?.bytes.toString()).toBe('new contents');
    expect(after?.meta.FileId).toBe(before?.FileId);
    expect(endpoint.username).toBe(CARECLOUD_SFTP_DEMO_USERNAME);
  });

  it('refuses an sftpUsers entry without a name', async () => {
    await expect(startCareCloudSimulator({ sftp: true, sftpUsers: [{ username: '', publicKey: partnerKey.public }] })).rejects.toThrow(
      'expected sftpUsers[0].username to be a non-empty name used once, got ""',
    );
  });
});
