/** Generic API wire records <-> domain types. Pure functions: no I/O, no clock. */
import type { NewUser, User } from '../../domain/user.ts';
import { GENERIC_ROLES, type GenericBulkItem, type GenericCreateUser, type GenericRole, type GenericUser } from './wire.ts';
import { fieldOf } from './responses.ts';

export function toUser(record: GenericUser): User {
  return {
    __typename: 'User',
    vendor: 'GENERIC',
    vendorId: record.id,
    firstName: record.firstName,
    lastName: record.lastName,
    email: record.email,
    mobile: null,
    locationRole: null,
    locationIds: [],
    mfaEnabled: null,
    invited: null,
    inviteAccepted: null,
    middleName: null,
    userName: null,
    admin: null,
    canLogin: null,
    title: null,
    role: record.role,
    active: null,
    inactiveAt: null,
    createdAt: new Date(record.createdAt),
    modifiedAt: new Date(record.updatedAt),
    raw: { ...record },
  };
}

/** The vendor's role for a caller's, matched without regard to case; undefined when it has none. */
export function toRole(role: string): GenericRole | undefined {
  const lower = role.trim().toLowerCase();
  return GENERIC_ROLES.find((known) => known === lower);
}

export type CreateUserInput = { ok: true; item: GenericCreateUser } | { ok: false; error: BulkItemError };

export interface BulkItemError {
  readonly code: string;
  readonly message: string;
  readonly field: string | null;
}

/**
 * One bulk item on the wire. A role the vendor has no word for is refused here, as the vendor would refuse
 * it, since the wire type cannot carry it; everything else the vendor validates itself.
 */
export function toCreateUser(input: NewUser): CreateUserInput {
  // `name` is what the docs show; the parts are our extension, sent too so that a vendor that knows them
  // keeps "Mary Ann" / "Smith" apart exactly, while one that knows only `name` still gets the whole name.
  const name = [input.firstName, input.lastName].map((part) => part.trim()).filter(Boolean).join(' ');
  const item: GenericCreateUser = { name, email: input.email, firstName: input.firstName, lastName: input.lastName };
  if (input.role === null || input.role === undefined) return { ok: true, item };
  const role = toRole(input.role);
  if (!role) {
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `role must be one of ${GENERIC_ROLES.join(', ')}`, field: 'role' },
    };
  }
  return { ok: true, item: { ...item, role } };
}

/** Whether a bulk item made a user or updated one with the same email (bulk is "create or update"). */
export type BulkOutcome = 'created' | 'updated';

/** One bulk item's outcome, as the data source reports it. */
export function toItemOutcome(item: GenericBulkItem): { user: User | null; outcome: BulkOutcome | null; error: BulkItemError | null } {
  if (item.status !== 'error') return { user: toUser(item.user), outcome: item.status, error: null };
  return { user: null, outcome: null, error: { code: item.error.code, message: item.error.message, field: fieldOf(item.error) } };
}
