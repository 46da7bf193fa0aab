/**
 * CareHQ's payloads as they cross the wire (../shared/vendors.md, "CareHQ"). Shared by the data source and
 * the simulator so that both agree on every field name. Snake case, as the vendor sends it.
 */

/** Base path every CareHQ route sits under; the signature covers `/v1/<path>`. */
export const CAREHQ_PREFIX = '/v1';

export const FUNDING_TYPES = [
  'private',
  'local_authority',
  'local_authority_top_up',
  'chc',
  'chc_lifestyle',
  'block_bed',
  'dta_spot',
  'not_sure',
] as const;
export type CareHqFundingType = (typeof FUNDING_TYPES)[number];

export const LOCATION_ROLES = [
  'manager',
  'deputy_manager',
  'administrator',
  'receptionist',
  'senior_carer',
  'carer',
  'customer_relations_adviser',
  'nurse',
  'other',
] as const;
export type CareHqLocationRole = (typeof LOCATION_ROLES)[number];

/** Timestamps are ISO 8601 strings; `dob` is a calendar date `YYYY-MM-DD`. */
export interface CareHqEnquiry {
  _id: string;
  created: string;
  modified: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  mobile: string | null;
  phone: string | null;
  dob: string | null;
  genders: string[];
  enquiring_for_self: boolean | null;
  funding_type: CareHqFundingType | null;
  care_requirements: string[];
  dementia: boolean | null;
  location: string | null;
  service: string | null;
  sales_channel: string | null;
  /** A CareHQ user `_id`. */
  assigned_to: string | null;
  closing_notes: string | null;
  anonymized: boolean;
}

export interface CareHqUser {
  _id: string;
  created: string;
  modified: string;
  email: string;
  first_name: string;
  last_name: string;
  mobile: string | null;
  location_role: CareHqLocationRole | null;
  /** Ids of the care locations the user works at. */
  locations: string[];
  mfa_enabled: boolean;
  invited: string | null;
  invite_accepted: string | null;
}

/** A page of a list endpoint: `items` is the vendor's; the paging fields are our choice (vendors.md). */
export interface CareHqPage<T> {
  items: T[];
  page: number;
  per_page: number;
  total_items: number;
  total_pages: number;
}

/** Every 4xx/5xx body. `arg_errors` maps a form field to its messages. */
export interface CareHqErrorBody {
  error_type: 'invalid_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limit_exceeded' | 'api_error';
  hint: string;
  arg_errors?: Record<string, string[]>;
}

/** Query parameters the list endpoints understand. Multi-valued keys repeat (`attributes=a&attributes=b`). */
export interface CareHqListQuery {
  page?: number;
  per_page?: number;
  sort_by?: string;
  attributes?: string[];
  /** Free-text search over names, email and phone numbers. */
  'filters-q'?: string;
  'filters-funding_type'?: CareHqFundingType;
  /** One user id is the documented `filters-<field>`; several (any of them) are our reading, checked (index.ts). */
  'filters-assigned_to'?: string | string[];
  /** The care location's id: `filters-<field>` over the documented `location`. */
  'filters-location'?: string;
  /**
   * ISO 8601 instants, both inclusive, on `created`. Our choice: no field has these names, so a CareHQ may ignore
   * them (the data source checks every page against the range).
   */
  'filters-created_from'?: string;
  'filters-created_to'?: string;
  /** Several ids at once: how the gateway fetches many users in one call. Our choice (vendors.md is silent). */
  'filters-ids'?: string[];
}

/** The form fields `PUT care-enquiries` and `PATCH care-enquiries/{id}` accept. Lists repeat their key. */
/**
 * The fields `sort_by` may name for care enquiries (docs: "sort by a field", any of the record's; `-` before it
 * sorts descending). Records that tie keep `_id` order.
 */
export const ENQUIRY_SORT_FIELDS = ['_id', 'created', 'modified', 'first_name', 'last_name', 'dob'] as const;
export type CareHqEnquirySortField = (typeof ENQUIRY_SORT_FIELDS)[number];

export type CareHqEnquiryForm = Partial<
  Omit<CareHqEnquiry, '_id' | 'created' | 'modified' | 'anonymized'>
>;

export const CAREHQ_RATE_HEADERS = {
  limit: 'x-carehq-ratelimit-limit',
  remaining: 'x-carehq-ratelimit-remaining',
  /** Epoch seconds, may be fractional. */
  reset: 'x-carehq-ratelimit-reset',
} as const;

export const CAREHQ_AUTH_HEADERS = {
  accountId: 'x-carehq-accountid',
  apiKey: 'x-carehq-apikey',
  nonce: 'x-carehq-nonce',
  signature: 'x-carehq-signature',
  signatureVersion: 'x-carehq-signature-version',
  timestamp: 'x-carehq-timestamp',
} as const;
