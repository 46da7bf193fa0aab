/**
 * CareCloud's SFTP drop (vendors.md: "Files can also go by SFTP (username + key file)") on a loopback port. The
 * layout is our choice: `/{workspaceId}/{bucketId}/{name}`, the same destinations as the HTTP API, and uploads
 * land in the same store, so the HTTP API lists them.
 *
 * Only what an upload needs is served: open for write, write, close, stat, realpath, rename and remove; the rest
 * answers OP_UNSUPPORTED (ssh2's default). A file is stored when its handle is closed, never before, so a
 * connection dropped mid-upload leaves nothing listed. A rename replaces an existing target, as a PUT does.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Attributes, Connection, ParsedKey, PublicKeyAuthContext, SFTPWrapper } from 'ssh2';
import { CARECLOUD_SFTP_DEMO_USERNAME, type ResolvedOptions } from './options.ts';
import type { CareCloudStoredFile } from './seed.ts';
import { appendBounded } from '../http.ts';
import { putFile, type CareCloudStore } from './store.ts';

/** SFTP operations the log keeps, newest last, so a long demo's memory stays flat. */
const SFTP_LOG_LIMIT = 10_000;

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface CareCloudSftpLogEntry {
  readonly username: string;
  /** `abort`: a file still open when its connection ended, and so never stored. */
  readonly op: 'open' | 'close' | 'rename' | 'remove' | 'abort';
  readonly path: string;
  /** Where a rename went. */
  readonly to?: string;
  /** The SFTP status sent back; `OK` on success. */
  readonly status: keyof typeof STATUS_CODE;
}

export interface CareCloudSftpEndpoint {
  readonly host: string;
  readonly port: number;
  /** The generated account, `CARECLOUD_SFTP_DEMO_USERNAME`. */
  readonly username: string;
  /** The generated account's private key (OpenSSH format), as a key file would hold it. */
  readonly privateKey: string;
  readonly publicKey: string;
  /** The host key's fingerprint as `ssh-keygen -l` prints it: `SHA256:` and unpadded base64. */
  readonly hostKeySha256: string;
  /** Every upload-related operation, oldest first; tests may read and clear it. */
  readonly log: CareCloudSftpLogEntry[];
}

export interface CareCloudSftpServer {
  readonly endpoint: CareCloudSftpEndpoint;
  close(): Promise<void>;
}

interface Account {
  readonly key: ParsedKey;
  readonly uploadedBy: string | null;
}

/** A file being written: bytes grow as writes arrive and reach the store only on close. */
interface Pending {
  readonly workspaceId: string;
  readonly bucketId: string;
  readonly name: string;
  readonly path: string;
  buffer: Buffer;
  size: number;
  /** Set when a write was refused; closing then stores nothing. */
  failed: boolean;
}

type Located = { kind: 'root' } | { kind: 'workspace' } | { kind: 'bucket' } | { kind: 'file'; workspaceId: string; bucketId: string; name: string };

const DIRECTORY_MODE = 0o040755;
const FILE_MODE = 0o100644;

/** SFTP carries no content type; like object-store-backed drops, it is guessed from the extension (our choice). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function sftpFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * An ed25519 key pair that ssh2 can read back. About 1 in 256 pairs from ssh2 1.17's generateKeyPairSync is
 * malformed (it strips a leading zero byte of the public key: mscdex/ssh2#1390), so such pairs are drawn again.
 */
export function generateSshKeyPair(): { readonly private: string; readonly public: string } {
  for (let attempt = 0; attempt < 32; attempt += 1) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error('expected ssh2 to generate a readable ed25519 key pair, got 32 malformed ones');
}

function parsePublic(text: string, what: string): ParsedKey {
  const parsed = utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error) throw new Error(`expected ${what} to be an OpenSSH public key, got something ssh2 cannot parse`);
  return key;
}

