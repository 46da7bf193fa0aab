/**
 * Uploads through CareCloud's SFTP drop (vendors.md: "Files can also go by SFTP (username + key file)"). Paths
 * are `/{workspaceId}/{bucketId}/{name}`, the HTTPS API's destinations (our choice; the drop's layout is not
 * public). The bytes go to a temporary dot-name first and are renamed into place only once the handle closed
 * cleanly, so a partial upload is never visible under the real name. Confirming what was stored is the data
 * source's job (index.ts), over the HTTPS API.
 *
 * Host keys: a configured fingerprint is required to match. Without one the first key seen is pinned for the
 * process's life (trust on first use) and logged as a warning naming its fingerprint, so the operator can
 * configure it; a later different key is refused. Nothing is ever trusted silently.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Ssh2 from 'ssh2';
import type { ConnectConfig, SFTPWrapper } from 'ssh2';
import { UpstreamError, type UpstreamProblem } from '../../upstream/errors.ts';
import { fileNameProblem } from './ids.ts';

let loaded: typeof Ssh2 | undefined;
/**
 * ssh2, loaded on first use: only gateways with an SFTP drop configured need it, and loading it costs every
 * other one about 30 MB of memory (its code, and the 16 MiB WebAssembly memory of its poly1305).
 */
function ssh2(): typeof Ssh2 {
  return (loaded ??= createRequire(import.meta.url)('ssh2') as typeof Ssh2);
}

const VENDOR = 'carecloud';

export interface CareCloudSftpOptions {
  readonly host: string;
  /** Default 22. */
  readonly port?: number;
  readonly username: string;
  /** The private key itself (OpenSSH or PEM, unencrypted), as a key file holds it. */
  readonly privateKey: string;
  /**
   * The server's host key fingerprint as `ssh-keygen -l` prints it (`SHA256:` and base64; the prefix and padding
   * may be left off). Any other key is refused. Default unset: the first key seen is pinned and a warning logged.
   */
  readonly hostKeySha256?: string;
  /** How long connecting and authenticating may take, ms; the call's deadline still wins. Default 10000. */
  readonly connectTimeoutMs?: number;
}

export interface ResolvedSftpOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  /** Normalised to `SHA256:<unpadded base64>`. */
  readonly hostKeySha256: string | undefined;
  readonly connectTimeoutMs: number;
}

/** Where a warning goes: the core's logger when there is one. */
export type Warn = (fields: Record<string, unknown>, message: string) => void;

/** Bytes per SFTP write: below the 32 KiB packets every server must take (draft-ietf-secsh-filexfer-02). */
const CHUNK_BYTES = 32 * 1024;
/** Writes sent before waiting for their answers, as OpenSSH's sftp does: one round trip per chunk is slow far away. */
const WRITES_IN_FLIGHT = 8;

export function resolveSftpOptions(options: CareCloudSftpOptions): ResolvedSftpOptions {
  const port = options.port ?? 22;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  for (const key of ['host', 'username'] as const) {
    if (typeof options[key] !== 'string' || options[key].trim() === '') {
      throw new Error(`expected sftp.${key} to be a non-empty string, got ${JSON.stringify(options[key])}`);
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`expected sftp.port to be an integer from 1 to 65535, got ${String(port)}`);
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0) {
    throw new Error(`expected sftp.connectTimeoutMs to be a number > 0, got ${String(connectTimeoutMs)}`);
  }
  const parsed = typeof options.privateKey === 'string' && options.privateKey.trim() !== '' ? ssh2().utils.parseKey(options.privateKey) : undefined;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  // Never quote the key: the message says only what kind of thing arrived.
  if (key === undefined || key instanceof Error || !key.isPrivateKey()) {
    throw new Error('expected sftp.privateKey to be an unencrypted OpenSSH or PEM private key, got something else');
  }
  const hostKeySha256 = options.hostKeySha256 === undefined ? undefined : normalizeFingerprint(options.hostKeySha256);
  if (hostKeySha256 === null) {
    throw new Error(`expected sftp.hostKeySha256 to be SHA256: and 43 base64 characters, got ${JSON.stringify(options.hostKeySha256)}`);
  }
  return Object.freeze({ host: options.host, port, username: options.username, privateKey: options.privateKey, hostKeySha256, connectTimeoutMs });
}

