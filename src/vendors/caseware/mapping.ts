/** Caseware wire records -> domain types. Pure functions: no I/O, no clock. */
import { rawOf } from '../mapped-once.ts';
import type { Client } from '../../domain/client.ts';
import type { User } from '../../domain/user.ts';
import type { CasewareEntity, CasewareUser } from './wire.ts';

/** An ISO date, or null when absent or unreadable: a bad date on one record should not fail a page. */
function toDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const text = (value: string | null | undefined): string | null => (value === undefined || value === '' ? null : value);

/** The user fields are observed, not documented (vendors.md): a missing or non-boolean flag says nothing. */
const flag = (value: boolean | null | undefined): boolean | null => (typeof value === 'boolean' ? value : null);

export function toUser(record: CasewareUser): User {
  return {
    __typename: 'User',
    vendor: 'CASEWARE',
    vendorId: record.CWGuid,
    firstName: text(record.FirstName),
    lastName: text(record.LastName),
    email: text(record.Email),
    mobile: null,
    locationRole: null,
    locationIds: [],
    mfaEnabled: null,
    invited: null,
    inviteAccepted: null,
    middleName: text(record.MiddleName),
    userName: text(record.UserName),
    admin: flag(record.Admin),
    canLogin: flag(record.CanLogin),
    title: text(record.Title),
    role: text(record.OwnerType),
    // `Type` is A (active) or I (inactive); anything else says nothing either way.
    active: record.Type === 'A' ? true : record.Type === 'I' ? false : null,
    inactiveAt: toDate(record.InActiveDate),
    createdAt: toDate(record.CreatedDate),
    modifiedAt: toDate(record.ModifiedDate),
    raw: rawOf(record),
  };
}

export function toClient(record: CasewareEntity): Client {
  return {
    __typename: 'Client',
    vendor: 'CASEWARE',
    vendorId: record.CWGuid,
    name: record.Name,
    number: text(record.Number),
    entityType: text(record.EntityType),
    email: text(record.Email),
    phone: text(record.Phone),
    address: text(record.Address),
    createdAt: toDate(record.CreatedDate),
    modifiedAt: toDate(record.ModifiedDate),
    // Absent is "not reported", not "no staff": an empty list would be a wrong answer.
    staffIds: Array.isArray(record.StaffCWGuids) ? record.StaffCWGuids : null,
    raw: rawOf(record),
  };
}
