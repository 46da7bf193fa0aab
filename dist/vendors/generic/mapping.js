import { GENERIC_ROLES } from "./wire.js";
import { fieldOf } from "./responses.js";
export function toUser(record) {
    return {
        __typename: 'User',
        vendor: 'GENERIC',
        vendorId: record.id,
        firstName: record.firstName,
        lastName: record.lastName,
        email: record.email,
        mobile: null,
        locationRole: null,
        locationIds: [],
        mfaEnabled: null,
        title: null,
        role: record.role,
        active: null,
        createdAt: new Date(record.createdAt),
        modifiedAt: new Date(record.updatedAt),
        raw: { ...record },
    };
}
/** The vendor's role for a caller's, matched without regard to case; undefined when it has none. */
export function toRole(role) {
    const lower = role.trim().toLowerCase();
    return GENERIC_ROLES.find((known) => known === lower);
}
/**
 * One bulk item on the wire. A role the vendor has no word for is refused here, as the vendor would refuse
 * it, since the wire type cannot carry it; everything else the vendor validates itself.
 */
export function toCreateUser(input) {
    const item = { email: input.email, firstName: input.firstName, lastName: input.lastName };
    if (input.role === null || input.role === undefined)
        return { ok: true, item };
    const role = toRole(input.role);
    if (!role) {
        return {
            ok: false,
            error: { code: 'INVALID_INPUT', message: `role must be one of ${GENERIC_ROLES.join(', ')}`, field: 'role' },
        };
    }
    return { ok: true, item: { ...item, role } };
}
/** One bulk item's outcome, as the data source reports it. */
export function toItemOutcome(item) {
    if (item.status === 'created')
        return { user: toUser(item.user), error: null };
    return { user: null, error: { code: item.error.code, message: item.error.message, field: fieldOf(item.error) } };
}
//# sourceMappingURL=mapping.js.map