import type { Vendor } from './vendor.ts';

/** A client of the firm (a Caseware Cloud entity). */
export interface Client {
  readonly __typename: 'Client';
  readonly vendor: Vendor;
  readonly vendorId: string;
  readonly name: string;
  readonly number: string | null;
  readonly entityType: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly createdAt: Date | null;
  readonly modifiedAt: Date | null;
  /**
   * Ids (in the same vendor) of the staff users who look after this client; null when the vendor's record does
   * not say (Caseware's `StaffCWGuids` is our reading of its entity, not in its docs).
   */
  readonly staffIds: readonly string[] | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface ClientFilter {
  /** Exact name (the vendor's search has no "contains"). */
  readonly name?: string;
  readonly entityType?: string;
  /** Only clients this staff user (vendor id) looks after. */
  readonly staffId?: string;
}