/** `SHA256:<unpadded base64>`, or null when `text` is no SHA-256 fingerprint. */
export function normalizeFingerprint(text: string): string | null {
  const bare = text.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  return /^[A-Za-z0-9+/]{43}$/.test(bare) ? `SHA256:${bare}` : null;
}

function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

/** One process's SFTP uploads for one account; holds the pinned host key when none is configured. */
export class CareCloudSftpUploader {
  private pinned: string | undefined;

  constructor(
    private readonly options: ResolvedSftpOptions,
    private readonly warn: Warn,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Writes `bytes` to `/{workspaceId}/{bucketId}/{name}` by way of a temporary name, replacing any file of that
   * name. Rejects with an UpstreamError; the temporary file is removed (best effort) when a step after it
   * was opened fails. Gives up at `deadline` (epoch ms), dropping the connection.
   */
  async put(location: { workspaceId: string; bucketId: string; name: string }, bytes: Uint8Array, deadline: number): Promise<void> {
    // The name becomes part of a remote path: checked here too, before connecting, whoever the caller is.
    const invalid = fileNameProblem(location.name);
    if (invalid) {
      throw new UpstreamError(VENDOR, { kind: 'bad_request', fieldErrors: { name: [invalid] }, vendorCode: undefined }, invalid, undefined, true);
    }
    const directory = `/${location.workspaceId}/${location.bucketId}`;
    const finalPath = `${directory}/${location.name}`;
    const tempPath = `${directory}/.${location.name}.${randomUUID()}.part`;
    const session = new Session(this.options, (key) => this.verifyHostKey(key));
    const remaining = deadline - this.now();
    if (remaining <= 0) throw new UpstreamError(VENDOR, { kind: 'timeout', maybeDelivered: false }, 'no time was left for the SFTP upload', undefined, true);
    const timer = setTimeout(() => session.abort(), remaining);
    let sftp: SFTPWrapper | undefined;
    let opened = false;
    try {
      sftp = await session.connect(Math.min(this.options.connectTimeoutMs, remaining));
      const channel = sftp;
      const handle = await session.step<Buffer>((done) => channel.open(tempPath, 'w', done));
      opened = true;
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const offsets = Array.from({ length: Math.ceil(data.length / CHUNK_BYTES) }, (_, i) => i * CHUNK_BYTES);
      for (let i = 0; i < offsets.length; i += WRITES_IN_FLIGHT) {
        await Promise.all(
          offsets.slice(i, i + WRITES_IN_FLIGHT).map((offset) => {
            const length = Math.min(CHUNK_BYTES, data.length - offset);
            return session.step<void>((done) => channel.write(handle, data, offset, length, offset, done));
          }),
        );
      }
      await session.step<void>((done) => channel.close(handle, done));
      await session.rename(channel, tempPath, finalPath);
      opened = false;
    } catch (error) {
      // Best effort: a dot-named leftover is never taken for the real file, but it should not linger either.
      const leftover = opened && !session.aborted ? sftp : undefined;
      if (leftover) await session.step<void>((done) => leftover.unlink(tempPath, done)).catch(() => undefined);
      throw session.explain(error, location);
    } finally {
      clearTimeout(timer);
      session.end();
    }
  }

  private verifyHostKey(key: Buffer): { ok: true } | { ok: false; seen: string } {
    const seen = fingerprintOf(key);
    const expected = this.options.hostKeySha256 ?? this.pinned;
    if (expected === undefined) {
      this.pinned = seen;
      this.warn(
        { vendor: VENDOR, host: this.options.host, hostKeySha256: seen },
        'CareCloud SFTP host key is not configured; pinned the first one seen for this process. Set CARECLOUD_SFTP_HOST_KEY_SHA256 to it after checking it with the vendor',
      );
      return { ok: true };
    }
    return seen === expected ? { ok: true } : { ok: false, seen };
  }
}

/** One connection: its client, why it failed, and the mapping of that failure to an UpstreamError. */
class Session {
  private readonly client = new (ssh2().Client)();
  private refusedHostKey: string | undefined;
  private authenticated = false;
  private readonly closed: Promise<never>;
  aborted = false;

