const upper = (value) => value.toUpperCase();
export function toFundingType(value) {
    return value === null ? null : upper(value);
}
export function fromFundingType(value) {
    return value.toLowerCase();
}
function status(record) {
    if (record.anonymized)
        return 'ANONYMIZED';
    return record.closing_notes && record.closing_notes.trim() ? 'CLOSED' : 'OPEN';
}
export function toEnquiry(record) {
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
        raw: { ...record },
    };
}
export function toUser(record) {
    return {
        __typename: 'User',
        vendor: 'CAREHQ',
        vendorId: record._id,
        firstName: record.first_name,
        lastName: record.last_name,
        email: record.email,
        mobile: record.mobile,
        locationRole: record.location_role ? upper(record.location_role) : null,
        locationIds: record.locations ?? [],
        mfaEnabled: record.mfa_enabled,
        title: null,
        role: null,
        active: null,
        createdAt: new Date(record.created),
        modifiedAt: new Date(record.modified),
        raw: { ...record },
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
};
export function inputFieldFor(vendorField) {
    const entry = Object.entries(ENQUIRY_FORM_FIELDS).find(([, wire]) => wire === vendorField);
    return entry ? entry[0] : vendorField;
}
/** Only the fields the caller gave; null and undefined are left out, as the SDKs do. */
export function toEnquiryForm(input) {
    const form = {};
    for (const [field, wire] of Object.entries(ENQUIRY_FORM_FIELDS)) {
        const value = input[field];
        if (value === null || value === undefined)
            continue;
        if (field === 'fundingType')
            form[wire] = fromFundingType(value);
        else
            form[wire] = value;
    }
    return form;
}
//# sourceMappingURL=mapping.js.map