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
];
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
];
export const CAREHQ_RATE_HEADERS = {
    limit: 'x-carehq-ratelimit-limit',
    remaining: 'x-carehq-ratelimit-remaining',
    /** Epoch seconds, may be fractional. */
    reset: 'x-carehq-ratelimit-reset',
};
export const CAREHQ_AUTH_HEADERS = {
    accountId: 'x-carehq-accountid',
    apiKey: 'x-carehq-apikey',
    nonce: 'x-carehq-nonce',
    signature: 'x-carehq-signature',
    signatureVersion: 'x-carehq-signature-version',
    timestamp: 'x-carehq-timestamp',
};
//# sourceMappingURL=wire.js.map