/**
 * Global ids: opaque, versioned, and carrying vendor, type and the vendor's own id, so `node(id:)` knows
 * where to look without a lookup table. `base64url("v1:CAREHQ:Enquiry:<id>")`.
 */
import { isVendor } from "../domain/vendor.js";
import { badInput } from "./errors.js";
const VERSION = 'v1';
export function toGlobalId(vendor, type, id) {
    return Buffer.from(`${VERSION}:${vendor}:${type}:${id}`, 'utf8').toString('base64url');
}
export function fromGlobalId(globalId, expectedType) {
    const invalid = () => badInput(`"${truncate(globalId)}" is not a valid id`, { argument: 'id' });
    if (!/^[A-Za-z0-9_-]+$/.test(globalId))
        throw invalid();
    const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
    const [version, vendor, type, ...rest] = decoded.split(':');
    const id = rest.join(':');
    if (version !== VERSION || !vendor || !isVendor(vendor) || !type || !/^[A-Z][A-Za-z]+$/.test(type) || !id)
        throw invalid();
    if (expectedType !== undefined && type !== expectedType) {
        throw badInput(`expected the id of a ${expectedType}, got the id of a ${type}`, { argument: 'id' });
    }
    return { vendor, type, id };
}
function truncate(value) {
    return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
//# sourceMappingURL=global-id.js.map