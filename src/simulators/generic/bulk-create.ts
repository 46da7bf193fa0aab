/**
 * `POST users/bulk`: up to GENERIC_BULK_MAX users checked one by one with a result per item (201, 200, 207 or
 * 400), and Idempotency-Key replay of the first answer for the same key and body. The docs call it "create or
 * update multiple resources": an item whose email exists updates that user.
 */
import { createHash } from 'node:crypto';
import {
  GENERIC_BULK_MAX,
  GENERIC_IDEMPOTENCY_HEADER,
  GENERIC_IDEMPOTENT_REPLAY_HEADER,
  GENERIC_ROLES,
  type GenericBulkFailure,
  type GenericBulkItem,
  type GenericError,
  type GenericErrorCode,
  type GenericRole,
  type GenericUser,
} from '../../vendors/generic/wire.ts';
import type { SimRequest, SimResponse } from '../http.ts';
import { prng } from '../seed.ts';
import { fail, header } from './answers.ts';
import type { GenericSettings } from './options.ts';
import { userId } from './seed.ts';
import type { GenericStats, GenericStore } from './store.ts';
import type { WebhookHub } from './webhooks.ts';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 100;

export interface BulkCreateDeps {
  readonly settings: GenericSettings;
  readonly store: GenericStore;
  readonly stats: GenericStats;
  /** Told of every user created, as `user.created`. */
  readonly webhooks: WebhookHub;
  /** The client an Idempotency-Key belongs to. */
  readonly clientOf: (req: SimRequest) => string;
}

export function bulkCreateHandler(deps: BulkCreateDeps): (req: SimRequest) => SimResponse {
  const { settings, store, stats, webhooks, clientOf } = deps;
  const { clock } = settings;
  const idRandom = prng((settings.seed ^ 0x5eed) >>> 0);

  function bulkCreate(req: SimRequest): SimResponse {
    const key = header(req, GENERIC_IDEMPOTENCY_HEADER);
    if (key === undefined) return createUsers(req.rawBody);
    const slot = `${clientOf(req)}:${key}`;
    const fingerprint = createHash('sha256').update(req.rawBody).digest('hex');
    const stored = store.idempotency.get(slot);
    if (stored && clock() - stored.at < settings.idempotencyTtlSeconds * 1000) {
      if (stored.fingerprint !== fingerprint) {
        return fail(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body', {
          field: 'Idempotency-Key',
          value: key,
        });
      }
      return { status: stored.status, headers: { [GENERIC_IDEMPOTENT_REPLAY_HEADER]: 'true' }, body: stored.body };
    }
    const answer = createUsers(req.rawBody);
    store.idempotency.set(slot, { at: clock(), fingerprint, status: answer.status, body: answer.body });
    return answer;
  }

  function createUsers(rawBody: Buffer): SimResponse {
    let items: unknown;
    try {
      items = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return fail(400, 'INVALID_INPUT', 'body must be a JSON array of users', { field: 'body', value: null });
    }
    if (!Array.isArray(items) || items.length === 0 || items.length > GENERIC_BULK_MAX) {
      return fail(400, 'INVALID_INPUT', `body must be a JSON array of 1 to ${GENERIC_BULK_MAX} users`, {
        field: 'body',
        value: Array.isArray(items) ? items.length : typeof items,
      });
    }
    const byEmail = new Map(store.users.map((u) => [u.email.toLowerCase(), u]));
    const results: GenericBulkItem[] = items.map((item: unknown, index) => {
      const checked = checkItem(item, byEmail);
      if ('error' in checked) return { index, status: 'error', error: checked.error };
      const now = new Date(clock()).toISOString();
      const existing = byEmail.get(checked.email.toLowerCase());
      if (existing) {
        // Updated in place, so the store, later items of this batch and the answer all see the same record.
        Object.assign(existing, definedOnly(checked.changes), { updatedAt: now });
        stats.usersUpdated += 1;
        return { index, status: 'updated', user: { ...existing } };
      }
      const user: GenericUser = { id: freshId(), email: checked.email, ...checked.create, createdAt: now, updatedAt: now };
      store.users.push(user);
      byEmail.set(user.email.toLowerCase(), user);
      stats.usersCreated += 1;
      webhooks.emit('user.created', user);
      return { index, status: 'created', user: { ...user } };
    });
    const failed = results.filter((r) => r.status === 'error');
    if (failed.length === 0) {
      return { status: results.some((r) => r.status === 'created') ? 201 : 200, body: { data: results } };
    }
    if (failed.length < results.length) return { status: 207, body: { data: results } };
    const only = results.length === 1 && results[0]?.status === 'error' ? results[0].error : undefined;
    const none: GenericBulkFailure = {
      // A batch of one fails as the docs' example does: that item's code, message and `details` at the top.
      error: only ?? {
        code: 'INVALID_INPUT',
        message: 'no user in the batch could be created or updated',
        details: { field: 'body', value: failed.length },
      },
      data: results,
    };
    return { status: 400, body: none };
  }

  function freshId(): string {
    const ids = new Set(store.users.map((u) => u.id));
    let id = userId(idRandom);
    while (ids.has(id)) id = userId(idRandom);
    return id;
  }

  return bulkCreate;
}

