import type { Vendor } from './vendor.ts';

export type FundingType =
  | 'PRIVATE'
  | 'LOCAL_AUTHORITY'
  | 'LOCAL_AUTHORITY_TOP_UP'
  | 'CHC'
  | 'CHC_LIFESTYLE'
  | 'BLOCK_BED'
  | 'DTA_SPOT'
  | 'NOT_SURE';

export type EnquiryStatus = 'OPEN' | 'CLOSED' | 'ANONYMIZED';

/** A care enquiry, as resolvers see it. */
export interface Enquiry {
  readonly __typename: 'Enquiry';
  readonly vendor: Vendor;
  readonly vendorId: string;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly status: EnquiryStatus;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly email: string | null;
  readonly mobile: string | null;
  readonly phone: string | null;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string | null;
  readonly genders: readonly string[];
  readonly enquiringForSelf: boolean | null;
  readonly fundingType: FundingType | null;
  readonly careRequirements: readonly string[];
  readonly dementia: boolean | null;
  readonly locationId: string | null;
  readonly service: string | null;
  readonly salesChannel: string | null;
  /** The assignee's id in the same vendor. */
  readonly assigneeId: string | null;
  readonly closingNotes: string | null;
  readonly anonymized: boolean;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface EnquiryFilter {
  readonly search?: string;
  readonly fundingType?: FundingType;
  /** The assignee's id in the vendor. */
  readonly assigneeId?: string;
  /** Created at or after this instant. */
  readonly createdFrom?: Date;
  /** Created at or before this instant. */
  readonly createdTo?: Date;
  readonly locationId?: string;
}

export type EnquiryOrderField = 'ID' | 'CREATED_AT' | 'MODIFIED_AT' | 'FIRST_NAME' | 'LAST_NAME' | 'DATE_OF_BIRTH';

/** A list order; records that tie on the field keep their id order. */
export interface EnquiryOrder {
  readonly field: EnquiryOrderField;
  readonly direction: 'ASC' | 'DESC';
}

export interface NewEnquiry {
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly email?: string | null;
  readonly mobile?: string | null;
  readonly phone?: string | null;
  readonly dateOfBirth?: string | null;
  readonly genders?: readonly string[] | null;
  readonly enquiringForSelf?: boolean | null;
  readonly fundingType?: FundingType | null;
  readonly careRequirements?: readonly string[] | null;
  readonly dementia?: boolean | null;
  readonly locationId?: string | null;
  readonly service?: string | null;
  readonly salesChannel?: string | null;
  readonly assigneeId?: string | null;
}

/**
 * What an update changes: a field left undefined keeps its value, null (or an empty list) clears it. Closing
 * notes can be set only on an existing enquiry.
 */
export interface EnquiryChanges extends NewEnquiry {
  readonly closingNotes?: string | null;
}
