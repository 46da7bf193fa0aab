/** Generic API wire records <-> domain types. Pure functions: no I/O, no clock. */
import { rawOf } from '../mapped-once.ts';
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
    raw: rawOf(record),
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
  const given = (value: string | null | undefined) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const whole = given(input.name);
  const firstName = given(input.firstName);
  const lastName = given(input.lastName);
  if (whole !== undefined && (firstName !== undefined || lastName !== undefined)) {
    // The vendor would take the parts and drop `name` without a word; which one the caller meant is unknown.
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'give name, or firstName and lastName, not both', field: 'name' } };
  }
  // `name` is what the docs show. With parts, they are our extension, sent with the joined `name` so that a
  // vendor that knows them keeps "Mary Ann" / "Smith" apart exactly, while one that knows only `name` still
  // gets the whole name. With neither (an update by email), the vendor keeps the user's name.
  const joined = [firstName, lastName].filter((part) => part !== undefined).map((part) => part.trim()).join(' ');
  const item: GenericCreateUser = { email: input.email };
  if (whole !== undefined) item.name = whole;
  else if (joined !== '') Object.assign(item, { name: joined, firstName, lastName });
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
