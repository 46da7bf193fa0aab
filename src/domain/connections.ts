/** Connection models per entity: codegen mappers name a type, not a generic, so each gets an alias. */
import type { Client } from './client.ts';
import type { Enquiry } from './enquiry.ts';
import type { StoredFile } from './file.ts';
import type { Lead } from './lead.ts';
import type { ConnectionModel } from './paging.ts';
import type { User } from './user.ts';

export type EnquiryConnectionModel = ConnectionModel<Enquiry>;
export type UserConnectionModel = ConnectionModel<User>;
export type ClientConnectionModel = ConnectionModel<Client>;
export type FileConnectionModel = ConnectionModel<StoredFile>;
/** `syncedAt` is read before the first page, so it is safe to pass back as `changedSince`. */
export type LeadConnectionModel = ConnectionModel<Lead> & { readonly syncedAt: Date };
