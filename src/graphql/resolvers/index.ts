import { DateResolver, DateTimeResolver, EmailAddressResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Enquiry } from './Enquiry.ts';
import { EnquiryConnection } from './EnquiryConnection.ts';
import { enquiryMutations } from './mutations/enquiries.ts';
import { Node } from './Node.ts';
import { nodeQueries } from './Query.ts';
import { enquiryQueries } from './queries/enquiries.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Date: DateResolver,
  EmailAddress: EmailAddressResolver,
  JSON: JSONResolver,
  Node,
  Query: { ...nodeQueries, ...enquiryQueries },
  Mutation: { ...enquiryMutations },
  Enquiry,
  EnquiryConnection,
  User,
};
