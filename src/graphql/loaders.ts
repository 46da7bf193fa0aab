/**
 * Per-request DataLoaders: one per (vendor, type), so a query that names the same user twenty times or
 * asks for a hundred assignees makes one batched call per vendor batch, never one per parent.
 */
import DataLoader from 'dataloader';
import type { Enquiry } from '../domain/enquiry.ts';
import type { User } from '../domain/user.ts';
import type { CallContext } from '../upstream/client.ts';
import type { Vendors } from './vendors.ts';

export interface Loaders {
  readonly careHqUser: DataLoader<string, User | null>;
  readonly careHqEnquiry: DataLoader<string, Enquiry | null>;
}

export function createLoaders(vendors: Vendors, call: CallContext): Loaders {
  const carehq = vendors.carehq;
  return {
    careHqUser: new DataLoader((ids) => carehq.usersByIds(ids, call), { maxBatchSize: carehq.userBatchSize }),
    careHqEnquiry: new DataLoader((ids) => carehq.enquiriesByIds(ids, call)),
  };
}