export async function startCareCloudSftp(
  store: CareCloudStore,
  config: ResolvedOptions,
  newFileId: () => string,
): Promise<CareCloudSftpServer> {
  const hostKey = generateSshKeyPair();
  const userKey = generateSshKeyPair();
  const accounts = new Map<string, Account>([[CARECLOUD_SFTP_DEMO_USERNAME, { key: parsePublic(userKey.public, 'the generated key'), uploadedBy: null }]]);
  config.sftpUsers.forEach((user, index) => {
    accounts.set(user.username, { key: parsePublic(user.publicKey, `sftpUsers[${index}].publicKey`), uploadedBy: user.uploadedBy ?? null });
  });
  const log: CareCloudSftpLogEntry[] = [];
  const connections = new Set<Connection>();

  const server = new Server({ hostKeys: [hostKey.private] }, (connection) => {
    connections.add(connection);
    let account: Account | undefined;
    let username = '';
    connection.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const candidate = accounts.get(ctx.username);
      if (!candidate || !keyMatches(ctx, candidate.key)) return ctx.reject(['publickey']);
      // Without a signature the client only asks whether the key would do; it signs on the next attempt.
      if (ctx.signature && ctx.blob && !candidate.key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
      account = candidate;
      username = ctx.username;
      ctx.accept();
    });
    connection.on('ready', () => {
      connection.on('session', (acceptSession) => {
        acceptSession().on('sftp', (acceptSftp) => {
          if (account) serveSftp(acceptSftp(), { store, config, newFileId, log, username, uploadedBy: account.uploadedBy });
        });
      });
    });
    // A client that drops the connection is an expected event here, not a crash.
    connection.on('error', () => undefined);
    connection.on('close', () => connections.delete(connection));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.sftpPort, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostPublic = parsePublic(hostKey.public, 'the generated host key');

  return {
    endpoint: Object.freeze({
      host: '127.0.0.1',
      port,
      username: CARECLOUD_SFTP_DEMO_USERNAME,
      privateKey: userKey.private,
      publicKey: userKey.public,
      hostKeySha256: sftpFingerprint(hostPublic.getPublicSSH()),
      log,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.end();
        server.close(() => resolve());
      }),
  };
}

function keyMatches(ctx: PublicKeyAuthContext, key: ParsedKey): boolean {
  const expected = key.getPublicSSH();
  return ctx.key.algo === key.type && ctx.key.data.length === expected.length && timingSafeEqual(ctx.key.data, expected);
}

interface SessionDeps {
  readonly store: CareCloudStore;
  readonly config: ResolvedOptions;
  readonly newFileId: () => string;
  readonly log: CareCloudSftpLogEntry[];
  readonly username: string;
  readonly uploadedBy: string | null;
}

function serveSftp(sftp: SFTPWrapper, deps: SessionDeps): void {
  const { store, config, log, username } = deps;
  const open = new Map<string, Pending>();
  let nextHandle = 0;

  const locate = (raw: string): Located | undefined => {
    const segments = normalize(raw).split('/').filter((segment) => segment !== '');
    const [workspaceId, bucketId, name, ...rest] = segments;
    if (workspaceId === undefined) return { kind: 'root' };
    const workspace = store.files.get(workspaceId);
    if (!workspace) return undefined;
    if (bucketId === undefined) return { kind: 'workspace' };
    if (!workspace.has(bucketId)) return undefined;
    if (name === undefined) return { kind: 'bucket' };
    if (rest.length > 0) return undefined;
    return { kind: 'file', workspaceId, bucketId, name };
  };
  const bucketOf = (at: { workspaceId: string; bucketId: string }): Map<string, CareCloudStoredFile> | undefined =>
    store.files.get(at.workspaceId)?.get(at.bucketId);
  const answer = (reqId: number, entry: Omit<CareCloudSftpLogEntry, 'username'>, message?: string): void => {
    appendBounded(log, { username, ...entry }, SFTP_LOG_LIMIT);
    sftp.status(reqId, STATUS_CODE[entry.status], message);
  };
  const now = () => new Date(deps.config.clock()).toISOString();

  sftp.on('REALPATH', (reqId, path) => {
    const resolved = normalize(path);
    sftp.name(reqId, [{ filename: resolved, longname: resolved, attrs: directoryAttrs() }]);
  });

  const stat = (reqId: number, path: string): void => {
    const at = locate(path);
    if (at === undefined) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
    if (at.kind !== 'file') return sftp.attrs(reqId, directoryAttrs());
    const file = bucketOf(at)?.get(at.name);
    if (!file) return sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
    const mtime = Math.floor(Date.parse(file.meta.ModifiedAt) / 1000);
    sftp.attrs(reqId, { mode: FILE_MODE, uid: 0, gid: 0, size: file.bytes.length, atime: mtime, mtime });
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);

  sftp.on('OPEN', (reqId, path, flags) => {
    const at = locate(path);
    if (!(flags & OPEN_MODE.WRITE) || flags & OPEN_MODE.APPEND) {
      return answer(reqId, { op: 'open', path, status: 'OP_UNSUPPORTED' }, 'this drop only takes new uploads');
    }
    if (at === undefined) return answer(reqId, { op: 'open', path, status: 'NO_SUCH_FILE' }, 'no such workspace or bucket');
    if (at.kind !== 'file') {
      return answer(reqId, { op: 'open', path, status: 'FAILURE' }, 'expected /{workspaceId}/{bucketId}/{name}');
    }
    if (flags & OPEN_MODE.EXCL && bucketOf(at)?.has(at.name)) return answer(reqId, { op: 'open', path, status: 'FAILURE' }, 'the file exists');
    const handle = Buffer.alloc(4);
    handle.writeUInt32BE(nextHandle++);
    open.set(handle.toString('hex'), { ...at, path, buffer: Buffer.alloc(0), size: 0, failed: false });
    appendBounded(log, { username, op: 'open', path, status: 'OK' }, SFTP_LOG_LIMIT);
    sftp.handle(reqId, handle);
  });

  sftp.on('WRITE', (reqId, handle, offset, data) => {
    const pending = open.get(handle.toString('hex'));
    if (!pending) return sftp.status(reqId, STATUS_CODE.FAILURE, 'unknown handle');
    const end = offset + data.length;
    if (end > config.maxFileBytes) {
      pending.failed = true;
      return sftp.status(reqId, STATUS_CODE.FAILURE, `files may be at most ${config.maxFileBytes} bytes`);
    }
    if (end > pending.buffer.length) {
      const grown = Buffer.alloc(Math.min(config.maxFileBytes, Math.max(end, pending.buffer.length * 2)));
      pending.buffer.copy(grown, 0, 0, pending.size);
      pending.buffer = grown;
    }
    data.copy(pending.buffer, offset);
    pending.size = Math.max(pending.size, end);
    sftp.status(reqId, STATUS_CODE.OK);
  });

  sftp.on('FSTAT', (reqId, handle) => {
    const pending = open.get(handle.toString('hex'));
    if (!pending) return sftp.status(reqId, STATUS_CODE.FAILURE, 'unknown handle');
    sftp.attrs(reqId, { mode: FILE_MODE, uid: 0, gid: 0, size: pending.size, atime: 0, mtime: 0 });
  });

  sftp.on('CLOSE', (reqId, handle) => {
    const key = handle.toString('hex');
    const pending = open.get(key);
    if (!pending) return sftp.status(reqId, STATUS_CODE.FAILURE, 'unknown handle');
    open.delete(key);
    const bucket = bucketOf(pending);
    if (pending.failed || !bucket) return answer(reqId, { op: 'close', path: pending.path, status: 'FAILURE' }, 'the upload was not stored');
    putFile(
      bucket,
      {
        workspaceId: pending.workspaceId,
        bucketId: pending.bucketId,
        name: pending.name,
        contentType: contentTypeOf(pending.name),
        uploadedBy: deps.uploadedBy,
        bytes: pending.buffer.subarray(0, pending.size),
      },
      now(),
      deps.newFileId,
    );
    answer(reqId, { op: 'close', path: pending.path, status: 'OK' });
  });

  sftp.on('RENAME', (reqId, from, to) => {
    const source = locate(from);
    const target = locate(to);
    if (source?.kind !== 'file' || target?.kind !== 'file') return answer(reqId, { op: 'rename', path: from, to, status: 'NO_SUCH_FILE' });
    if (source.workspaceId !== target.workspaceId || source.bucketId !== target.bucketId) {
      return answer(reqId, { op: 'rename', path: from, to, status: 'FAILURE' }, 'files are renamed within their bucket only');
    }
    const bucket = bucketOf(source);
    const file = bucket?.get(source.name);
    if (!bucket || !file) return answer(reqId, { op: 'rename', path: from, to, status: 'NO_SUCH_FILE' });
    if (source.name !== target.name) {
      putFile(bucket, { ...target, contentType: contentTypeOf(target.name), uploadedBy: file.meta.UploadedBy, bytes: file.bytes }, now(), deps.newFileId);
      bucket.delete(source.name);
    }
    answer(reqId, { op: 'rename', path: from, to, status: 'OK' });
  });

  sftp.on('REMOVE', (reqId, path) => {
    const at = locate(path);
    const removed = at?.kind === 'file' && bucketOf(at)?.delete(at.name) === true;
    answer(reqId, { op: 'remove', path, status: removed ? 'OK' : 'NO_SUCH_FILE' });
  });

  // Whatever was still open never reached the store; say so for the tests.
  sftp.on('close', () => {
    for (const pending of open.values()) appendBounded(log, { username, op: 'abort', path: pending.path, status: 'CONNECTION_LOST' }, SFTP_LOG_LIMIT);
    open.clear();
  });
}

/** Resolves `.` and `..` against `/`, the home directory of every account. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

function directoryAttrs(): Attributes {
  return { mode: DIRECTORY_MODE, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 };
}

function contentTypeOf(name: string): string {
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
