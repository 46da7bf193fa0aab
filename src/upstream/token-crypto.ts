/**
 * How an OAuth token is kept where other processes can read it (Redis). A reader of the store who lacks the
 * credential's secret must learn nothing: not the token, not the secret, not even which client it is for.
 *
 * - The slot's name is a hash of the vendor, the token endpoint and the client id: a token is only good at
 *   the endpoint that issued it, and the client id stays out of key names.
 * - The token is sealed with AES-256-GCM under a key derived from the client secret, with the slot's name as
 *   additional data, so a sealed token cannot be moved to another credential's slot and still open.
 * - The key comes from HKDF-SHA256 (RFC 5869) rather than scrypt. Its input is a machine credential (an OAuth
 *   client secret; for Clinicea the API key together with the password), with far more entropy than any
 *   brute force covers; scrypt's deliberate cost only pays off against guessable inputs such as a password
 *   alone, and would buy nothing here but a slower start.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** The credential a token belongs to. Only `secret` is secret; none of it is stored in clear. */
export interface TokenCredential {
  /** Lower-case vendor name, as in the adapter. */
  readonly vendor: string;
  /** Where tokens come from (the token endpoint, or the API's base URL); tokens are only good there. */
  readonly issuer: string;
  /** Who asks: the OAuth client id, or for a login the user with the API key. */
  readonly clientId: string;
  /** What proves it: the client secret, or the password with the API key. Keys the token's encryption. */
  readonly secret: string;
}

/** A credential's place in a token store: a public name and the key its token is sealed with. */
export interface TokenSlot {
  /** Hex; safe for key names, logs and metrics. */
  readonly id: string;
  readonly key: Buffer;
}

/** Fixed HKDF `info`: a new format gets a new label, so that keys of the old one can never open it. */
const KEY_LABEL = 'vendor-graph token store v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function tokenSlot(credential: TokenCredential): TokenSlot {
  // NUL separators: no two different credentials hash alike by moving characters between fields.
  const id = createHash('sha256').update(`${credential.vendor}\0${credential.issuer}\0${credential.clientId}`).digest('hex').slice(0, 32);
  const key = Buffer.from(hkdfSync('sha256', credential.secret, id, KEY_LABEL, 32));
  return { id, key };
}

export interface SealedToken {
  readonly value: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** `token` encrypted for `slot`, as one base64 string: IV, GCM tag, ciphertext. */
export function sealToken(slot: TokenSlot, token: SealedToken): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', slot.key, iv);
  cipher.setAAD(Buffer.from(slot.id));
  const body = Buffer.concat([cipher.update(JSON.stringify({ v: token.value, e: token.expiresAt }), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The token `sealed` holds, or undefined when it was sealed for another slot or secret, or is damaged. */
export function openToken(slot: TokenSlot, sealed: string): SealedToken | undefined {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', slot.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(slot.id));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(text) as { v?: unknown; e?: unknown };
    return typeof parsed.v === 'string' && typeof parsed.e === 'number' ? { value: parsed.v, expiresAt: parsed.e } : undefined;
  } catch {
    // A secret rotated since the token was stored, or bytes someone else wrote: either way, no token.
    return undefined;
  }
}
