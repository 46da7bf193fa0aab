/**
 * The fields a lead write may set and the checks on each; the first problem becomes the 400's Message. Used by
 * the HTTP routes and by the store's own `create`/`update`, so both refuse the same bodies.
 */
import { LEAD_SOURCES, LEAD_STATUSES, } from "../../vendors/clinicea/wire.js";
import { definedOnly } from "./options.js";
export class CliniceaValidationError extends Error {
    name = 'CliniceaValidationError';
}
export const WRITABLE = [
    'FirstName', 'LastName', 'Email', 'Mobile', 'Source', 'Status', 'Notes', 'OwnerUserID',
];
const SERVER_FIELDS = new Set(['LeadID', 'CreatedDatetime', 'ModifiedDatetime', 'DataStatusStr']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;
export function validateWrite(body, mode) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new CliniceaValidationError('The request body must be a JSON object.');
    }
    const input = body;
    for (const key of Object.keys(input)) {
        if (SERVER_FIELDS.has(key))
            throw new CliniceaValidationError(`${key} is set by the server and cannot be written.`);
        if (!WRITABLE.includes(key))
            throw new CliniceaValidationError(`Unknown field '${key}'.`);
    }
    const text = (key, nullable, pattern, what) => {
        if (!(key in input))
            return;
        const value = input[key];
        if (value === null && nullable)
            return null;
        if (typeof value !== 'string' || value.trim() === '') {
            throw new CliniceaValidationError(`${key} must be a non-empty string${nullable ? ' or null' : ''}.`);
        }
        if (pattern && !pattern.test(value))
            throw new CliniceaValidationError(`${key} is not ${what}: '${value}'.`);
        return value;
    };
    const oneOf = (key, allowed, nullable) => {
        if (!(key in input))
            return;
        const value = input[key];
        if (value === null && nullable)
            return null;
        if (typeof value !== 'string' || !allowed.includes(value)) {
            throw new CliniceaValidationError(`${key} must be one of ${allowed.join(', ')}${nullable ? ' or null' : ''}.`);
        }
        return value;
    };
    if (mode === 'create' && !('FirstName' in input))
        throw new CliniceaValidationError('FirstName is required.');
    const fields = {
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
//# sourceMappingURL=lead-validation.js.map