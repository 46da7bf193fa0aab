/** CareHQ wire records <-> domain types. Pure functions: no I/O, no clock. */
import { rawOf } from '../mapped-once.ts';
import type { Enquiry, EnquiryChanges, EnquiryFilter, EnquiryOrder, EnquiryOrderField, EnquiryStatus, FundingType, NewEnquiry } from '../../domain/enquiry.ts';
import type { LocationRole, User } from '../../domain/user.ts';
import type { CareHqEnquiry, CareHqEnquiryForm, CareHqEnquirySortField, CareHqFundingType, CareHqListQuery, CareHqUser } from './wire.ts';

const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

export function toFundingType(value: CareHqFundingType | null): FundingType | null {
  return value === null ? null : (upper(value) as FundingType);
}

export function fromFundingType(value: FundingType): CareHqFundingType {
  return value.toLowerCase() as CareHqFundingType;
}

/** An optional ISO 8601 instant; an unreadable one is null, so one odd record does not fail a page. */
function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function status(record: CareHqEnquiry): EnquiryStatus {
  if (record.anonymized) return 'ANONYMIZED';
  return record.closing_notes && record.closing_notes.trim() ? 'CLOSED' : 'OPEN';
}

export function toEnquiry(record: CareHqEnquiry): Enquiry {
  return {
    __typename: 'Enquiry',
    vendor: 'CAREHQ',
    vendorId: record._id,
    createdAt: new Date(record.created),
    modifiedAt: new Date(record.modified),
    status: status(record),
    firstName: record.first_name,
    lastName: record.last_name,
    email: record.email,
    mobile: record.mobile,
    phone: record.phone,
    dateOfBirth: record.dob,
    genders: record.genders ?? [],
    enquiringForSelf: record.enquiring_for_self,
    fundingType: toFundingType(record.funding_type),
    careRequirements: record.care_requirements ?? [],
    dementia: record.dementia,
    locationId: record.location,
    service: record.service,
    salesChannel: record.sales_channel,
    assigneeId: record.assigned_to,
    closingNotes: record.closing_notes,
    anonymized: record.anonymized,
    raw: rawOf(record),
  };
}

export function toUser(record: CareHqUser): User {
  return {
    __typename: 'User',
    vendor: 'CAREHQ',
    vendorId: record._id,
    firstName: record.first_name,
    lastName: record.last_name,
    email: record.email,
    mobile: record.mobile,
    locationRole: record.location_role ? (upper(record.location_role) as LocationRole) : null,
    locationIds: record.locations ?? [],
    mfaEnabled: record.mfa_enabled,
    invited: instant(record.invited),
    inviteAccepted: instant(record.invite_accepted),
    middleName: null,
    userName: null,
    admin: null,
    canLogin: null,
    title: null,
    role: null,
    active: null,
    inactiveAt: null,
    createdAt: new Date(record.created),
    modifiedAt: new Date(record.modified),
    raw: rawOf(record),
  };
}

/** Our input field -> CareHQ's form field, so the vendor's `arg_errors` can be reported in our names. */
export const ENQUIRY_FORM_FIELDS = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  mobile: 'mobile',
  phone: 'phone',
  dateOfBirth: 'dob',
  genders: 'genders',
  enquiringForSelf: 'enquiring_for_self',
  fundingType: 'funding_type',
  careRequirements: 'care_requirements',
  dementia: 'dementia',
  locationId: 'location',
  service: 'service',
  salesChannel: 'sales_channel',
  assigneeId: 'assigned_to',
} as const satisfies Record<keyof NewEnquiry, keyof CareHqEnquiryForm>;

/** The fields an update may also set: closing an enquiry is a change to an existing one. */
export const ENQUIRY_PATCH_FIELDS = {
  ...ENQUIRY_FORM_FIELDS,
  closingNotes: 'closing_notes',
} as const satisfies Record<keyof EnquiryChanges, keyof CareHqEnquiryForm>;

export function inputFieldFor(vendorField: string): string {
  const entry = Object.entries(ENQUIRY_PATCH_FIELDS).find(([, wire]) => wire === vendorField);
  return entry ? entry[0] : vendorField;
}

type FormValue = string | boolean | readonly string[];

/** Only the fields the caller gave; null and undefined are left out, as the SDKs do. */
export function toEnquiryForm(input: NewEnquiry): Record<string, FormValue> {
  const form: Record<string, FormValue> = {};
  for (const [field, wire] of Object.entries(ENQUIRY_FORM_FIELDS) as Array<[keyof NewEnquiry, string]>) {
    const value = input[field];
    if (value === null || value === undefined) continue;
    if (field === 'fundingType') form[wire] = fromFundingType(value as FundingType);
    else form[wire] = value as FormValue;
  }
  return form;
}

/**
 * The form of `PATCH care-enquiries/{id}`: only the fields being changed. A form cannot carry null, and an empty
 * list sends no pair at all, so clearing a field sends it empty (`key=`), which CareHQ reads as null or [].
 */
export function toEnquiryPatchForm(changes: EnquiryChanges): Record<string, FormValue> {
  const form: Record<string, FormValue> = {};
  for (const [field, wire] of Object.entries(ENQUIRY_PATCH_FIELDS) as Array<[keyof EnquiryChanges, string]>) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === null || (Array.isArray(value) && value.length === 0)) form[wire] = '';
    else if (field === 'fundingType') form[wire] = fromFundingType(value as FundingType);
    else form[wire] = value as FormValue;
  }
  return form;
}

const SORT_FIELDS: Readonly<Record<EnquiryOrderField, CareHqEnquirySortField>> = {
  ID: '_id',
  CREATED_AT: 'created',
  MODIFIED_AT: 'modified',
  FIRST_NAME: 'first_name',
  LAST_NAME: 'last_name',
  DATE_OF_BIRTH: 'dob',
};

/** `sort_by`: the field, with `-` in front for descending (docs). Default `_id`, the creation order. */
export function toSortBy(order: EnquiryOrder | undefined): string {
  if (!order) return '_id';
  const field = SORT_FIELDS[order.field];
  return order.direction === 'DESC' ? `-${field}` : field;
}

/** The list's `filters-*` for our filter; what is not given is left out. */
export function toEnquiryListQuery(filter: EnquiryFilter, order: EnquiryOrder | undefined): CareHqListQuery {
  return {
    sort_by: toSortBy(order),
    'filters-q': filter.search,
    'filters-funding_type': filter.fundingType ? fromFundingType(filter.fundingType) : undefined,
    'filters-assigned_to': filter.assigneeId,
    'filters-location': filter.locationId,
    'filters-created_from': filter.createdFrom?.toISOString(),
    'filters-created_to': filter.createdTo?.toISOString(),
  };
}
