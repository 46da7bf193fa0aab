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
import ssh2 from 'ssh2';
import { UpstreamError } from "../../upstream/errors.js";
import { fileNameProblem } from "./ids.js";
const { Client, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;
const VENDOR = 'carecloud';
/** Bytes per SFTP write: below the 32 KiB packets every server must take (draft-ietf-secsh-filexfer-02). */
const CHUNK_BYTES = 32 * 1024;
/** Writes sent before waiting for their answers, as OpenSSH's sftp does: one round trip per chunk is slow far away. */
const WRITES_IN_FLIGHT = 8;
export function resolveSftpOptions(options) {
    const port = options.port ?? 22;
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    for (const key of ['host', 'username']) {
        if (typeof options[key] !== 'string' || options[key].trim() === '') {
            throw new Error(`expected sftp.${key} to be a non-empty string, got ${JSON.stringify(options[key])}`);
        }
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`expected sftp.port to be an integer from 1 to 65535, got ${String(port)}`);
    if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0) {
        throw new Error(`expected sftp.connectTimeoutMs to be a number > 0, got ${String(connectTimeoutMs)}`);
    }
    const parsed = typeof options.privateKey === 'string' && options.privateKey.trim() !== '' ? utils.parseKey(options.privateKey) : undefined;
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
export function normalizeFingerprint(text) {
    const bare = text.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
    return /^[A-Za-z0-9+/]{43}$/.test(bare) ? `SHA256:${bare}` : null;
}
function fingerprintOf(hostKey) {
    return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}
/** One process's SFTP uploads for one account; holds the pinned host key when none is configured. */
export class CareCloudSftpUploader {
    options;
    warn;
    now;
    pinned;
    constructor(options, warn, now = Date.now) {
        this.options = options;
        this.warn = warn;
        this.now = now;
    }
    /**
     * Writes `bytes` to `/{workspaceId}/{bucketId}/{name}` by way of a temporary name, replacing any file of that
     * name. Rejects with an UpstreamError; the temporary file is removed (best effort) when a step after it
     * was opened fails. Gives up at `deadline` (epoch ms), dropping the connection.
     */
    async put(location, bytes, deadline) {
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
        if (remaining <= 0)
            throw new UpstreamError(VENDOR, { kind: 'timeout', maybeDelivered: false }, 'no time was left for the SFTP upload', undefined, true);
        const timer = setTimeout(() => session.abort(), remaining);
        let sftp;
        let opened = false;
        try {
            sftp = await session.connect(Math.min(this.options.connectTimeoutMs, remaining));
            const channel = sftp;
            const handle = await session.step((done) => channel.open(tempPath, 'w', done));
            opened = true;
            const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            const offsets = Array.from({ length: Math.ceil(data.length / CHUNK_BYTES) }, (_, i) => i * CHUNK_BYTES);
            for (let i = 0; i < offsets.length; i += WRITES_IN_FLIGHT) {
                await Promise.all(offsets.slice(i, i + WRITES_IN_FLIGHT).map((offset) => {
                    const length = Math.min(CHUNK_BYTES, data.length - offset);
                    return session.step((done) => channel.write(handle, data, offset, length, offset, done));
                }));
            }
            await session.step((done) => channel.close(handle, done));
            await session.rename(channel, tempPath, finalPath);
            opened = false;
        }
        catch (error) {
            // Best effort: a dot-named leftover is never taken for the real file, but it should not linger either.
            const leftover = opened && !session.aborted ? sftp : undefined;
            if (leftover)
                await session.step((done) => leftover.unlink(tempPath, done)).catch(() => undefined);
            throw session.explain(error, location);
        }
        finally {
            clearTimeout(timer);
            session.end();
        }
    }
    verifyHostKey(key) {
        const seen = fingerprintOf(key);
        const expected = this.options.hostKeySha256 ?? this.pinned;
        if (expected === undefined) {
            this.pinned = seen;
            this.warn({ vendor: VENDOR, host: this.options.host, hostKeySha256: seen }, 'CareCloud SFTP host key is not configured; pinned the first one seen for this process. Set CARECLOUD_SFTP_HOST_KEY_SHA256 to it after checking it with the vendor');
            return { ok: true };
        }
        return seen === expected ? { ok: true } : { ok: false, seen };
    }
}
/** One connection: its client, why it failed, and the mapping of that failure to an UpstreamError. */
class Session {
    options;
    verify;
    client = new Client();
    refusedHostKey;
    authenticated = false;
    closed;
    aborted = false;
    constructor(options, verify) {
        this.options = options;
        this.verify = verify;
        // Errors after connect (a reset during `end`) must not crash the process; connect's own are handled there.
        this.client.on('error', () => undefined);
        this.closed = new Promise((_resolve, reject) => {
            this.client.once('close', () => reject(new Error('the SFTP connection closed')));
        });
        this.closed.catch(() => undefined);
    }
    connect(readyTimeout) {
        const config = {
            host: this.options.host,
            port: this.options.port,
            username: this.options.username,
            privateKey: this.options.privateKey,
            readyTimeout,
            // Public key only: no agent, no password, no keyboard-interactive prompts.
            authHandler: ['publickey'],
            hostVerifier: (key) => {
                const verdict = this.verify(key);
                if (!verdict.ok)
                    this.refusedHostKey = verdict.seen;
                return verdict.ok;
            },
        };
        return new Promise((resolve, reject) => {
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
    step(start) {
        return Promise.race([call(start), this.closed]);
    }
    /** Replaces the target atomically: OpenSSH's posix-rename when the server offers it, else a plain rename. */
    async rename(sftp, from, to) {
        try {
            await this.step((done) => sftp.ext_openssh_rename(from, to, done));
            return;
        }
        catch (error) {
            // ssh2 throws synchronously when the server did not advertise the extension; anything else is real.
            if (!(error instanceof Error) || !/not support/i.test(error.message))
                throw error;
        }
        await this.step((done) => sftp.rename(from, to, done));
    }
    abort() {
        this.aborted = true;
        this.client.destroy();
    }
    end() {
        this.client.end();
    }
    explain(error, location) {
        const make = (problem, message, final = false) => new UpstreamError(VENDOR, problem, message, undefined, final);
        if (this.refusedHostKey !== undefined) {
            const expected = this.options.hostKeySha256 ? 'CARECLOUD_SFTP_HOST_KEY_SHA256' : 'the key pinned earlier in this process';
            return make({ kind: 'network', maybeDelivered: false }, `CareCloud SFTP host ${this.options.host} presented host key ${this.refusedHostKey}, which does not match ${expected}; nothing was sent`, true);
        }
        if (this.aborted)
            return make({ kind: 'timeout', maybeDelivered: this.authenticated }, 'the SFTP upload did not finish before the deadline');
        const level = error instanceof Error ? error.level : undefined;
        const code = error instanceof Error ? error.code : undefined;
        if (level === 'client-authentication')
            return make({ kind: 'unauthorized' }, 'CareCloud SFTP refused the username or key', true);
        if (level === 'client-timeout')
            return make({ kind: 'timeout', maybeDelivered: false }, 'CareCloud SFTP did not complete its handshake in time');
        if (code === STATUS_CODE.NO_SUCH_FILE) {
            return make({ kind: 'not_found' }, `CareCloud SFTP has no workspace ${JSON.stringify(location.workspaceId)} with bucket ${JSON.stringify(location.bucketId)}`);
        }
        if (code === STATUS_CODE.PERMISSION_DENIED)
            return make({ kind: 'forbidden' }, 'CareCloud SFTP refused to store the file');
        if (typeof code === 'number')
            return make({ kind: 'server_error' }, `CareCloud SFTP failed to store ${JSON.stringify(location.name)}`);
        return make({ kind: 'network', maybeDelivered: this.authenticated }, `the CareCloud SFTP connection failed: ${error instanceof Error ? error.message : String(error)}`);
    }
}
function call(start) {
    return new Promise((resolve, reject) => {
        start((error, value) => (error ? reject(error) : resolve(value)));
    });
}
//# sourceMappingURL=sftp.js.map