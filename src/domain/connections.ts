/** Connection models per entity: codegen mappers name a type, not a generic, so each gets an alias. */
import type { Enquiry } from './enquiry.ts';
import type { ConnectionModel } from './paging.ts';

export type EnquiryConnectionModel = ConnectionModel<Enquiry>;
