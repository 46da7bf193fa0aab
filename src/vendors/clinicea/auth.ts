/**
 * Clinicea authentication: the API key goes in the `api` header of every call (vendors.md, "Clinicea").
 * Some API versions trade the key for an hour-long token instead (observed); the header key is what the
 * documented version takes, so it comes first and the token flow can be added behind this same hook.
 */
import { createHash } from 'node:crypto';
import type { OutgoingRequest } from '../../upstream/request.ts';
import { CLINICEA_API_KEY_HEADER } from './wire.ts';

export interface CliniceaCredentials {
  readonly apiKey: string;
}

export function withApiKey(request: OutgoingRequest, credentials: CliniceaCredentials): OutgoingRequest {
  return {
    ...request,
    headers: { ...request.headers, accept: 'application/json', [CLINICEA_API_KEY_HEADER]: credentials.apiKey },
  };
}

/** Names the key's rate budget without putting the key itself in logs, metrics or Redis keys. */
export function keyId(credentials: CliniceaCredentials): string {
  return createHash('sha256').update(credentials.apiKey).digest('hex').slice(0, 12);
}
