/**
 * Global ids: opaque, versioned, and carrying vendor, type and the vendor's own id, so `node(id:)` knows
 * where to look without a lookup table. `base64url("v1:CAREHQ:Enquiry:<id>")`.
 *
 * Every id a client sends is decoded here, so this is where the vendor id is checked against the shape of
 * that vendor's ids for that type (src/vendors/<vendor>/ids.ts): an id such as `.`, `..` or `a/b` is refused
 * before any loader or vendor sees it, since it would otherwise become another resource's URL.
 */
import { isVendor, type Vendor } from '../domain/vendor.ts';
import { CARECLOUD_ID_SHAPES } from '../vendors/carecloud/ids.ts';
import { CAREHQ_ID_SHAPES } from '../vendors/carehq/ids.ts';
import { CASEWARE_ID_SHAPES } from '../vendors/caseware/ids.ts';
import { CLINICEA_ID_SHAPES } from '../vendors/clinicea/ids.ts';
import { GENERIC_ID_SHAPES } from '../vendors/generic/ids.ts';
import { badInput } from './errors.ts';

const VERSION = 'v1';

/** Which types each vendor serves, and the shape of their ids; a type a vendor does not serve has none. */
const ID_SHAPES: Readonly<Record<Vendor, Readonly<Record<string, RegExp>>>> = {
  CAREHQ: CAREHQ_ID_SHAPES,
  CLINICEA: CLINICEA_ID_SHAPES,
  CASEWARE: CASEWARE_ID_SHAPES,
  CARECLOUD: CARECLOUD_ID_SHAPES,
  GENERIC: GENERIC_ID_SHAPES,
};

export interface GlobalId {
  readonly vendor: Vendor;
  readonly type: string;
  readonly id: string;
}

export function toGlobalId(vendor: Vendor, type: string, id: string): string {
  return Buffer.from(`${VERSION}:${vendor}:${type}:${id}`, 'utf8').toString('base64url');
}

/** Each record's global id, by record object: cached records are shared by every request that reads them. */
const recordIds = new WeakMap<object, string>();

/** The global id of a domain record, encoded once per record object rather than once per request. */
export function globalIdOf(record: { readonly vendor: Vendor; readonly vendorId: string }, type: string): string {
  let id = recordIds.get(record);
  if (id === undefined) {
    id = toGlobalId(record.vendor, type, record.vendorId);
    recordIds.set(record, id);
  }
  return id;
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
  if (!fitsShape(vendor, type, id)) throw invalid();
  return { vendor, type, id };
}

/**
 * A global User id that must name a user of `vendor`, as that vendor's own id (`argument` and `what` word the
 * refusal). Null and undefined pass through: on an update they mean "clear" and "leave alone".
 */
export function vendorUserId<T extends string | null | undefined>(
  globalId: T,
  vendor: Vendor,
  argument: string,
  what: string,
): string | Exclude<T, string> {
  if (typeof globalId !== 'string') return globalId as Exclude<T, string>;
  const user = fromGlobalId(globalId, 'User');
  if (user.vendor !== vendor) throw badInput(`${argument} must be ${what}`, { argument });
  return user.id;
}

/**
 * A native id, as the federation key `vendor vendorId` carries it: the same vendor and shape checks as a
 * global id's, so a representation by either key reaches a loader only with an id that vendor could have made.
 */
export function fromNativeId(vendor: unknown, type: string, vendorId: unknown): GlobalId {
  const given = typeof vendorId === 'string' ? vendorId : '';
  if (typeof vendor !== 'string' || !isVendor(vendor)) {
    throw badInput(`"${truncate(String(vendor))}" is not a vendor`, { argument: 'vendor' });
  }
  if (!fitsShape(vendor, type, given)) {
    throw badInput(`"${truncate(given)}" is not a ${vendor} ${type} id`, { argument: 'vendorId' });
  }
  return { vendor, type, id: given };
}

function fitsShape(vendor: Vendor, type: string, id: string): boolean {
  // Own-property lookup: a type such as `Constructor` must not find Object.prototype's members.
  const shape = Object.hasOwn(ID_SHAPES[vendor], type) ? ID_SHAPES[vendor][type] : undefined;
  return shape?.test(id) ?? false;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
