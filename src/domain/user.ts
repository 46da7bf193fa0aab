import type { Vendor } from './vendor.ts';

export type LocationRole =
  | 'MANAGER'
  | 'DEPUTY_MANAGER'
  | 'ADMINISTRATOR'
  | 'RECEPTIONIST'
  | 'SENIOR_CARER'
  | 'CARER'
  | 'CUSTOMER_RELATIONS_ADVISER'
  | 'NURSE'
  | 'OTHER';

/** A person in any vendor's system, as resolvers see them. */
export interface User {
  readonly __typename: 'User';
  readonly vendor: Vendor;
  readonly vendorId: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly mobile: string | null;
  readonly locationRole: LocationRole | null;
  readonly locationIds: readonly string[];
  readonly mfaEnabled: boolean | null;
  /** When the user was invited (CareHQ); null if never, or for other vendors. */
  readonly invited: Date | null;
  /** When the invitation was accepted (CareHQ); null while pending, or for other vendors. */
  readonly inviteAccepted: Date | null;
  /** Caseware's `MiddleName`, `UserName`, `Admin` and `CanLogin`; null for other vendors. */
  readonly middleName: string | null;
  readonly userName: string | null;
  readonly admin: boolean | null;
  readonly canLogin: boolean | null;
  /** Job title (Caseware). */
  readonly title: string | null;
  /** Access role (Generic OAuth2 API: admin, member, viewer). */
  readonly role: string | null;
  /** False for deactivated users (Caseware `Type: I`); null when the vendor does not say. */
  readonly active: boolean | null;
  /** When the user was deactivated (Caseware `InActiveDate`); null for active users and other vendors. */
  readonly inactiveAt: Date | null;
  readonly createdAt: Date | null;
  readonly modifiedAt: Date | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * A user to create, or to update by email. The name comes whole (`name`, as the Generic API documents it) or in
 * parts; a new user needs one or the other, an update may leave both out.
 */
export interface NewUser {
  readonly email: string;
  readonly name?: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly role?: string | null;
}

/** Name, then id: the stable order merged user lists follow. */
export function displayName(user: Pick<User, 'firstName' | 'lastName' | 'email' | 'vendorId'>): string {
  const name = [user.firstName, user.lastName].filter((part) => part && part.trim()).join(' ');
  return name || user.email || user.vendorId;
}
