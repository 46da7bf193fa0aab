/** An ISO date, or null when absent or unreadable: a bad date on one record should not fail a page. */
function toDate(value) {
    if (!value)
        return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
}
const text = (value) => (value === undefined || value === '' ? null : value);
export function toUser(record) {
    return {
        __typename: 'User',
        vendor: 'CASEWARE',
        vendorId: record.CWGuid,
        firstName: text(record.FirstName),
        lastName: text(record.LastName),
        email: text(record.Email),
        mobile: null,
        locationRole: null,
        locationIds: [],
        mfaEnabled: null,
        title: text(record.Title),
        role: text(record.OwnerType),
        // `Type` is A (active) or I (inactive); anything else says nothing either way.
        active: record.Type === 'A' ? true : record.Type === 'I' ? false : null,
        createdAt: toDate(record.CreatedDate),
        modifiedAt: toDate(record.ModifiedDate),
        raw: { ...record },
    };
}
export function toClient(record) {
    return {
        __typename: 'Client',
        vendor: 'CASEWARE',
        vendorId: record.CWGuid,
        name: record.Name,
        number: text(record.Number),
        entityType: text(record.EntityType),
        email: text(record.Email),
        phone: text(record.Phone),
        address: text(record.Address),
        createdAt: toDate(record.CreatedDate),
        modifiedAt: toDate(record.ModifiedDate),
        staffIds: record.StaffCWGuids ?? [],
        raw: { ...record },
    };
}
//# sourceMappingURL=mapping.js.map