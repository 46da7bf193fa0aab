import { DateResolver, DateTimeResolver, EmailAddressResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Enquiry } from './Enquiry.ts';
import { EnquiryConnection } from './EnquiryConnection.ts';
import { Mutation } from './Mutation.ts';
import { Node } from './Node.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Date: DateResolver,
  EmailAddress: EmailAddressResolver,
  JSON: JSONResolver,
  Node,
  Query,
  Mutation,
  Enquiry,
  EnquiryConnection,
  User,
};
