/**
 * Global ids: opaque, versioned, and carrying vendor, type and the vendor's own id, so `node(id:)` knows
 * where to look without a lookup table. `base64url("v1:CAREHQ:Enquiry:<id>")`.
 */
import { isVendor, type Vendor } from '../domain/vendor.ts';
import { badInput } from './errors.ts';

const VERSION = 'v1';

export interface GlobalId {
  readonly vendor: Vendor;
  readonly type: string;
  readonly id: string;
}

export function toGlobalId(vendor: Vendor, type: string, id: string): string {
  return Buffer.from(`${VERSION}:${vendor}:${type}:${id}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string, expectedType?: string): GlobalId {
  const invalid = () => badInput(`"${truncate(globalId)}" is not a valid id`, { argument: 'id' });
  if (!/^[A-Za-z0-9_-]+$/.test(globalId)) throw invalid();
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const [version, vendor, type, ...rest] = decoded.split(':');
  const id = rest.join(':');
  if (version !== VERSION || !vendor || !isVendor(vendor) || !type || !/^[A-Z][A-Za-z]+$/.test(type) || !id) throw invalid();
  if (expectedType !== undefined && type !== expectedType) {
    throw badInput(`expected the id of a ${expectedType}, got the id of a ${type}`, { argument: 'id' });
  }
  return { vendor, type, id };
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