type Names = Pick<GenericUser, 'firstName' | 'lastName' | 'role'>;
type CheckedItem = {
  readonly email: string;
  /** For a new user: every field, defaults filled in. */
  readonly create: Names;
  /** For an existing one: only what the item said. */
  readonly changes: Partial<Names>;
};

/** Validates one bulk item against the users known so far, this batch's included, keyed by lower-cased email. */
function checkItem(item: unknown, byEmail: ReadonlyMap<string, GenericUser>): CheckedItem | { error: GenericError } {
  const bad = (field: string, value: unknown, message: string) => ({
    error: { code: 'INVALID_INPUT' as GenericErrorCode, message, details: { field, value: value ?? null } },
  });
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return bad('item', item, 'each item must be an object { name, email } or { email, firstName, lastName, role? }');
  }
  const { email, name, firstName, lastName, role } = item as Record<string, unknown>;
  if (typeof email !== 'string' || !EMAIL_PATTERN.test(email.trim())) {
    // The docs' own example error, word for word.
    return bad('email', email, 'The provided email address is not valid.');
  }
  const exists = byEmail.has(email.trim().toLowerCase());
  const parts = firstName !== undefined || lastName !== undefined;
  if (name !== undefined && !parts) {
    if (typeof name !== 'string' || name.trim() === '' || name.length > 2 * MAX_NAME_LENGTH) {
      return bad('name', name, `name must be 1 to ${2 * MAX_NAME_LENGTH} characters`);
    }
  } else if (parts || !exists) {
    for (const [field, value] of [['firstName', firstName], ['lastName', lastName]] as const) {
      if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
        const message = parts ? `${field} is required (1 to ${MAX_NAME_LENGTH} characters)` : 'name is required';
        return parts ? bad(field, value, message) : bad('name', name, message);
      }
    }
  }
  const roles: readonly unknown[] = GENERIC_ROLES;
  if (role !== undefined && !roles.includes(role)) {
    return bad('role', role, `role must be one of ${GENERIC_ROLES.join(', ')}`);
  }
  const split = typeof name === 'string' && !parts ? splitName(name) : undefined;
  const changes: Partial<Names> = {
    firstName: split?.firstName ?? (typeof firstName === 'string' ? firstName.trim() : undefined),
    lastName: split?.lastName ?? (typeof lastName === 'string' ? lastName.trim() : undefined),
    role: role as GenericRole | undefined,
  };
  return {
    email: email.trim(),
    create: { firstName: changes.firstName ?? '', lastName: changes.lastName ?? '', role: changes.role ?? 'member' },
    changes,
  };
}

/**
 * The documented `name` in two parts, split at its last space: "Mary Ann Smith" is Mary Ann / Smith. Our
 * choice (the docs show only "Alice Smith"); a one-word name has an empty last name.
 */
export function splitName(name: string): { firstName: string; lastName: string } {
  const clean = name.trim().replace(/\s+/g, ' ');
  const cut = clean.lastIndexOf(' ');
  return cut < 0 ? { firstName: clean, lastName: '' } : { firstName: clean.slice(0, cut), lastName: clean.slice(cut + 1) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
