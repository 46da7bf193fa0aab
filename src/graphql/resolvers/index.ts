import { DateTimeResolver, EmailAddressResolver, JSONResolver, NonNegativeIntResolver, URLResolver } from 'graphql-scalars';
import type { Client as ClientModel } from '../../domain/client.ts';
import type { Enquiry as EnquiryModel } from '../../domain/enquiry.ts';
import type { StoredFile } from '../../domain/file.ts';
import type { Lead as LeadModel } from '../../domain/lead.ts';
import type { User as UserModel } from '../../domain/user.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { CalendarDateResolver } from '../calendar-date.ts';
import { Client } from './Client.ts';
import { connectionResolvers } from './connections.ts';
import { Enquiry } from './Enquiry.ts';
import { File } from './File.ts';
import { Lead } from './Lead.ts';
import { enquiryMutations } from './mutations/enquiries.ts';
import { fileMutations } from './mutations/files.ts';
import { leadMutations } from './mutations/leads.ts';
import { userMutations } from './mutations/users.ts';
import { Node } from './Node.ts';
import { nodeQueries } from './Query.ts';
import { clientQueries } from './queries/clients.ts';
import { enquiryQueries } from './queries/enquiries.ts';
import { fileQueries } from './queries/files.ts';
import { leadQueries } from './queries/leads.ts';
import { statusQueries } from './queries/status.ts';
import { Subscription } from './Subscription.ts';
import { userQueries } from './queries/users.ts';
import { User } from './User.ts';
import { VendorEvent } from './VendorEvent.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Date: CalendarDateResolver,
  EmailAddress: EmailAddressResolver,
  JSON: JSONResolver,
  URL: URLResolver,
  NonNegativeInt: NonNegativeIntResolver,
  Node,
  Query: { ...nodeQueries, ...enquiryQueries, ...leadQueries, ...clientQueries, ...fileQueries, ...userQueries, ...statusQueries },
  Mutation: { ...enquiryMutations, ...leadMutations, ...fileMutations, ...userMutations },
  Subscription,
  Enquiry,
  User,
  Lead,
  Client,
  File,
  VendorEvent,
  EnquiryConnection: connectionResolvers<EnquiryModel>(),
  UserConnection: connectionResolvers<UserModel>(),
  LeadConnection: connectionResolvers<LeadModel>(),
  ClientConnection: connectionResolvers<ClientModel>(),
  FileConnection: connectionResolvers<StoredFile>(),
};
