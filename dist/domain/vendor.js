/** The vendors behind the gateway, as the GraphQL `Vendor` enum names them. */
export const VENDORS = ['CAREHQ', 'CLINICEA', 'CASEWARE', 'CARECLOUD', 'GENERIC'];
export function isVendor(value) {
    return VENDORS.includes(value);
}
//# sourceMappingURL=vendor.js.map