/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query EnquiriesPage($first: Int, $after: String, $last: Int, $before: String) {\n    enquiries(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          status\n          fundingType\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.EnquiriesPageDocument,
    "\n  query EnquiryDetail($id: ID!) {\n    enquiry(id: $id) {\n      id\n      firstName\n      lastName\n      email\n      status\n      fundingType\n      createdAt\n      assignee {\n        id\n        name\n        email\n        locationRole\n      }\n    }\n  }\n": typeof types.EnquiryDetailDocument,
    "\n  mutation CreateEnquiry($input: CreateEnquiryInput!) {\n    createEnquiry(input: $input) {\n      enquiry {\n        id\n        firstName\n        lastName\n        status\n      }\n    }\n  }\n": typeof types.CreateEnquiryDocument,
    "\n  subscription EnquiryEvents {\n    vendorEvents(entityType: ENQUIRY) {\n      type\n      source\n      occurredAt\n      entityId\n      entity {\n        __typename\n        id\n        ... on Enquiry {\n          firstName\n          lastName\n        }\n      }\n    }\n  }\n": typeof types.EnquiryEventsDocument,
};
const documents: Documents = {
    "\n  query EnquiriesPage($first: Int, $after: String, $last: Int, $before: String) {\n    enquiries(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          status\n          fundingType\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.EnquiriesPageDocument,
    "\n  query EnquiryDetail($id: ID!) {\n    enquiry(id: $id) {\n      id\n      firstName\n      lastName\n      email\n      status\n      fundingType\n      createdAt\n      assignee {\n        id\n        name\n        email\n        locationRole\n      }\n    }\n  }\n": types.EnquiryDetailDocument,
    "\n  mutation CreateEnquiry($input: CreateEnquiryInput!) {\n    createEnquiry(input: $input) {\n      enquiry {\n        id\n        firstName\n        lastName\n        status\n      }\n    }\n  }\n": types.CreateEnquiryDocument,
    "\n  subscription EnquiryEvents {\n    vendorEvents(entityType: ENQUIRY) {\n      type\n      source\n      occurredAt\n      entityId\n      entity {\n        __typename\n        id\n        ... on Enquiry {\n          firstName\n          lastName\n        }\n      }\n    }\n  }\n": types.EnquiryEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EnquiriesPage($first: Int, $after: String, $last: Int, $before: String) {\n    enquiries(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          status\n          fundingType\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').EnquiriesPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EnquiryDetail($id: ID!) {\n    enquiry(id: $id) {\n      id\n      firstName\n      lastName\n      email\n      status\n      fundingType\n      createdAt\n      assignee {\n        id\n        name\n        email\n        locationRole\n      }\n    }\n  }\n"): typeof import('./graphql').EnquiryDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEnquiry($input: CreateEnquiryInput!) {\n    createEnquiry(input: $input) {\n      enquiry {\n        id\n        firstName\n        lastName\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').CreateEnquiryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EnquiryEvents {\n    vendorEvents(entityType: ENQUIRY) {\n      type\n      source\n      occurredAt\n      entityId\n      entity {\n        __typename\n        id\n        ... on Enquiry {\n          firstName\n          lastName\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').EnquiryEventsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
