/**
 * The fields a lead write may set and the checks on each; the first problem becomes the 400's Message. Used by
 * the HTTP routes and by the store's own `create`/`update`, so both refuse the same bodies.
 */
import {
  LEAD_SOURCES,
  LEAD_STATUSES,
  type CliniceaLeadCreateBody,
  type CliniceaLeadUpdateBody,
  type CliniceaLeadWritable,
} from '../../vendors/clinicea/wire.ts';
import { definedOnly } from './options.ts';

export class CliniceaValidationError extends Error {
  override readonly name = 'CliniceaValidationError';
}

export const WRITABLE: ReadonlyArray<keyof CliniceaLeadWritable> = [
  'FirstName', 'LastName', 'Email', 'Mobile', 'Source', 'Status', 'Notes', 'OwnerUserID',
];
const SERVER_FIELDS = new Set(['LeadID', 'CreatedDatetime', 'ModifiedDatetime', 'DataStatusStr']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** Checks a create or update body field by field; the first problem becomes the 400's Message. */
export function validateWrite(body: unknown, mode: 'create'): CliniceaLeadCreateBody;
export function validateWrite(body: unknown, mode: 'update'): CliniceaLeadUpdateBody;
export function validateWrite(body: unknown, mode: 'create' | 'update'): CliniceaLeadUpdateBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CliniceaValidationError('The request body must be a JSON object.');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (SERVER_FIELDS.has(key)) throw new CliniceaValidationError(`${key} is set by the server and cannot be written.`);
    if (!(WRITABLE as readonly string[]).includes(key)) throw new CliniceaValidationError(`Unknown field '${key}'.`);
  }
  const text = (key: keyof CliniceaLeadWritable, nullable: boolean, pattern?: RegExp, what?: string) => {
    if (!(key in input)) return;
    const value = input[key];
    if (value === null && nullable) return null;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new CliniceaValidationError(`${key} must be a non-empty string${nullable ? ' or null' : ''}.`);
    }
    if (pattern && !pattern.test(value)) throw new CliniceaValidationError(`${key} is not ${what}: '${value}'.`);
    return value;
  };
  const oneOf = <T extends string>(key: 'Source' | 'Status', allowed: readonly T[], nullable: boolean) => {
    if (!(key in input)) return;
    const value = input[key];
    if (value === null && nullable) return null;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new CliniceaValidationError(`${key} must be one of ${allowed.join(', ')}${nullable ? ' or null' : ''}.`);
    }
    return value as T;
  };

  if (mode === 'create' && !('FirstName' in input)) throw new CliniceaValidationError('FirstName is required.');
  const fields: Partial<CliniceaLeadWritable> = {
    FirstName: text('FirstName', false),
    LastName: text('LastName', true),
    Email: text('Email', true, EMAIL, 'a valid email address'),
    Mobile: text('Mobile', true, PHONE, 'a valid phone number'),
    Source: oneOf('Source', LEAD_SOURCES, true),
    Status: oneOf('Status', LEAD_STATUSES, false),
    Notes: text('Notes', true),
    OwnerUserID: text('OwnerUserID', true),
  };
  return definedOnly(fields);
}
