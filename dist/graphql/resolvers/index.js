import { DateResolver, DateTimeResolver, EmailAddressResolver, JSONResolver } from 'graphql-scalars';
import { Client } from "./Client.js";
import { connectionResolvers } from "./connections.js";
import { Enquiry } from "./Enquiry.js";
import { File } from "./File.js";
import { Lead } from "./Lead.js";
import { enquiryMutations } from "./mutations/enquiries.js";
import { fileMutations } from "./mutations/files.js";
import { userMutations } from "./mutations/users.js";
import { Node } from "./Node.js";
import { nodeQueries } from "./Query.js";
import { clientQueries } from "./queries/clients.js";
import { enquiryQueries } from "./queries/enquiries.js";
import { fileQueries } from "./queries/files.js";
import { leadQueries } from "./queries/leads.js";
import { statusQueries } from "./queries/status.js";
import { userQueries } from "./queries/users.js";
import { User } from "./User.js";
export const resolvers = {
    DateTime: DateTimeResolver,
    Date: DateResolver,
    EmailAddress: EmailAddressResolver,
    JSON: JSONResolver,
    Node,
    Query: { ...nodeQueries, ...enquiryQueries, ...leadQueries, ...clientQueries, ...fileQueries, ...userQueries, ...statusQueries },
    Mutation: { ...enquiryMutations, ...fileMutations, ...userMutations },
    Enquiry,
    User,
    Lead,
    Client,
    File,
    EnquiryConnection: connectionResolvers(),
    UserConnection: connectionResolvers(),
    LeadConnection: connectionResolvers(),
    ClientConnection: connectionResolvers(),
    FileConnection: connectionResolvers(),
};
//# sourceMappingURL=index.js.map