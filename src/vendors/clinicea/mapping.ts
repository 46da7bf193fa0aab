/** Clinicea wire records <-> domain types. Pure functions: no I/O, no clock. */
import { rawOf } from '../mapped-once.ts';
import type { DataStatus, Lead, LeadChanges, LeadQuery, NewLead } from '../../domain/lead.ts';
import { invalidQuery } from './responses.ts';
import { lastSyncTimestamp } from './sync.ts';
import {
  CLINICEA_NULL_DATE,
  type CliniceaDataStatus,
  type CliniceaLead,
  type CliniceaLeadListQuery,
  type CliniceaLeadUpdateBody,
  type CliniceaLeadWritable,
} from './wire.ts';

const DATA_STATUS: Readonly<Record<CliniceaDataStatus, DataStatus>> = {
  None: 'NONE',
  Added: 'ADDED',
  Modified: 'MODIFIED',
  Deleted: 'DELETED',
};

/** Lists without `lastSyncTimestamp` may leave `DataStatusStr` out; that is `None`. */
export function toDataStatus(value: string | null | undefined): DataStatus {
  return (value && DATA_STATUS[value as CliniceaDataStatus]) || 'NONE';
}

const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A vendor timestamp as a Date, or null when unset. The vendor writes `0001-01-01T00:00:00` for unset
 * (observed) and sends no zone; we read zone-less times as UTC, and one that does name a zone as written.
 */
export function toDate(value: string | null | undefined): Date | null {
  if (!value || value.startsWith(CLINICEA_NULL_DATE)) return null;
  const date = new Date(HAS_ZONE.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function toLead(record: CliniceaLead): Lead {
  const dataStatus = toDataStatus(record.DataStatusStr);
  const modifiedAt = toDate(record.ModifiedDatetime);
  const base = { __typename: 'Lead', vendor: 'CLINICEA', vendorId: String(record.LeadID), dataStatus, raw: rawOf(record) } as const;
  if (dataStatus === 'DELETED') {
    // A tombstone: only the id and the deletion time mean anything, whatever else the record carries.
    return {
      ...base,
      firstName: null,
      lastName: null,
      email: null,
      mobile: null,
      source: null,
      status: null,
      notes: null,
      ownerId: null,
      createdAt: null,
      modifiedAt,
    };
  }
  return {
    ...base,
    firstName: record.FirstName ?? null,
    lastName: record.LastName ?? null,
    email: record.Email ?? null,
    mobile: record.Mobile ?? null,
    source: record.Source ?? null,
    status: record.Status ?? null,
    notes: record.Notes ?? null,
    ownerId: record.OwnerUserID ?? null,
    createdAt: toDate(record.CreatedDatetime),
    modifiedAt,
  };
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` -> the vendor's `yyyymmdd`, refusing what is not a real calendar date (2026-02-30). */
export function toRangeDay(field: 'createdFrom' | 'createdTo', value: string): string {
  const match = CALENDAR_DATE.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw invalidQuery(field, `expected ${field} to be a calendar date written YYYY-MM-DD, got '${value}'`);
  }
  return `${match[1]}${match[2]}${match[3]}`;
}

/** Our lead query as `GET leads` parameters, without the page number. */
export function toLeadListQuery(query: LeadQuery): Omit<CliniceaLeadListQuery, 'intPageNo'> {
  const startRange = query.createdFrom === undefined ? undefined : toRangeDay('createdFrom', query.createdFrom);
  const endRange = query.createdTo === undefined ? undefined : toRangeDay('createdTo', query.createdTo);
  // Same width, so text order is date order; the vendor would answer this with a 400.
  if (startRange !== undefined && endRange !== undefined && startRange > endRange) {
    throw invalidQuery('createdTo', `expected createdTo to be on or after createdFrom, got ${query.createdFrom}..${query.createdTo}`);
  }
  return {
    startRange,
    endRange,
    lastSyncTimestamp: query.changedSince === undefined ? undefined : lastSyncTimestamp(query.changedSince),
  };
}

/** Our lead input field -> Clinicea's JSON field, so a refusal can be reported in our names. */
export const LEAD_WRITE_FIELDS = {
  firstName: 'FirstName',
  lastName: 'LastName',
  email: 'Email',
  mobile: 'Mobile',
  source: 'Source',
  status: 'Status',
  notes: 'Notes',
  ownerId: 'OwnerUserID',
} as const satisfies Record<keyof NewLead, keyof CliniceaLeadWritable>;

/**
 * The JSON body of `POST leads` or `PUT leads/{id}`: only the fields given. Null is kept, since on an update it
 * clears the field (wire.ts).
 */
export function toLeadBody(input: LeadChanges): CliniceaLeadUpdateBody {
  const body: Record<string, string | null> = {};
  for (const [field, wire] of Object.entries(LEAD_WRITE_FIELDS) as Array<[keyof NewLead, string]>) {
    const value = input[field];
    if (value !== undefined) body[wire] = value;
  }
  return body as CliniceaLeadUpdateBody;
}

/**
 * Which of our input fields a Clinicea refusal is about. Its 400 carries only `{ Message }`, and its messages
 * start with the field at fault (`Email is not a valid email address: ...`); any other message names no field.
 */
export function leadFieldOfMessage(message: string): string | undefined {
  const first = /^([A-Za-z]+)\b/.exec(message)?.[1];
  const entry = Object.entries(LEAD_WRITE_FIELDS).find(([, wire]) => wire === first);
  return entry?.[0];
}
