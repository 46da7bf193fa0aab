/**
 * Every operation the example sends, typed from the gateway's schema by `@graphql-codegen/client-preset`
 * (`npm run codegen` writes ./gql from these; `npm run codegen:check` fails when it is stale).
 */
import { graphql } from './gql/index.ts';

export const EnquiriesPage = graphql(`
  query EnquiriesPage($first: Int, $after: String, $last: Int, $before: String) {
    enquiries(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges {
        cursor
        node {
          id
          firstName
          lastName
          status
          fundingType
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const EnquiryDetail = graphql(`
  query EnquiryDetail($id: ID!) {
    enquiry(id: $id) {
      id
      firstName
      lastName
      email
      status
      fundingType
      createdAt
      assignee {
        id
        name
        email
        locationRole
      }
    }
  }
`);

export const CreateEnquiry = graphql(`
  mutation CreateEnquiry($input: CreateEnquiryInput!) {
    createEnquiry(input: $input) {
      enquiry {
        id
        firstName
        lastName
        status
      }
    }
  }
`);

/** Enquiries created or changed by anyone, as they happen (over graphql-ws). */
export const EnquiryEvents = graphql(`
  subscription EnquiryEvents {
    vendorEvents(entityType: ENQUIRY) {
      type
      source
      occurredAt
      entityId
      entity {
        __typename
        id
        ... on Enquiry {
          firstName
          lastName
        }
      }
    }
  }
`);