  constructor(
    private readonly options: ResolvedSftpOptions,
    private readonly verify: (key: Buffer) => { ok: true } | { ok: false; seen: string },
  ) {
    // Errors after connect (a reset during `end`) must not crash the process; connect's own are handled there.
    this.client.on('error', () => undefined);
    this.closed = new Promise<never>((_resolve, reject) => {
      this.client.once('close', () => reject(new Error('the SFTP connection closed')));
    });
    this.closed.catch(() => undefined);
  }

  connect(readyTimeout: number): Promise<SFTPWrapper> {
    const config: ConnectConfig = {
      host: this.options.host,
      port: this.options.port,
      username: this.options.username,
      privateKey: this.options.privateKey,
      readyTimeout,
      // Public key only: no agent, no password, no keyboard-interactive prompts.
      authHandler: ['publickey'],
      hostVerifier: (key: Buffer) => {
        const verdict = this.verify(key);
        if (!verdict.ok) this.refusedHostKey = verdict.seen;
        return verdict.ok;
      },
    };
    return new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.once('error', reject);
      this.client.once('close', () => reject(new Error('the SFTP connection closed')));
      this.client.once('ready', () => {
        this.authenticated = true;
        this.client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp)));
      });
      this.client.connect(config);
    });
  }

  /**
   * One SFTP request. ssh2 leaves a request's callback uncalled when the connection drops under it, so each is
   * raced against the connection's end.
   */
  step<T>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
    return Promise.race([call(start), this.closed]);
  }

  /** Replaces the target atomically: OpenSSH's posix-rename when the server offers it, else a plain rename. */
  async rename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
    try {
      await this.step<void>((done) => sftp.ext_openssh_rename(from, to, done));
      return;
    } catch (error) {
      // ssh2 throws synchronously when the server did not advertise the extension; anything else is real.
      if (!(error instanceof Error) || !/not support/i.test(error.message)) throw error;
    }
    await this.step<void>((done) => sftp.rename(from, to, done));
  }

  abort(): void {
    this.aborted = true;
    this.client.destroy();
  }

  end(): void {
    this.client.end();
  }

  explain(error: unknown, location: { workspaceId: string; bucketId: string; name: string }): UpstreamError {
    const make = (problem: UpstreamProblem, message: string, final = false) => new UpstreamError(VENDOR, problem, message, undefined, final);
    if (this.refusedHostKey !== undefined) {
      const expected = this.options.hostKeySha256 ? 'CARECLOUD_SFTP_HOST_KEY_SHA256' : 'the key pinned earlier in this process';
      return make(
        { kind: 'network', maybeDelivered: false },
        `CareCloud SFTP host ${this.options.host} presented host key ${this.refusedHostKey}, which does not match ${expected}; nothing was sent`,
        true,
      );
    }
    if (this.aborted) return make({ kind: 'timeout', maybeDelivered: this.authenticated }, 'the SFTP upload did not finish before the deadline');
    const level = error instanceof Error ? (error as Error & { level?: unknown }).level : undefined;
    const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
    if (level === 'client-authentication') return make({ kind: 'unauthorized' }, 'CareCloud SFTP refused the username or key', true);
    if (level === 'client-timeout') return make({ kind: 'timeout', maybeDelivered: false }, 'CareCloud SFTP did not complete its handshake in time');
    if (code === ssh2().utils.sftp.STATUS_CODE.NO_SUCH_FILE) {
      return make({ kind: 'not_found' }, `CareCloud SFTP has no workspace ${JSON.stringify(location.workspaceId)} with bucket ${JSON.stringify(location.bucketId)}`);
    }
    if (code === ssh2().utils.sftp.STATUS_CODE.PERMISSION_DENIED) return make({ kind: 'forbidden' }, 'CareCloud SFTP refused to store the file');
    if (typeof code === 'number') return make({ kind: 'server_error' }, `CareCloud SFTP failed to store ${JSON.stringify(location.name)}`);
    return make({ kind: 'network', maybeDelivered: this.authenticated }, `the CareCloud SFTP connection failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function call<T>(start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value)));
  });
}
