import { invalidQuery } from "./responses.js";
import { lastSyncTimestamp } from "./sync.js";
import { CLINICEA_NULL_DATE } from "./wire.js";
const DATA_STATUS = {
    None: 'NONE',
    Added: 'ADDED',
    Modified: 'MODIFIED',
    Deleted: 'DELETED',
};
/** Lists without `lastSyncTimestamp` may leave `DataStatusStr` out; that is `None`. */
export function toDataStatus(value) {
    return (value && DATA_STATUS[value]) || 'NONE';
}
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
/**
 * A vendor timestamp as a Date, or null when unset. The vendor writes `0001-01-01T00:00:00` for unset
 * (observed) and sends no zone; we read zone-less times as UTC, and one that does name a zone as written.
 */
export function toDate(value) {
    if (!value || value.startsWith(CLINICEA_NULL_DATE))
        return null;
    const date = new Date(HAS_ZONE.test(value) ? value : `${value}Z`);
    return Number.isNaN(date.getTime()) ? null : date;
}
export function toLead(record) {
    const dataStatus = toDataStatus(record.DataStatusStr);
    const modifiedAt = toDate(record.ModifiedDatetime);
    const base = { __typename: 'Lead', vendor: 'CLINICEA', vendorId: String(record.LeadID), dataStatus, raw: { ...record } };
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
export function toRangeDay(field, value) {
    const match = CALENDAR_DATE.exec(value);
    const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
    if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
        throw invalidQuery(field, `expected ${field} to be a calendar date written YYYY-MM-DD, got '${value}'`);
    }
    return `${match[1]}${match[2]}${match[3]}`;
}
/** Our lead query as `GET leads` parameters, without the page number. */
export function toLeadListQuery(query) {
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
//# sourceMappingURL=mapping.js.map