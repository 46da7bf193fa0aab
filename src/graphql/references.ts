/**
 * Federation references. Every entity has two keys: `id` (our global id) and `vendor vendorId` (the vendor's
 * own id, e.g. a CareHQ `_id` or a Caseware `CWGuid`), so a service that only knows the native id can still
 * reference the record. Both decode to the same GlobalId and so reach the same per-request DataLoader: a
 * router's batch of mixed representations still costs one vendor call per batch.
 */
import { badInput } from './errors.ts';
import { fromGlobalId, fromNativeId, type GlobalId } from './global-id.ts';

/** What a router may send for one entity: either key's fields (plus `__typename`, which is checked upstream). */
export interface Reference {
  readonly id?: unknown;
  readonly vendor?: unknown;
  readonly vendorId?: unknown;
}

export function fromReference(reference: Reference, type: string): GlobalId {
  if (typeof reference.id === 'string') return fromGlobalId(reference.id, type);
  if (reference.vendor !== undefined || reference.vendorId !== undefined) return fromNativeId(reference.vendor, type, reference.vendorId);
  throw badInput(`a ${type} reference needs either "id" or "vendor" and "vendorId"`, { argument: 'representations' });
}
