/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateEnquiryInput = {
  /** A global `User` id (a CareHQ user). */
  assigneeId?: string | number | null | undefined;
  careRequirements?: Array<string> | null | undefined;
  dateOfBirth?: string | null | undefined;
  dementia?: boolean | null | undefined;
  email?: string | null | undefined;
  enquiringForSelf?: boolean | null | undefined;
  firstName?: string | null | undefined;
  fundingType?: FundingType | null | undefined;
  genders?: Array<string> | null | undefined;
  lastName?: string | null | undefined;
  locationId?: string | null | undefined;
  mobile?: string | null | undefined;
  phone?: string | null | undefined;
  salesChannel?: string | null | undefined;
  service?: string | null | undefined;
};

/**
 * Where an enquiry stands. CareHQ has no status field; it is derived: ANONYMIZED when the vendor anonymized the
 * record, CLOSED when it carries closing notes, otherwise OPEN.
 */
export type EnquiryStatus =
  | 'ANONYMIZED'
  | 'CLOSED'
  | 'OPEN';

/** How the care would be paid for (CareHQ `funding_type`). */
export type FundingType =
  | 'BLOCK_BED'
  | 'CHC'
  | 'CHC_LIFESTYLE'
  | 'DTA_SPOT'
  | 'LOCAL_AUTHORITY'
  | 'LOCAL_AUTHORITY_TOP_UP'
  | 'NOT_SURE'
  | 'PRIVATE';

/** A CareHQ user's role at a care location. */
export type LocationRole =
  | 'ADMINISTRATOR'
  | 'CARER'
  | 'CUSTOMER_RELATIONS_ADVISER'
  | 'DEPUTY_MANAGER'
  | 'MANAGER'
  | 'NURSE'
  | 'OTHER'
  | 'RECEPTIONIST'
  | 'SENIOR_CARER';

/** Where the gateway learned of the change. */
export type VendorEventSource =
  /** A write made through this gateway (any replica). */
  | 'GATEWAY'
  /** A verified webhook delivery from the vendor: a change made outside the gateway. */
  | 'WEBHOOK';

/** What happened to an entity. */
export type VendorEventType =
  | 'CREATED'
  | 'DELETED'
  | 'UPDATED';

export type EnquiriesPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type EnquiriesPageQuery = { enquiries: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, firstName: string | null, lastName: string | null, status: EnquiryStatus, fundingType: FundingType | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } | null };

export type EnquiryDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type EnquiryDetailQuery = { enquiry: { id: string, firstName: string | null, lastName: string | null, email: string | null, status: EnquiryStatus, fundingType: FundingType | null, createdAt: string, assignee: { id: string, name: string, email: string | null, locationRole: LocationRole | null } | null } | null };

export type CreateEnquiryMutationVariables = Exact<{
  input: CreateEnquiryInput;
}>;


export type CreateEnquiryMutation = { createEnquiry: { enquiry: { id: string, firstName: string | null, lastName: string | null, status: EnquiryStatus } | null } | null };

export type EnquiryEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type EnquiryEventsSubscription = { vendorEvents: { type: VendorEventType, source: VendorEventSource, occurredAt: string, entityId: string, entity:
      | { __typename: 'Client', id: string }
      | { __typename: 'Enquiry', firstName: string | null, lastName: string | null, id: string }
      | { __typename: 'File', id: string }
      | { __typename: 'Lead', id: string }
      | { __typename: 'User', id: string }
     | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const EnquiriesPageDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<EnquiriesPageQuery, EnquiriesPageQueryVariables>;
export const EnquiryDetailDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<EnquiryDetailQuery, EnquiryDetailQueryVariables>;
export const CreateEnquiryDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<CreateEnquiryMutation, CreateEnquiryMutationVariables>;
export const EnquiryEventsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<EnquiryEventsSubscription, EnquiryEventsSubscriptionVariables>;