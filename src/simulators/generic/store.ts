/** What a Generic OAuth2 API simulator holds (users, tokens, idempotent answers) and counts; tests read both. */
import type { GenericUser } from '../../vendors/generic/wire.ts';
import type { GenericSettings } from './options.ts';
import { seedGenericUsers } from './seed.ts';

interface IssuedToken {
  readonly clientId: string;
  /** ms epoch by the simulator's clock. */
  readonly expiresAt: number;
}

interface StoredAnswer {
  readonly at: number;
  /** sha256 of the request body: the same key with another body is refused rather than replayed. */
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
}

/** Everything the simulator holds; tests may read and change it. */
export interface GenericStore {
  /** In creation order; lists sort them by (lastName, firstName, id). */
  users: GenericUser[];
  /** The user `GET users/me` answers for the client. */
  serviceUserId: string;
  /** access token -> who holds it and until when. */
  readonly tokens: Map<string, IssuedToken>;
  /** `${clientId}:${Idempotency-Key}` -> the answer given. */
  readonly idempotency: Map<string, StoredAnswer>;
}

export interface GenericStats {
  /** Every call to the token endpoint, refused ones included. */
  tokenRequests: number;
  tokensIssued: number;
  /** Users made by `POST users/bulk` (replays create nothing). */
  usersCreated: number;
  /** Existing users a bulk item updated (bulk is "create or update"). */
  usersUpdated: number;
}

export function createGenericStore(settings: GenericSettings): GenericStore {
  const users = seedGenericUsers(settings.seed, settings.userCount);
  return {
    users,
    serviceUserId: users[0]?.id ?? '',
    tokens: new Map(),
    idempotency: new Map(),
  };
}
