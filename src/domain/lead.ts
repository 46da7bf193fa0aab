import type { Vendor } from './vendor.ts';

/** What happened to a record since the sync point: Clinicea's `DataStatusStr`. */
export type DataStatus = 'NONE' | 'ADDED' | 'MODIFIED' | 'DELETED';

/** A sales lead (Clinicea). A DELETED lead is a tombstone: its id and times only. */
export interface Lead {
  readonly __typename: 'Lead';
  readonly vendor: Vendor;
  readonly vendorId: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly mobile: string | null;
  readonly source: string | null;
  readonly status: string | null;
  readonly notes: string | null;
  /** The owner's id in the Generic OAuth2 API's user directory. */
  readonly ownerId: string | null;
  readonly createdAt: Date | null;
  readonly modifiedAt: Date | null;
  readonly dataStatus: DataStatus;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface LeadQuery {
  /** Only what was added, modified or deleted after this instant (incremental sync). */
  readonly changedSince?: Date;
  /** Created on or after this calendar date, `YYYY-MM-DD`. */
  readonly createdFrom?: string;
  /** Created on or before this calendar date, `YYYY-MM-DD`. */
  readonly createdTo?: string;
}

/** A lead to create. `source` and `status` are the vendor's words, checked by the vendor. */
export interface NewLead {
  readonly firstName: string;
  readonly lastName?: string | null;
  readonly email?: string | null;
  readonly mobile?: string | null;
  readonly source?: string | null;
  readonly status?: string | null;
  readonly notes?: string | null;
  /** The owner's id in the Generic OAuth2 API's user directory. */
  readonly ownerId?: string | null;
}

/** What an update changes: a field left undefined keeps its value, null clears it. */
export type LeadChanges = { readonly [K in keyof NewLead]?: NewLead[K] | null };
