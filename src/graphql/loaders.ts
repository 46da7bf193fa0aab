/**
 * Per-request DataLoaders: one per (vendor, type), capped at the vendor's batch size, so a query that names
 * the same user twenty times or asks for a hundred owners makes one batched call per batch, never one per
 * parent.
 */
import DataLoader from 'dataloader';
import type { Client } from '../domain/client.ts';
import type { Enquiry } from '../domain/enquiry.ts';
import type { StoredFile } from '../domain/file.ts';
import type { Lead } from '../domain/lead.ts';
import type { User } from '../domain/user.ts';
import type { CallContext } from '../upstream/client.ts';
import { createReverseEdgeLoaders, type ReverseEdgeLoaders } from './reverse-edges.ts';
import type { Vendors } from './vendors.ts';

export interface Loaders extends ReverseEdgeLoaders {
  readonly careHqUser: DataLoader<string, User | null>;
  readonly careHqEnquiry: DataLoader<string, Enquiry | null>;
  readonly cliniceaLead: DataLoader<string, Lead | null>;
  readonly casewareUser: DataLoader<string, User | null>;
  readonly casewareClient: DataLoader<string, Client | null>;
  readonly carecloudFile: DataLoader<string, StoredFile | null>;
  readonly genericUser: DataLoader<string, User | null>;
}

export function createLoaders(vendors: Vendors, call: CallContext): Loaders {
  const { carehq, clinicea, caseware, carecloud, generic } = vendors;
  return {
    careHqUser: new DataLoader((ids) => carehq.usersByIds(ids, call), { maxBatchSize: carehq.userBatchSize }),
    careHqEnquiry: new DataLoader((ids) => carehq.enquiriesByIds(ids, call)),
    cliniceaLead: new DataLoader((ids) => clinicea.leadsByIds(ids, call)),
    casewareUser: new DataLoader((ids) => caseware.usersByIds(ids, call), { maxBatchSize: caseware.userBatchSize }),
    casewareClient: new DataLoader((ids) => caseware.clientsByIds(ids, call), { maxBatchSize: caseware.userBatchSize }),
    carecloudFile: new DataLoader((names) => carecloud.filesByNames(names, call)),
    genericUser: new DataLoader((ids) => generic.usersByIds(ids, call), { maxBatchSize: generic.userBatchSize }),
    ...createReverseEdgeLoaders(vendors, call),
  };
}
